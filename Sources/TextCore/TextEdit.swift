/// A replacement of a byte range of a text by new text.
public struct TextEdit: Hashable, Sendable, Codable {
    /// The range replaced; empty for an insertion.
    public var range: SourceRange
    /// The replacement text.
    public var newText: String

    /// Creates an edit.
    public init(range: SourceRange, newText: String) {
        self.range = range
        self.newText = newText
    }

    /// An insertion of `text` at `offset`.
    public static func insert(_ text: String, at offset: Int) -> TextEdit {
        TextEdit(range: .empty(at: offset), newText: text)
    }
}

/// Why a set of edits cannot be applied.
public enum TextEditError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two edits touch the same bytes (or insert at the same offset).
    case overlapping(SourceRange, SourceRange)
    /// An edit reaches past the end of the text.
    case outOfBounds(SourceRange, textLength: Int)

    public var description: String {
        switch self {
        case .overlapping(let a, let b): return "edits overlap: \(a) and \(b)"
        case .outOfBounds(let r, let n): return "edit \(r) is outside the text of \(n) bytes"
        }
    }
}

extension TextEdit {
    /// Applies several non-overlapping edits at once; ranges refer to the original text.
    ///
    /// Edits may be given in any order. Two edits that share bytes, or two
    /// insertions at the same offset (whose order would be ambiguous), are
    /// rejected with ``TextEditError/overlapping(_:_:)``.
    public static func apply(_ edits: [TextEdit], to text: String) throws(TextEditError) -> String {
        let bytes = Array(text.utf8)
        let sorted = edits.sorted { ($0.range.start, $0.range.end) < ($1.range.start, $1.range.end) }
        for edit in sorted where edit.range.end > bytes.count || edit.range.start < 0 {
            throw .outOfBounds(edit.range, textLength: bytes.count)
        }
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            let sameInsertionPoint = a.range.isEmpty && b.range.isEmpty && a.range.start == b.range.start
            if a.range.end > b.range.start || sameInsertionPoint
                || (a.range.isEmpty && !b.range.isEmpty && a.range.start > b.range.start)
            {
                throw .overlapping(a.range, b.range)
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + sorted.reduce(0) { $0 + $1.newText.utf8.count })
        var cursor = 0
        for edit in sorted {
            out.append(contentsOf: bytes[cursor..<edit.range.start])
            out.append(contentsOf: edit.newText.utf8)
            cursor = edit.range.end
        }
        out.append(contentsOf: bytes[cursor..<bytes.count])
        return String(decoding: out, as: UTF8.self)
    }
}

extension TextEdit {
    /// The edits with the insertions at one offset joined into one, their texts in the order given (every other
    /// edit as it is): fixes verified together apply this way, so two fixes may both insert at the start of a file.
    public static func joiningInsertions(_ edits: [TextEdit]) -> [TextEdit] {
        var out: [TextEdit] = []
        var insertionAt: [Int: Int] = [:]
        for edit in edits {
            guard edit.range.isEmpty else {
                out.append(edit)
                continue
            }
            if let i = insertionAt[edit.range.start] {
                out[i].newText += edit.newText
            } else {
                insertionAt[edit.range.start] = out.count
                out.append(edit)
            }
        }
        return out
    }
}

extension TextEdit {
    /// One edit that turns `old` into `new`, covering only the bytes that differ (never splitting a UTF-8 sequence).
    public static func minimal(from old: String, to new: String) -> TextEdit {
        let a = Array(old.utf8)
        let b = Array(new.utf8)
        var prefix = ByteSearch.commonPrefix(a, b)
        while prefix > 0 && prefix < a.count && (a[prefix] & 0xC0) == 0x80 { prefix -= 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        while suffix > 0 && (a[a.count - suffix] & 0xC0) == 0x80 { suffix -= 1 }
        return TextEdit(
            range: SourceRange(start: prefix, end: a.count - suffix),
            newText: String(decoding: b[prefix..<(b.count - suffix)], as: UTF8.self))
    }
}
