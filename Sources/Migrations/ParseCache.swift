import Foundation
import SQLSyntax
import TextCore

/// Parsed files (with PostgreSQL's verdict on their grammar) by content: re-checking a unit after a fix re-parses only the file the fix changed.
/// Each `MigrationsLanguage` value owns one, so it lives as long as the workspace that holds the language.
final class ParseCache: @unchecked Sendable {
    private let lock = NSLock()
    /// By content hash; the text is kept to rule out a collision.
    private var files: [Int: (text: String, parsed: SQLFile)] = [:]
    private let limit = 512

    func parse(_ source: SourceText) -> SQLFile {
        if let hit = lock.withLock({ files[source.contentHash] }), hit.text == source.text { return hit.parsed }
        let parsed = SQLParser.parse(source.bytes).checkingGrammar(source.bytes)
        lock.withLock {
            if files.count >= limit { files.removeAll(keepingCapacity: true) }
            files[source.contentHash] = (source.text, parsed)
        }
        return parsed
    }
}
