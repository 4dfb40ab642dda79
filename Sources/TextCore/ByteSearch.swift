/// Substring search over UTF-8 bytes: Foundation's `range(of:)` goes through CFString and compares characters, which
/// dominates scanners that look for ASCII markers (`include "`, `{{`) in large texts.
extension StringProtocol {
    /// The range of the first occurrence of `needle` (compared byte by byte, as UTF-8), or nil.
    public func firstByteRange(of needle: String) -> Range<Index>? {
        let n = Array(needle.utf8)
        guard !n.isEmpty else { return nil }
        let utf8 = self.utf8
        let found: Int?? = utf8.withContiguousStorageIfAvailable { Self.firstOffset(of: n, in: $0) }
        guard let offset = found ?? Self.firstOffset(of: n, in: Array(utf8)) else { return nil }
        let start = utf8.index(utf8.startIndex, offsetBy: offset)
        return start..<utf8.index(start, offsetBy: n.count)
    }

    /// Whether `needle` occurs in the text (compared byte by byte, as UTF-8).
    public func containsBytes(_ needle: String) -> Bool { needle.isEmpty || firstByteRange(of: needle) != nil }

    /// The offset of the first occurrence of `needle` in `haystack`.
    private static func firstOffset(of needle: [UInt8], in haystack: some RandomAccessCollection<UInt8>) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        let first = needle[0]
        var i = haystack.startIndex
        let last = haystack.index(haystack.endIndex, offsetBy: -needle.count)
        while i <= last {
            if haystack[i] == first {
                var k = 1
                var j = haystack.index(after: i)
                while k < needle.count, haystack[j] == needle[k] {
                    k += 1
                    j = haystack.index(after: j)
                }
                if k == needle.count { return haystack.distance(from: haystack.startIndex, to: i) }
            }
            i = haystack.index(after: i)
        }
        return nil
    }
}
