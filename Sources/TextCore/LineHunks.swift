#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The places where two versions of a text differ, found line by line: a batch of fixes edits a few places of a large
/// file, and what lies between them is best matched as unchanged rather than taken as one change.
public enum LineHunks {
    /// One place that differs: `old` bytes of the first text became `new` bytes of the second.
    public struct Hunk: Sendable, Equatable {
        /// The replaced bytes of the first text.
        public var old: Range<Int>
        /// The bytes of the second text that replace them.
        public var new: Range<Int>

        /// Creates a hunk.
        public init(old: Range<Int>, new: Range<Int>) {
            self.old = old
            self.new = new
        }
    }

    /// The hunks that turn `a` into `b`, in order and apart: outside them the two are equal, byte for byte. Lines are
    /// matched greedily, looking at most `window` lines ahead for the next equal pair, so the hunks are correct but not
    /// always the fewest; each is trimmed to the bytes that differ. Nil past `limit` hunks (the texts hardly match).
    public static func between(_ a: [UInt8], _ b: [UInt8], window: Int = 48, limit: Int = .max) -> [Hunk]? {
        let prefix = ByteSearch.commonPrefix(a, b)
        if prefix == a.count && prefix == b.count { return [] }
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                hunks(a, b, prefix: prefix, window: window, limit: limit)
            }
        }
    }

    /// `between`, over the bytes, past their common prefix.
    private static func hunks(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, prefix: Int, window: Int, limit: Int)
        -> [Hunk]?
    {
        var suffix = 0
        let most = min(a.count, b.count) - prefix
        while suffix + 8 <= most,
            UnsafeRawPointer(a.baseAddress! + a.count - suffix - 8).loadUnaligned(as: UInt64.self)
                == UnsafeRawPointer(b.baseAddress! + b.count - suffix - 8).loadUnaligned(as: UInt64.self)
        {
            suffix += 8
        }
        while suffix < most && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        var start = prefix
        while start > 0 && a[start - 1] != UInt8(ascii: "\n") { start -= 1 }
        let aLines = lineStarts(a, from: start, to: a.count - suffix)
        let bLines = lineStarts(b, from: start, to: b.count - suffix)
        let n = aLines.count - 1
        let m = bLines.count - 1
        func equal(_ i: Int, _ j: Int) -> Bool {
            let length = aLines[i + 1] - aLines[i]
            return length == bLines[j + 1] - bLines[j] && memcmp(a.baseAddress! + aLines[i], b.baseAddress! + bLines[j], length) == 0
        }
        var hunks: [Hunk] = []
        func add(_ i: Range<Int>, _ j: Range<Int>) {
            if let hunk = trimmed(
                Hunk(old: aLines[i.lowerBound]..<aLines[i.upperBound], new: bLines[j.lowerBound]..<bLines[j.upperBound]), a, b)
            {
                hunks.append(hunk)
            }
        }
        var i = 0
        var j = 0
        while i < n || j < m {
            if hunks.count > limit { return nil }
            if i < n && j < m && equal(i, j) {
                i += 1
                j += 1
                continue
            }
            var next: (Int, Int)?
            search: for d in 1...max(1, window) {
                for x in 0...d where i + x < n && j + d - x < m && equal(i + x, j + d - x) {
                    next = (x, d - x)
                    break search
                }
            }
            guard let (x, y) = next else {
                add(i..<n, j..<m)
                break
            }
            add(i..<(i + x), j..<(j + y))
            i += x
            j += y
        }
        return hunks.count > limit ? nil : hunks
    }

    /// The starts of the lines of `bytes[from..<to]`, and `to`; the last line may lack its terminator.
    private static func lineStarts(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> [Int] {
        var starts = [from]
        var k = from
        while k < to, let found = memchr(bytes.baseAddress! + k, Int32(UInt8(ascii: "\n")), to - k) {
            let next = bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
            if next < to { starts.append(next) }
            k = next
        }
        if to > from { starts.append(to) }
        return starts
    }

    /// The hunk without the bytes its two sides share at either end; nil when nothing is left to change.
    private static func trimmed(_ hunk: Hunk, _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Hunk? {
        var old = hunk.old
        var new = hunk.new
        while !old.isEmpty && !new.isEmpty && a[old.lowerBound] == b[new.lowerBound] {
            old = (old.lowerBound + 1)..<old.upperBound
            new = (new.lowerBound + 1)..<new.upperBound
        }
        while !old.isEmpty && !new.isEmpty && a[old.upperBound - 1] == b[new.upperBound - 1] {
            old = old.lowerBound..<(old.upperBound - 1)
            new = new.lowerBound..<(new.upperBound - 1)
        }
        return old.isEmpty && new.isEmpty ? nil : Hunk(old: old, new: new)
    }
}
