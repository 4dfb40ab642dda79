import Foundation

/// A small dictionary shared between threads, emptied when it reaches its limit.
final class LockedCache<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Key: Value] = [:]
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func get(_ key: Key) -> Value? { lock.withLock { values[key] } }

    func set(_ key: Key, _ value: Value) {
        lock.withLock {
            if values.count >= limit { values.removeAll(keepingCapacity: true) }
            values[key] = value
        }
    }
}
