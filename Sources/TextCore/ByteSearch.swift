#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Substring search over UTF-8 bytes: Foundation's `range(of:)` goes through CFString and compares characters, which
/// dominates scanners that look for ASCII markers (`include "`, `{{`) in large texts.
public enum ByteSearch {
    /// The offset of the first occurrence of `needle` in `haystack`.
    /// The C library's `memchr` finds each candidate first byte (vectorised; chart templates are megabytes).
    public static func firstOffset(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count, let base = haystack.baseAddress else { return nil }
        let last = haystack.count - needle.count
        var i = 0
        while i <= last {
            guard let hit = memchr(base + i, Int32(first), last - i + 1) else { return nil }
            let at = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base
            var k = 1
            while k < needle.count, haystack[at + k] == needle[k] { k += 1 }
            if k == needle.count { return at }
            i = at + 1
        }
        return nil
    }

    /// The number of leading bytes `a` and `b` share: where an edited text first differs from the text before it.
    public static func commonPrefix(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                let n = min(a.count, b.count)
                var i = 0
                // Eight bytes at a time while they agree, then byte by byte.
                while i + 8 <= n,
                    UnsafeRawPointer(a.baseAddress! + i).loadUnaligned(as: UInt64.self)
                        == UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self)
                {
                    i += 8
                }
                while i < n, a[i] == b[i] { i += 1 }
                return i
            }
        }
    }

    /// The range `offset..<offset + count` of `text`'s UTF-8 bytes as indices of `text`.
    static func range<S: StringProtocol>(in text: S, offset: Int?, count: Int) -> Range<S.Index>? {
        guard let offset else { return nil }
        let start = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
        return start..<text.utf8.index(start, offsetBy: count)
    }
}

extension String {
    /// The range of the first occurrence of `needle` (compared byte by byte, as UTF-8), or nil.
    public func firstByteRange(of needle: String) -> Range<Index>? {
        var text = self
        let bytes = Array(needle.utf8)
        return ByteSearch.range(in: self, offset: text.withUTF8 { ByteSearch.firstOffset(of: bytes, in: $0) }, count: bytes.count)
    }

    /// Whether `needle` occurs in the text (compared byte by byte, as UTF-8).
    public func containsBytes(_ needle: String) -> Bool { needle.isEmpty || firstByteRange(of: needle) != nil }
}

extension Substring {
    /// The range of the first occurrence of `needle` (compared byte by byte, as UTF-8), or nil.
    public func firstByteRange(of needle: String) -> Range<Index>? {
        var text = self
        let bytes = Array(needle.utf8)
        return ByteSearch.range(in: self, offset: text.withUTF8 { ByteSearch.firstOffset(of: bytes, in: $0) }, count: bytes.count)
    }

    /// Whether `needle` occurs in the text (compared byte by byte, as UTF-8).
    public func containsBytes(_ needle: String) -> Bool { needle.isEmpty || firstByteRange(of: needle) != nil }
}
