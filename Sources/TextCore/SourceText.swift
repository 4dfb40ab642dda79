import Synchronization

/// The text of one file together with its line index.
///
/// `path` is the file path as the user gave it (or a URI for unsaved buffers);
/// all ranges into the text are UTF-8 byte offsets.
public struct SourceText: Sendable {
    /// The fields, behind one reference: a unit's files are copied into every re-check's unit, and one
    /// retain per copy is cheaper than one per field. The bytes, line index and hash are made on first use:
    /// most of a chart's templates are only ever read as text, and a discovery holds every file of a run.
    private final class Storage: Sendable {
        let path: String
        let text: String
        private let derived = Mutex<Derived>(Derived())

        /// What is computed from the text, once.
        struct Derived {
            var bytes: [UInt8]?
            var lineIndex: LineIndex?
            var contentHash: Int?
            var crlfIsPreferred: Bool?
        }

        init(path: String, text: String) {
            self.path = path
            self.text = text
        }

        var bytes: [UInt8] {
            derived.withLock { d in
                if let bytes = d.bytes { return bytes }
                let bytes = Array(text.utf8)
                d.bytes = bytes
                return bytes
            }
        }

        var lineIndex: LineIndex {
            if let index = derived.withLock({ $0.lineIndex }) { return index }
            let index = LineIndex(bytes: bytes)
            return derived.withLock { d in
                if let index = d.lineIndex { return index }
                d.lineIndex = index
                return index
            }
        }

        var contentHash: Int {
            derived.withLock { d in
                if let hash = d.contentHash { return hash }
                var hasher = Hasher()
                var copy = text
                copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
                let hash = hasher.finalize()
                d.contentHash = hash
                return hash
            }
        }

        /// Whether more line feeds follow a carriage return than not; counted once.
        var crlfIsPreferred: Bool {
            if let known = derived.withLock({ $0.crlfIsPreferred }) { return known }
            var crlf = 0
            var lf = 0
            var previous: UInt8 = 0
            var copy = text
            copy.withUTF8 { buffer in
                for byte in buffer {
                    if byte == 0x0A {
                        if previous == 0x0D { crlf += 1 } else { lf += 1 }
                    }
                    previous = byte
                }
            }
            let preferred = crlf > lf
            derived.withLock { $0.crlfIsPreferred = preferred }
            return preferred
        }
    }

    private let storage: Storage

    /// The path or URI the text came from.
    public var path: String { storage.path }
    /// The text.
    public var text: String { storage.text }
    /// The UTF-8 bytes of `text`.
    public var bytes: [UInt8] { storage.bytes }
    /// Line index over `bytes`.
    public var lineIndex: LineIndex { storage.lineIndex }
    /// A hash of `bytes` for this process's caches (Swift's seeded hash: equal texts, equal values; not stable across runs).
    public var contentHash: Int { storage.contentHash }

    /// Creates a source text.
    public init(path: String, text: String) {
        storage = Storage(path: path, text: text)
    }

    /// The text covered by `range` (clamped to the text, repaired if it splits a scalar).
    public func slice(_ range: SourceRange) -> String {
        let bytes = self.bytes
        let start = max(0, min(range.start, bytes.count))
        let end = max(start, min(range.end, bytes.count))
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The text of a zero-based line without its terminator.
    public func lineText(_ line: Int) -> String { slice(lineIndex.contentRange(ofLine: line)) }

    /// The one-based line and one-based column of `offset`, the column counted in Unicode code points.
    public func humanPosition(of offset: Int) -> (line: Int, column: Int) {
        let p = lineIndex.scalarPosition(of: offset)
        return (p.line + 1, p.column + 1)
    }

    /// The line terminator the file uses most (`\r\n` or `\n`).
    public var preferredNewline: String { storage.crlfIsPreferred ? "\r\n" : "\n" }
}
