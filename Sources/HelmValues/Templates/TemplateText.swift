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
            var chars = Array(outside)
            var i = 0
            while i < chars.count, chars[i] == " " { i += 1 }
            var dash: Int?
            if i + 1 < chars.count, chars[i] == "-", chars[i + 1] == " " {
                dash = i
                i += 2
                while i < chars.count, chars[i] == " " { i += 1 }
            }
            let start = i
            while i < chars.count, chars[i].isLetter || chars[i].isNumber || "_-.".contains(chars[i]) { i += 1 }
            guard i > start, i < chars.count, chars[i] == ":", i + 1 == chars.count || chars[i + 1] == " " else { return nil }
            if chars[start] == "-" { return nil }
            chars = Array(chars[start..<i])
            return (String(chars), start, dash)
        }

        /// What follows `key:` outside actions (a literal value), trimmed.
        var literalAfterKey: String {
            guard let colon = outside.firstIndex(of: ":") else { return "" }
            return outside[outside.index(after: colon)...].trimmingCharacters(in: " ")
        }
    }

    /// The fields of the root context that are not values (`.Release`, `.Chart`, …).
    static let rootFields: Set<String> = ["Values", "Release", "Chart", "Capabilities", "Template", "Files", "Subcharts"]

    /// The lines, in order.
    var lines: [Line]

    /// Splits a template into lines and actions; a `{{/* comment */}}` is dropped.
    init(_ text: String) {
        var lines: [Line] = []
        var current = ""
        var actions: [Action] = []
        var lineNumber = 0
        var column = 0
        var indent: Int?
        var continuation = false
        let chars = Array(text)
        var i = 0
        func endLine() {
            lines.append(Line(outside: current, indent: indent ?? current.count, actions: actions, continuation: continuation))
            current = ""
            actions = []
            indent = nil
            continuation = false
            lineNumber += 1
            column = 0
        }
        while i < chars.count {
            let c = chars[i]
            if c == "{", i + 1 < chars.count, chars[i + 1] == "{" {
                let startLine = lineNumber
                let startColumn = column
                if indent == nil { indent = column }
                var j = i + 2
                var inner = ""
                while j < chars.count, !(chars[j] == "}" && j + 1 < chars.count && chars[j + 1] == "}") {
                    inner.append(chars[j])
                    j += 1
                }
                var newlines = 0
                for ch in inner where ch == "\n" { newlines += 1 }
                var trimmed = Substring(inner)
                if trimmed.hasPrefix("-") { trimmed = trimmed.dropFirst() }
                if trimmed.hasSuffix("-") { trimmed = trimmed.dropLast() }
                let body = trimmed.trimmingCharacters(in: " \t\n\r")
                if !(body.hasPrefix("/*") && body.hasSuffix("*/")) {
                    actions.append(Action(text: body, line: startLine, column: startColumn, endLine: startLine + newlines))
                }
                for _ in 0..<newlines {
                    endLine()
                    continuation = true
                }
                column += j + 2 - i
                i = min(j + 2, chars.count)
                continue
            }
            if c == "\n" {
                endLine()
            } else {
                if indent == nil && c != " " && c != "\t" { indent = column }
                current.append(c)
                column += 1
            }
            i += 1
        }
        if !current.isEmpty || !actions.isEmpty { endLine() }
        self.lines = lines
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
