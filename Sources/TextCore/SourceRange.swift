/// A half-open range of UTF-8 byte offsets into a source text.
///
/// Ranges are byte offsets everywhere inside goldpath; only the front ends
/// convert them to protocol positions through ``LineIndex``.
public struct SourceRange: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The offset of the first byte.
    public var start: Int
    /// The offset one past the last byte.
    public var end: Int

    /// Creates a range; `end` must not precede `start`.
    public init(start: Int, end: Int) {
        precondition(end >= start, "range end precedes start")
        self.start = start
        self.end = end
    }

    /// An empty range at `offset`.
    public static func empty(at offset: Int) -> SourceRange { SourceRange(start: offset, end: offset) }

    /// The range `delta` bytes later (earlier, for a negative `delta`): where the same text lies after an edit before it.
    public func moved(by delta: Int) -> SourceRange { SourceRange(start: start + delta, end: end + delta) }

    /// The number of bytes covered.
    public var length: Int { end - start }

    /// Whether the range covers no bytes.
    public var isEmpty: Bool { start == end }

    /// Whether `other` lies entirely inside this range.
    public func contains(_ other: SourceRange) -> Bool { start <= other.start && other.end <= end }

    /// Whether `offset` lies inside the range (an empty range contains its own offset).
    public func contains(offset: Int) -> Bool { (start <= offset && offset < end) || (isEmpty && offset == start) }

    /// Whether the two ranges share at least one byte.
    public func overlaps(_ other: SourceRange) -> Bool { start < other.end && other.start < end }

    /// The smallest range covering both ranges.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(start: min(start, other.start), end: max(end, other.end))
    }

    public var description: String { "\(start)..<\(end)" }
}
