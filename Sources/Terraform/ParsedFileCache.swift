import Foundation
import HCLSyntax
import TextCore

/// Parsed `.tf` files by path and text, for this process: fix verification re-lowers a module once per candidate
/// fix with one file changed, and a module called by many others is read once per caller; the other files parse
/// the same way each time. An edited file (a keystroke in the editor, a fix's re-check) is parsed again from its
/// first changed top-level item.
final class ParsedFileCache: @unchecked Sendable {
    /// The process's cache.
    static let shared = ParsedFileCache()

    /// How many files are remembered before the cache starts over.
    static let capacity = 4096

    private let lock = NSLock()
    private var entries: [String: (text: String, file: HCLFile)] = [:]

    /// The parse of `source`, from the cache when the same path held the same text; when it held another text
    /// (an edit), the parse resumes after the top-level items the edit left untouched.
    func parse(_ source: SourceText) -> HCLFile {
        lock.lock()
        let previous = entries[source.path]
        if let previous, previous.text == source.text {
            lock.unlock()
            return previous.file
        }
        lock.unlock()
        let file = previous.map { HCLParser().parse(source, reusing: $0.file) } ?? HCLParser().parse(source)
        lock.lock()
        if entries.count >= ParsedFileCache.capacity { entries.removeAll() }
        entries[source.path] = (source.text, file)
        lock.unlock()
        return file
    }
}
