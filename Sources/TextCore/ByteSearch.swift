/// Substring search over UTF-8 bytes: Foundation's `range(of:)` goes through CFString and compares characters, which
/// dominates scanners that look for ASCII markers (`include "`, `{{`) in large texts.
enum ByteSearch {
    /// The offset of the first occurrence of `needle` in `haystack`.
    static func firstOffset(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count else { return nil }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var k = 1
                while k < needle.count, haystack[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}

extension String {
    /// The range of the first occurrence of `needle` (compared byte by byte, as UTF-8), or nil.
    public func firstByteRange(of needle: String) -> Range<Index>? {
        var text = self
        let needleBytes = Array(needle.utf8)
        guard let offset = text.withUTF8({ ByteSearch.firstOffset(of: needleBytes, in: $0) }) else { return nil }
        let start = utf8.index(utf8.startIndex, offsetBy: offset)
        return start..<utf8.index(start, offsetBy: needleBytes.count)
    }

    /// Whether `needle` occurs in the text (compared byte by byte, as UTF-8).
    public func containsBytes(_ needle: String) -> Bool { needle.isEmpty || firstByteRange(of: needle) != nil }
}

extension Substring {
    /// The range of the first occurrence of `needle` (compared byte by byte, as UTF-8), or nil.
    public func firstByteRange(of needle: String) -> Range<Index>? {
        var text = self
        let needleBytes = Array(needle.utf8)
        guard let offset = text.withUTF8({ ByteSearch.firstOffset(of: needleBytes, in: $0) }) else { return nil }
        let start = utf8.index(utf8.startIndex, offsetBy: offset)
        return start..<utf8.index(start, offsetBy: needleBytes.count)
    }

    /// Whether `needle` occurs in the text (compared byte by byte, as UTF-8).
    public func containsBytes(_ needle: String) -> Bool { needle.isEmpty || firstByteRange(of: needle) != nil }
}
