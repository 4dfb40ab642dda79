/// Files as a cache key: equal when their paths and texts are, hashed by path and memoized content hash, so a lookup
/// with the same texts (a re-check's unit shares them) does not hash megabytes of templates or modules again.
public struct SourceTextsKey: Hashable, Sendable {
    /// The files, in order.
    public let files: [SourceText]

    /// A key for `files`.
    public init(_ files: [SourceText]) {
        self.files = files
    }

    public static func == (a: SourceTextsKey, b: SourceTextsKey) -> Bool {
        a.files.count == b.files.count && zip(a.files, b.files).allSatisfy { $0.path == $1.path && $0.text == $1.text }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(files.count)
        for file in files {
            hasher.combine(file.path)
            hasher.combine(file.contentHash)
        }
    }
}
