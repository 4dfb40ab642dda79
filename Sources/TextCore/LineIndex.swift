/// A zero-based line and column; the column unit depends on the conversion used.
public struct LineColumn: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Zero-based line number.
    public var line: Int
    /// Zero-based column in the unit of the conversion that produced it.
    public var column: Int

    /// Creates a position.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// Converts between UTF-8 byte offsets and line/column positions.
///
/// Lines end at `\n`, `\r\n` or a lone `\r`. Columns are counted in UTF-8
/// bytes, UTF-16 code units (the LSP default) or Unicode scalars (what libyaml
/// reports). Positions past the end of a line clamp to the line end, as the
/// LSP specification asks.
public struct LineIndex: Sendable {
    private let bytes: [UInt8]
    /// Byte offset of the first byte of each line.
    public let lineStarts: [Int]

    /// Builds the index for `bytes`.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            let n = buffer.count
            while i < n {
                let b = buffer[i]
                if b == 0x0A {
                    starts.append(i + 1)
                } else if b == 0x0D {
                    if i + 1 < n && buffer[i + 1] == 0x0A { i += 1 }
                    starts.append(i + 1)
                }
                i += 1
            }
        }
        self.lineStarts = starts
    }

    /// The number of lines (a file ending in a newline has an empty last line).
    public var lineCount: Int { lineStarts.count }

    /// The total number of bytes.
    public var byteCount: Int { bytes.count }

    /// The zero-based line containing `offset` (clamped to the text).
    public func line(containing offset: Int) -> Int {
        let offset = max(0, min(offset, bytes.count))
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The byte range of `line` without its line terminator.
    public func contentRange(ofLine line: Int) -> SourceRange {
        let line = max(0, min(line, lineStarts.count - 1))
        let start = lineStarts[line]
        var end = line + 1 < lineStarts.count ? lineStarts[line + 1] : bytes.count
        if end > start && bytes[end - 1] == 0x0A { end -= 1 }
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        return SourceRange(start: start, end: end)
    }

    /// The position of `offset` with the column in UTF-8 bytes.
    public func utf8Position(of offset: Int) -> LineColumn {
        let offset = max(0, min(offset, bytes.count))
        let line = line(containing: offset)
        let content = contentRange(ofLine: line)
        return LineColumn(line: line, column: min(offset, content.end) - content.start)
    }

    /// The position of `offset` with the column in UTF-16 code units.
    public func utf16Position(of offset: Int) -> LineColumn {
        position(of: offset) { width in width == 4 ? 2 : 1 }
    }

    /// The position of `offset` with the column in Unicode scalars.
    public func scalarPosition(of offset: Int) -> LineColumn {
        position(of: offset) { _ in 1 }
    }

    /// The position of `offset`, counting `units(width)` per scalar of `width` UTF-8 bytes.
    private func position(of offset: Int, units: (Int) -> Int) -> LineColumn {
        let offset = max(0, min(offset, bytes.count))
        let line = line(containing: offset)
        let content = contentRange(ofLine: line)
        var column = 0
        var i = content.start
        let stop = min(offset, content.end)
        while i < stop {
            let width = LineIndex.scalarWidth(lead: bytes[i])
            column += units(width)
            i += width
        }
        return LineColumn(line: line, column: column)
    }

    /// The byte offset of a position whose column is in UTF-8 bytes.
    ///
    /// Lines past the end clamp to the end of the text; columns past the end
    /// of the line clamp to the line end.
    public func offset(utf8 position: LineColumn) -> Int {
        if position.line >= lineStarts.count { return bytes.count }
        let content = contentRange(ofLine: max(0, position.line))
        var offset = min(content.start + max(0, position.column), content.end)
        // Never land inside a multi-byte scalar.
        while offset > content.start && offset < bytes.count && (bytes[offset] & 0xC0) == 0x80 { offset -= 1 }
        return offset
    }

    /// The byte offset of a position whose column is in UTF-16 code units.
    ///
    /// A column that points between the two halves of a surrogate pair rounds down.
    public func offset(utf16 position: LineColumn) -> Int {
        offset(of: position) { width in width == 4 ? 2 : 1 }
    }

    /// The byte offset of a position whose column is in Unicode scalars.
    public func offset(scalar position: LineColumn) -> Int {
        offset(of: position) { _ in 1 }
    }

    /// The byte offset of a position, counting `units(width)` per scalar of `width` UTF-8 bytes.
    private func offset(of position: LineColumn, units: (Int) -> Int) -> Int {
        if position.line >= lineStarts.count { return bytes.count }
        let content = contentRange(ofLine: max(0, position.line))
        var remaining = max(0, position.column)
        var i = content.start
        while i < content.end && remaining > 0 {
            let width = LineIndex.scalarWidth(lead: bytes[i])
            let n = units(width)
            if n > remaining { break }
            remaining -= n
            i += width
        }
        return min(i, content.end)
    }

    /// The byte length of the UTF-8 sequence starting with `lead`.
    @inline(__always)
    static func scalarWidth(lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead >= 0xF0 { return 4 }
        if lead >= 0xE0 { return 3 }
        if lead >= 0xC0 { return 2 }
        return 1
    }
}
