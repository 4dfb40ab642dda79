import Foundation
import PolicyModel

/// The subjects of local module calls already lowered in this process, by call, module text and arguments.
final class CalledModuleCache: @unchecked Sendable {
    /// The process's cache.
    static let shared = CalledModuleCache()

    /// How many calls are remembered before the cache starts over: enough for the units being verified at once
    /// (a caller is re-lowered once per candidate fix), few enough that a workspace of many callers of a large
    /// module does not keep every call's subjects.
    static let capacity = 32

    private let lock = NSLock()
    private var entries: [String: [Subject]] = [:]

    /// The subjects lowered for `key`, if any.
    func subjects(for key: String) -> [Subject]? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    /// Remembers the subjects lowered for `key`.
    func store(_ subjects: [Subject], for key: String) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= CalledModuleCache.capacity { entries.removeAll() }
        entries[key] = subjects
    }
}
