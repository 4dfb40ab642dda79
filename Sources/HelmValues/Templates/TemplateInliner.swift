import TextCore

/// Inlines the named templates a template includes on a line of their own (`{{- include "lib.container" . | nindent 8 }}`),
/// indented as the pipeline says, so a pod spec or a container kept in a helper is read where it is rendered.
///
/// Only structure is inlined: a named template whose body holds no `key:` line (a name, a label value) is left
/// as it is. The root context (`.` or `$`) is required, since the body reads `.Values` as written.
struct TemplateInliner {
    /// A named template's body lines, as written between `define` and its `end`, and what inlining needs of them.
    private struct Body {
        var lines: [Substring]
        /// Whether a line holds a `key:`: only such a body is structure worth inlining.
        var holdsKey: Bool
        /// The least indentation of its lines that are not blank.
        var indent: Int
    }

    /// The body of each named template.
    private var bodies: [String: Body] = [:]

    /// Reads the named templates of `files` (a `define` and its `end` on lines of their own).
    init(_ files: [SourceText]) {
        for file in files where TemplateKinds.definesTemplate(file.text) { collect(file.text) }
    }

    private mutating func collect(_ text: String) {
        let lines = TemplateInliner.lines(of: text)
        var i = 0
        while i < lines.count {
            guard let name = TemplateInliner.definedName(lines[i]) else {
                i += 1
                continue
            }
            var depth = 1
            var j = i + 1
            while j < lines.count {
                depth += TemplateInliner.nesting(lines[j])
                if depth <= 0 { break }
                j += 1
            }
            if j < lines.count {
                let body = Array(lines[(i + 1)..<j])
                bodies[name] = Body(
                    lines: body, holdsKey: body.contains(where: TemplateInliner.holdsKey),
                    indent: body.filter { !$0.allSatisfy(\.isWhitespace) }.map { $0.prefix { $0 == " " }.count }.min() ?? 0)
            }
            i = j + 1
        }
    }

    /// The template's text with structural includes inlined, `depth` levels deep.
    func inline(_ text: String, depth: Int = 4) -> String {
        // Re-joining its lines only drops carriage returns: a text with none, and nothing to inline, is returned as it is.
        let keepsText = !text.containsBytes("\r")
        if keepsText, depth <= 0 || bodies.isEmpty || !(text.containsBytes("include") || text.containsBytes("template")) { return text }
        if keepsText, !includesStructure(text) { return text }
        var out: [Substring] = []
        var changed = false
        for line in TemplateInliner.lines(of: text) {
            if depth > 0, let (name, indent) = TemplateInliner.standaloneInclude(line), let body = bodies[name], body.holdsKey {
                let common = body.indent
                let shift = indent ?? line.prefix { $0 == " " }.count
                let pad = String(repeating: " ", count: shift)
                out += body.lines.map {
                    $0.allSatisfy(\.isWhitespace)
                        ? $0 : Substring(pad + TemplateInliner.shifting(String($0.dropFirst(common)), by: shift - common))
                }
                changed = true
            } else {
                out.append(line)
            }
        }
        if !changed && keepsText { return text }
        let joined = out.joined(separator: "\n")
        return changed ? inline(joined, depth: depth - 1) : joined
    }

    /// Whether a line of `text` includes, on its own, a named template that is structure: what `inline` would
    /// replace. Lines are found by bytes, and only one that starts with `{{` is read further (most templates have
    /// includes, few of them on a line of their own).
    private func includesStructure(_ text: String) -> Bool {
        var bytes = text
        // The byte ranges of the lines that start with `{{` and name `include` or `template`.
        let candidates = bytes.withUTF8 { b -> [Range<Int>] in
            var out: [Range<Int>] = []
            var start = 0
            while start < b.count {
                var end = start
                while end < b.count, b[end] != UInt8(ascii: "\n") { end += 1 }
                var first = start
                while first < end, b[first] == 0x20 || b[first] == 0x09 { first += 1 }
                if first + 1 < end, b[first] == UInt8(ascii: "{"), b[first + 1] == UInt8(ascii: "{"),
                    Self.namesInclusion(UnsafeBufferPointer(rebasing: b[first..<end]))
                {
                    out.append(start..<end)
                }
                start = end + 1
            }
            return out
        }
        let utf8 = text.utf8
        return candidates.contains { range in
            let line = text[
                utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)]
            guard let (name, _) = TemplateInliner.standaloneInclude(line) else { return false }
            return bodies[name]?.holdsKey == true
        }
    }

    /// Whether a line's bytes hold `include` or `template`, the words a standalone include starts with.
    private static func namesInclusion(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        ByteSearch.firstOffset(of: includeWord, in: line) != nil || ByteSearch.firstOffset(of: templateWord, in: line) != nil
    }

    private static let includeWord = Array("include".utf8)
    private static let templateWord = Array("template".utf8)

    /// The text's lines, split at LF bytes, each without its line end (LF or CRLF): Character-wise splitting breaks
    /// graphemes and never splits at CRLF, which is one Character.
    static func lines(of text: String) -> [Substring] {
        let newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")
        return text.utf8.split(separator: newline, omittingEmptySubsequences: false).map { bytes in
            var end = bytes.endIndex
            if let last = bytes.last, last == carriageReturn { end = text.utf8.index(before: end) }
            return text[bytes.startIndex..<end]
        }
    }

    /// The line with every `nindent N` / `indent N` moved by `shift`: the outer pipeline indents the whole body.
    static func shifting(_ line: String, by shift: Int) -> String {
        guard shift != 0, line.containsBytes("indent ") else { return line }
        var out = ""
        var rest = Substring(line)
        while let r = rest.firstByteRange(of: "indent ") {
            out += rest[..<r.upperBound]
            rest = rest[r.upperBound...]
            let digits = rest.prefix { $0.isNumber }
            if let n = Int(digits) {
                out += String(max(0, n + shift))
                rest = rest.dropFirst(digits.count)
            }
        }
        return out + rest
    }

    /// `name` of a line holding only `{{- define "name" -}}`.
    static func definedName(_ line: Substring) -> String? {
        let t = action(line)
        guard let t, t.hasPrefix("define ") else { return nil }
        let tokens = TemplateConditionParser.tokens(t)
        guard tokens.count == 2, tokens[1].hasPrefix("\"") else { return nil }
        return String(tokens[1].dropFirst().dropLast())
    }

    /// How a line changes the nesting of control blocks: +1 for `if`/`with`/`range`/`define`/`block`, -1 per `end`.
    static func nesting(_ line: Substring) -> Int {
        // By bytes when the line is ASCII (every line of every helper file is read here).
        var bytes = line
        if let n = bytes.withUTF8({ asciiNesting($0) }) { return n }
        var n = 0
        var rest = line[...]
        while let open = rest.firstByteRange(of: "{{") {
            guard let close = rest[open.upperBound...].firstByteRange(of: "}}") else { break }
            var body = rest[open.upperBound..<close.lowerBound]
            if body.hasPrefix("-") { body = body.dropFirst() }
            let word = body.drop { $0 == " " }.prefix { !$0.isWhitespace && $0 != "-" }
            if ["if", "with", "range", "define", "block"].contains(word) { n += 1 }
            if word == "end" { n -= 1 }
            rest = rest[close.upperBound...]
        }
        return n
    }

    /// `nesting` of an ASCII line, read by bytes; nil when the line holds a byte past ASCII.
    private static func asciiNesting(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !b.contains(where: { $0 >= 0x80 }) else { return nil }
        let open = UInt8(ascii: "{")
        let close = UInt8(ascii: "}")
        let dash = UInt8(ascii: "-")
        var n = 0
        var i = 0
        while i + 1 < b.count {
            guard b[i] == open, b[i + 1] == open else {
                i += 1
                continue
            }
            var end = i + 2
            while end + 1 < b.count, !(b[end] == close && b[end + 1] == close) { end += 1 }
            guard end + 1 < b.count else { break }
            var k = i + 2
            if k < end, b[k] == dash { k += 1 }
            while k < end, b[k] == 0x20 { k += 1 }
            let start = k
            // Whitespace as `Character.isWhitespace` has it in ASCII: tab, line feed, vertical tab, form feed, carriage return, space.
            while k < end, b[k] != dash, !(b[k] == 0x20 || (b[k] >= 0x09 && b[k] <= 0x0D)) { k += 1 }
            switch String(decoding: UnsafeBufferPointer(rebasing: b[start..<k]), as: UTF8.self) {
            case "if", "with", "range", "define", "block": n += 1
            case "end": n -= 1
            default: break
            }
            i = end + 2
        }
        return n
    }

    /// The action of a line that holds nothing else.
    private static func action(_ line: Substring) -> String? {
        // By bytes: this runs for every line of every template, and every marker is ASCII.
        var line = line
        return line.withUTF8 { b -> String? in
            let open = UInt8(ascii: "{")
            let close = UInt8(ascii: "}")
            var lo = 0
            var hi = b.count
            while lo < hi, b[lo] == 0x20 || b[lo] == 0x09 { lo += 1 }
            guard hi - lo >= 4, b[lo] == open, b[lo + 1] == open, b[hi - 2] == close, b[hi - 1] == close else { return nil }
            // One action only: no other `{{` after the first.
            var k = lo + 2
            while k + 1 < hi {
                if b[k] == open && b[k + 1] == open { return nil }
                k += 1
            }
            lo += 2
            hi -= 2
            if lo < hi, b[lo] == UInt8(ascii: "-") { lo += 1 }
            if lo < hi, b[hi - 1] == UInt8(ascii: "-") { hi -= 1 }
            while lo < hi, b[lo] == 0x20 || b[lo] == 0x09 { lo += 1 }
            while lo < hi, b[hi - 1] == 0x20 || b[hi - 1] == 0x09 { hi -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self)
        }
    }

    /// The named template and the indentation of `{{ include "name" . | nindent N }}` on a line of its own.
    static func standaloneInclude(_ line: Substring) -> (String, Int?)? {
        guard let t = action(line) else { return nil }
        let tokens = TemplateConditionParser.tokens(t)
        guard tokens.count >= 3, tokens[0] == "include" || tokens[0] == "template", tokens[1].hasPrefix("\""),
            tokens[2] == "." || tokens[2] == "$"
        else { return nil }
        var indent: Int?
        if tokens.count > 3 {
            guard tokens.count == 6, tokens[3] == "|", tokens[4] == "nindent" || tokens[4] == "indent", let n = Int(tokens[5]) else {
                return nil
            }
            indent = n
        }
        return (String(tokens[1].dropFirst().dropLast()), indent)
    }

    private static func holdsKey(_ line: Substring) -> Bool {
        TemplateText(String(line)).lines.first?.key != nil
    }
}
