import TextCore

extension HCLParserState {
    /// How a template ends.
    enum TemplateEnd: Equatable {
        case quote
        case heredoc(end: Int)
    }

    /// A directive keyword that closed a nested template part list.
    enum DirectiveStop: Equatable {
        case none, elseDirective, endIf, endFor
    }

    /// Parses `"..."` at the cursor.
    mutating func parseQuotedTemplate() throws(HCLSyntaxError) -> (template: HCLTemplate, range: SourceRange) {
        let start = pos
        pos += 1
        var stripNext = false
        let (parts, stop) = try parseTemplateParts(end: .quote, stripLeading: &stripNext)
        if stop != .none { throw error("'%{' directive without its opening directive", here) }
        guard peek() == UInt8(ascii: "\"") else {
            throw error("unterminated string: a quoted string ends on the line it starts", SourceRange(start: start, end: start + 1))
        }
        pos += 1
        return (HCLTemplate(parts: parts, isHeredoc: false), SourceRange(start: start, end: pos))
    }

    /// Parses `<<EOT` or `<<-EOT` at the cursor, through the closing marker line.
    mutating func parseHeredoc() throws(HCLSyntaxError) -> HCLExpression {
        let start = pos
        pos += 2
        let indented = peek() == UInt8(ascii: "-")
        if indented { pos += 1 }
        guard let (marker, _) = identifier() else { throw error("expected a heredoc marker after '<<', found \(found)", here) }
        let header = SourceRange(start: start, end: pos)
        while let c = peek(), c == 0x20 || c == 0x09 || c == 0x0D {
            _ = c
            pos += 1
        }
        guard peek() == 0x0A else { throw error("a heredoc marker must end its line", header) }
        pos += 1
        let contentStart = pos
        // Find the closing marker: a line holding only the marker (spaces around it allowed).
        var lineStart = pos
        var contentEnd: Int?
        var after = bytes.count
        while lineStart <= bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let line = bytes[lineStart..<lineEnd]
            let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }.reversed()
            if Array(trimmed) == Array(marker.utf8) {
                contentEnd = lineStart
                after = lineEnd
                break
            }
            if lineEnd >= bytes.count { break }
            lineStart = lineEnd + 1
        }
        guard let end = contentEnd else {
            pos = bytes.count
            throw error("the heredoc \(marker) is not closed: no line holds only \(marker)", header)
        }
        var stripNext = false
        var (parts, stop) = try parseTemplateParts(end: .heredoc(end: end), stripLeading: &stripNext)
        if stop != .none { throw error("'%{' directive without its opening directive", here) }
        pos = after
        if indented { parts = HCLParserState.removeIndentation(parts) }
        _ = contentStart
        return HCLExpression(.template(HCLTemplate(parts: parts, isHeredoc: true)), SourceRange(start: start, end: after))
    }

    /// Parses template parts until the end, or until `else`/`endif`/`endfor` directives (returned as the stop).
    mutating func parseTemplateParts(end: TemplateEnd, stripLeading: inout Bool) throws(HCLSyntaxError) -> (
        [HCLTemplatePart], DirectiveStop
    ) {
        var parts: [HCLTemplatePart] = []
        var literal: [UInt8] = []
        var literalStart = pos
        func limit() -> Int {
            if case .heredoc(let e) = end { return e }
            return bytes.count
        }
        func flush(_ p: inout [HCLTemplatePart], upTo: Int) {
            if !literal.isEmpty {
                var text = String(decoding: literal, as: UTF8.self)
                if stripLeading { text = String(text.drop { $0.isWhitespace }) }
                if !text.isEmpty { p.append(.literal(text, SourceRange(start: literalStart, end: upTo))) }
            }
            stripLeading = false
            literal = []
        }
        func stripTrailing(_ p: inout [HCLTemplatePart]) {
            if case .literal(let text, let range)? = p.last {
                let trimmed = String(text.reversed().drop { $0.isWhitespace }.reversed())
                p.removeLast()
                if !trimmed.isEmpty { p.append(.literal(trimmed, range)) }
            }
        }
        while pos < limit() {
            let c = bytes[pos]
            if end == .quote && c == UInt8(ascii: "\"") { break }
            if end == .quote && (c == 0x0A || c == 0x0D) { break }
            if c == UInt8(ascii: "$") && peek(1) == UInt8(ascii: "$") && peek(2) == UInt8(ascii: "{") {
                literal += Array("${".utf8)
                pos += 3
                continue
            }
            if c == UInt8(ascii: "%") && peek(1) == UInt8(ascii: "%") && peek(2) == UInt8(ascii: "{") {
                literal += Array("%{".utf8)
                pos += 3
                continue
            }
            if c == UInt8(ascii: "$") && peek(1) == UInt8(ascii: "{") {
                let open = pos
                flush(&parts, upTo: pos)
                pos += 2
                if peek() == UInt8(ascii: "~") {
                    pos += 1
                    stripTrailing(&parts)
                }
                skipTrivia(newlines: true)
                let expr = try parseExpression(newlines: true)
                skipTrivia(newlines: true)
                if peek() == UInt8(ascii: "~") {
                    pos += 1
                    stripLeading = true
                }
                guard peek() == UInt8(ascii: "}") else {
                    throw error("expected '}' to close the interpolation opened here", SourceRange(start: open, end: open + 2))
                }
                pos += 1
                parts.append(.interpolation(expr))
                let keep = stripLeading
                literalStart = pos
                stripLeading = keep
                continue
            }
            if c == UInt8(ascii: "%") && peek(1) == UInt8(ascii: "{") {
                let open = pos
                flush(&parts, upTo: pos)
                pos += 2
                if peek() == UInt8(ascii: "~") {
                    pos += 1
                    stripTrailing(&parts)
                }
                skipTrivia(newlines: true)
                guard let (keyword, keywordRange) = identifier() else {
                    throw error("expected if, for, else, endif or endfor after '%{'", here)
                }
                switch keyword {
                case "if":
                    skipTrivia(newlines: true)
                    let condition = try parseExpression(newlines: true)
                    try closeDirective(open, strip: &stripLeading)
                    let (thenParts, firstStop) = try parseTemplateParts(end: end, stripLeading: &stripLeading)
                    var stop = firstStop
                    var elseParts: [HCLTemplatePart]?
                    if stop == .elseDirective {
                        let (e, stop2) = try parseTemplateParts(end: end, stripLeading: &stripLeading)
                        elseParts = e
                        stop = stop2
                    }
                    guard stop == .endIf else {
                        throw error("%{if} without a matching %{endif}", SourceRange(start: open, end: keywordRange.end))
                    }
                    parts.append(.ifDirective(condition: condition, then: thenParts, else: elseParts))
                case "for":
                    let intro = try parseForVariables(in: "%{for} directive")
                    let (keyName, valueName, collection) = (intro.keyName, intro.valueName, intro.collection)
                    try closeDirective(open, strip: &stripLeading)
                    let (body, stop) = try parseTemplateParts(end: end, stripLeading: &stripLeading)
                    guard stop == .endFor else {
                        throw error("%{for} without a matching %{endfor}", SourceRange(start: open, end: keywordRange.end))
                    }
                    parts.append(.forDirective(keyName: keyName, valueName: valueName, collection: collection, body: body))
                case "else", "endif", "endfor":
                    try closeDirective(open, strip: &stripLeading)
                    return (parts, keyword == "else" ? .elseDirective : keyword == "endif" ? .endIf : .endFor)
                default:
                    throw error("unknown template directive '\(keyword)' (if, for, else, endif, endfor)", keywordRange)
                }
                literalStart = pos
                continue
            }
            if c == UInt8(ascii: "\\") && end == .quote {
                pos += 1
                try readEscape(into: &literal)
                continue
            }
            literal.append(c)
            pos += 1
        }
        flush(&parts, upTo: pos)
        return (parts, .none)
    }

    private mutating func closeDirective(_ open: Int, strip: inout Bool) throws(HCLSyntaxError) {
        skipTrivia(newlines: true)
        if peek() == UInt8(ascii: "~") {
            pos += 1
            strip = true
        }
        guard peek() == UInt8(ascii: "}") else {
            throw error("expected '}' to close the directive opened here", SourceRange(start: open, end: open + 2))
        }
        pos += 1
    }

    private mutating func readEscape(into out: inout [UInt8]) throws(HCLSyntaxError) {
        guard let c = peek() else { throw error("unterminated escape sequence", here) }
        let start = pos - 1
        pos += 1
        switch c {
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "\""): out.append(c)
        case UInt8(ascii: "\\"): out.append(c)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = c == UInt8(ascii: "u") ? 4 : 8
            guard pos + count <= bytes.count, let v = UInt32(String(decoding: bytes[pos..<(pos + count)], as: UTF8.self), radix: 16),
                let scalar = Unicode.Scalar(v)
            else {
                throw error(
                    "invalid \\\(String(decoding: [c], as: UTF8.self)) escape: expected \(count) hexadecimal digits",
                    SourceRange(start: start, end: min(bytes.count, pos + count)))
            }
            pos += count
            out += Array(String(Character(scalar)).utf8)
        default:
            throw error(
                "invalid escape sequence '\\\(String(decoding: [c], as: UTF8.self))' (\\n \\r \\t \\\" \\\\ \\uNNNN \\UNNNNNNNN)",
                SourceRange(start: start, end: pos))
        }
    }

    /// `<<-` heredocs: removes the smallest indentation of the literal lines from every line.
    static func removeIndentation(_ parts: [HCLTemplatePart]) -> [HCLTemplatePart] {
        var minIndent = Int.max
        var atLineStart = true
        for part in parts {
            guard case .literal(let text, _) = part else {
                atLineStart = false
                continue
            }
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if i > 0 || atLineStart {
                    if !line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                        minIndent = min(minIndent, line.prefix { $0 == " " || $0 == "\t" }.count)
                    }
                }
            }
            atLineStart = text.hasSuffix("\n")
        }
        guard minIndent != Int.max, minIndent > 0 else { return parts }
        atLineStart = true
        return parts.map { part in
            guard case .literal(let text, let range) = part else {
                atLineStart = false
                return part
            }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { i, line -> Substring in
                (i > 0 || atLineStart) ? line.dropFirst(min(minIndent, line.prefix { $0 == " " || $0 == "\t" }.count)) : line
            }
            atLineStart = text.hasSuffix("\n")
            return .literal(lines.joined(separator: "\n"), range)
        }
    }
}
