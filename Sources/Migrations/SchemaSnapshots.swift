import Foundation
import TextCore

/// The replayed schema before each migration file, by the exact files that precede it: re-checking a fix
/// in migration k starts from the schema after migrations 0..<k instead of replaying them again.
///
/// A prefix is identified by each file's path and content hash, in order, and by the tool (which decides
/// what part of a file runs forward). An edited file has other content, so every prefix that holds it misses.
final class SchemaSnapshots: @unchecked Sendable {
    private struct Entry {
        let tool: MigrationTool
        /// Path and content hash of each file of the prefix, in order.
        let files: [FileKey]
        let schema: SchemaReplay
    }

    struct FileKey: Equatable {
        let path: String
        let contentHash: Int
    }

    /// A running key over an ordered prefix of files.
    struct Key {
        private var hasher = Hasher()
        private(set) var files: [FileKey] = []

        mutating func append(_ file: SourceText) {
            hasher.combine(file.path)
            hasher.combine(file.contentHash)
            files.append(FileKey(path: file.path, contentHash: file.contentHash))
        }

        var value: Int {
            var copy = hasher
            copy.combine(files.count)
            return copy.finalize()
        }
    }

    private let lock = NSLock()
    private var entries: [Int: Entry] = [:]
    private let limit = 4096

    /// The schema after exactly the files of `key` under `tool`, when it was stored.
    func schema(after key: Key, tool: MigrationTool) -> SchemaReplay? {
        guard let entry = lock.withLock({ entries[key.value] }), entry.tool == tool, entry.files == key.files else { return nil }
        return entry.schema
    }

    /// Stores the schema after exactly the files of `key`.
    func store(_ schema: SchemaReplay, after key: Key, tool: MigrationTool) {
        lock.withLock {
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[key.value] = Entry(tool: tool, files: key.files, schema: schema)
        }
    }
}
