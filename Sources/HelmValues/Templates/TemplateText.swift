/// A chart template read as text: its `{{ … }}` actions and the YAML outline of the text around them.
///
/// Templates are not YAML until rendered, so they are read line by line: a
/// line's indentation and leading `key:` (or `- key:`) give the outline, and
/// the actions on it give the values it renders and the conditions it is under.
struct TemplateText {
    /// One `{{ … }}` action.
    struct Action {
        /// The text between the delimiters, without `-` trim markers and surrounding spaces.
        var text: String
        /// The 0-based line the action starts on.
        var line: Int
        /// The column (in characters) of its `{{`.
        var column: Int
        /// The line it ends on.
        var endLine: Int
    }

    /// One line of the outline.
    struct Line {
        /// The line's text with every action removed.
        var outside: String
        /// The column of the first character that is not a space, counting actions.
        var indent: Int
        /// The actions that start on this line.
        var actions: [Action]
        /// Whether the line lies inside a multi-line action that started earlier.
        var continuation: Bool

        /// The `key` of a `key:` or `- key:` line, its column, and the dash's column for a list item.
        var key: (name: String, column: Int, dash: Int?)? {
            // Bytes: the markers are ASCII, and a byte past ASCII belongs to a (non-ASCII) name character.
            var text = outside
            return text.withUTF8 { chars -> (name: String, column: Int, dash: Int?)? in
                let space = UInt8(ascii: " ")
                var i = 0
                while i < chars.count, chars[i] == space { i += 1 }
                var dash: Int?
                if i + 1 < chars.count, chars[i] == UInt8(ascii: "-"), chars[i + 1] == space {
                    dash = i
                    i += 2
                    while i < chars.count, chars[i] == space { i += 1 }
                }
                let start = i
                while i < chars.count, Self.isNameByte(chars[i]) { i += 1 }
                guard i > start, i < chars.count, chars[i] == UInt8(ascii: ":"), i + 1 == chars.count || chars[i + 1] == space else {
                    return nil
                }
                if chars[start] == UInt8(ascii: "-") { return nil }
                return (String(decoding: chars[start..<i], as: UTF8.self), start, dash)
            }
        }

        /// Whether a byte may be part of a key: an ASCII letter or digit, `_ - .`, or any byte of a non-ASCII character.
        static func isNameByte(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
                || b == UInt8(ascii: ".") || b >= 0x80
        }

        /// What follows `key:` outside actions (a literal value), trimmed.
        var literalAfterKey: String {
            // By bytes when the line is ASCII (most are; this runs for every key line of every template).
            var text = outside
            let ascii = text.withUTF8 { b -> String? in
                guard !b.contains(where: { $0 >= 0x80 }) else { return nil }
                guard let colon = b.firstIndex(of: UInt8(ascii: ":")) else { return "" }
                var lo = colon + 1
                var hi = b.count
                while lo < hi, b[lo] == 0x20 { lo += 1 }
                while lo < hi, b[hi - 1] == 0x20 { hi -= 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self)
            }
            if let ascii { return ascii }
            guard let colon = outside.firstIndex(of: ":") else { return "" }
            return outside[outside.index(after: colon)...].trimmingCharacters(in: " ")
        }
    }

    /// The fields of the root context that are not values (`.Release`, `.Chart`, …).
    static let rootFields: Set<String> = ["Values", "Release", "Chart", "Capabilities", "Template", "Files", "Subcharts"]

    /// The lines, in order.
    var lines: [Line]

    /// Splits a template into lines and actions; a `{{/* comment */}}` is dropped. A line may end in LF or CRLF.
    ///
    /// The text is read as UTF-8 bytes (every marker is ASCII); columns count Unicode scalars.
    init(_ text: String) {
        var text = text
        lines = text.withUTF8 { TemplateText.split($0) }
    }

    private static func split(_ b: UnsafeBufferPointer<UInt8>) -> [Line] {
        let open = UInt8(ascii: "{")
        let close = UInt8(ascii: "}")
        let newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")
        var lines: [Line] = []
        var current: [UInt8] = []
        var currentScalars = 0
        var actions: [Action] = []
        var lineNumber = 0
        var column = 0
        var indent: Int?
        var continuation = false
        let n = b.count
        /// Whether a byte starts a scalar (is not a UTF-8 continuation byte).
        func startsScalar(_ byte: UInt8) -> Bool { byte & 0xC0 != 0x80 }
        func endLine() {
            lines.append(
                Line(
                    outside: String(decoding: current, as: UTF8.self), indent: indent ?? currentScalars, actions: actions,
                    continuation: continuation))
            current.removeAll(keepingCapacity: true)
            currentScalars = 0
            actions = []
            indent = nil
            continuation = false
            lineNumber += 1
            column = 0
        }
        var i = 0
        while i < n {
            let c = b[i]
            if c == open, i + 1 < n, b[i + 1] == open {
                let startLine = lineNumber
                let startColumn = column
                if indent == nil { indent = column }
                var j = i + 2
                var newlines = 0
                var scalars = 0
                while j < n, !(b[j] == close && j + 1 < n && b[j + 1] == close) {
                    if b[j] == newline { newlines += 1 }
                    if startsScalar(b[j]) { scalars += 1 }
                    j += 1
                }
                var lo = i + 2
                var hi = j
                if lo < hi, b[lo] == UInt8(ascii: "-") { lo += 1 }
                if lo < hi, b[hi - 1] == UInt8(ascii: "-") { hi -= 1 }
                func isTrimmed(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == newline || byte == carriageReturn }
                while lo < hi, isTrimmed(b[lo]) { lo += 1 }
                while lo < hi, isTrimmed(b[hi - 1]) { hi -= 1 }
                let isComment =
                    hi - lo >= 3 && b[lo] == UInt8(ascii: "/") && b[lo + 1] == UInt8(ascii: "*") && b[hi - 2] == UInt8(ascii: "*")
                    && b[hi - 1] == UInt8(ascii: "/")
                if !isComment {
                    let body = String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self)
                    actions.append(Action(text: body, line: startLine, column: startColumn, endLine: startLine + newlines))
                }
                for _ in 0..<newlines {
                    endLine()
                    continuation = true
                }
                column += scalars + 4
                i = min(j + 2, n)
                continue
            }
            if c == newline {
                endLine()
            } else if c == carriageReturn, i + 1 < n, b[i + 1] == newline {
                // The CR of a CRLF line end belongs to the line end, not to the text.
            } else {
                if indent == nil && c != 0x20 && c != 0x09 { indent = column }
                current.append(c)
                if startsScalar(c) {
                    column += 1
                    currentScalars += 1
                }
            }
            i += 1
        }
        if !current.isEmpty || !actions.isEmpty { endLine() }
        return lines
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}
