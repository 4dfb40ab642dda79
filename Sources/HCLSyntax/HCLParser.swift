import TextCore

/// Parses HCL native syntax (hashicorp/hcl's hclsyntax specification) into an AST with byte ranges.
///
/// The parser never throws: every syntax error becomes an ``HCLDiagnostic``
/// and parsing resumes at the next line, so a half-typed file still yields
/// every block and attribute that can be read.
public struct HCLParser: Sendable {
    /// Creates a parser.
    public init() {}

    /// Parses a file (`.tf`, `.tfvars`, or any HCL configuration).
    public func parse(_ source: SourceText) -> HCLFile {
        var state = HCLParserState(bytes: source.bytes, lineIndex: source.lineIndex)
        return state.parseFile(source, start: state.pos, items: [])
    }

    /// Parses `source`, an edit of the text `previous` was parsed from, resuming at the last top-level item
    /// the edit left untouched: the items before it, and the comments and errors found before it, are taken
    /// from `previous`. The result is the same as `parse(source)`: the parser's state at that item (cursor,
    /// collected output) is the one a full parse reaches there, since every byte it read so far is unchanged.
    public func parse(_ source: SourceText, reusing previous: HCLFile) -> HCLFile {
        let old = previous.source.bytes
        let new = source.bytes
        let common = old.withUnsafeBufferPointer { a in
            new.withUnsafeBufferPointer { b in
                var i = 0
                let n = min(a.count, b.count)
                while i < n && a[i] == b[i] { i += 1 }
                return i
            }
        }
        // The last checkpoint whose line, up to its line feed, is unchanged: the items before it were read from
        // unchanged bytes, and so was their furthest look-ahead (error recovery reads the next line's block header
        // up to its `{`, never past a line feed; a lone carriage return does not end it).
        let resume = previous.checkpoints.last { checkpoint in
            var end = checkpoint.position
            while end < common && old[end] != 0x0A { end += 1 }
            return end < common
        }
        guard let resume else { return parse(source) }
        var state = HCLParserState(bytes: new, lineIndex: source.lineIndex)
        let start = state.pos
        state.pos = resume.position
        state.diagnostics = Array(previous.diagnostics.prefix(resume.diagnostics))
        state.comments = Array(previous.comments.prefix(resume.comments))
        state.seenComments = Set(state.comments.map(\.range.start))
        let kept = Array(previous.body.items.prefix(resume.items))
        return state.parseFile(
            source, start: start, items: kept, checkpoints: previous.checkpoints.prefix { $0.position < resume.position })
    }

    /// Parses a string (tests, tfvars given on the command line).
    public func parse(_ text: String, path: String = "<string>") -> HCLFile {
        parse(SourceText(path: path, text: text))
    }
}

/// Thrown inside the parser to unwind to the nearest recovery point; the diagnostic is already recorded.
struct HCLSyntaxError: Error {}

/// The parser's cursor and collected output.
struct HCLParserState {
    let bytes: [UInt8]
    let lineIndex: LineIndex
    var pos = 0
    var diagnostics: [HCLDiagnostic] = []
    var comments: [HCLComment] = []
    var seenComments = Set<Int>()
    var depth = 0
    static let maxDepth = 400

    init(bytes: [UInt8], lineIndex: LineIndex) {
        self.bytes = bytes
        self.lineIndex = lineIndex
        // A UTF-8 byte order mark is not HCL, but editors write one; skip it rather than fail the file.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
    }

    // MARK: Characters

    var atEnd: Bool { pos >= bytes.count }

    func peek(_ k: Int = 0) -> UInt8? { pos + k < bytes.count ? bytes[pos + k] : nil }

    func peekIs(_ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard pos + n <= bytes.count else { return false }
        let u = s.utf8Start
        for i in 0..<n where bytes[pos + i] != u[i] { return false }
        return true
    }

    var atNewline: Bool { peek() == 0x0A || (peek() == 0x0D && peek(1) == 0x0A) }

    mutating func consumeNewline() {
        if peek() == 0x0D { pos += 1 }
        if peek() == 0x0A { pos += 1 }
    }

    /// Records an error at `range` and returns the error to throw.
    @discardableResult
    mutating func error(_ message: String, _ range: SourceRange) -> HCLSyntaxError {
        diagnostics.append(HCLDiagnostic(message: message, range: range))
        return HCLSyntaxError()
    }

    /// A one-character range at the cursor (empty at the end).
    var here: SourceRange { SourceRange(start: min(pos, bytes.count), end: min(pos + 1, bytes.count)) }

    /// A description of what is at the cursor, for error messages.
    var found: String {
        guard let c = peek() else { return "end of file" }
        if c == 0x0A || c == 0x0D { return "a newline" }
        if c < 0x80, c >= 0x20 { return "'\(String(decoding: [c], as: UTF8.self))'" }
        return "a non-ASCII character"
    }

    // MARK: Trivia

    /// Skips spaces, tabs and comments; newlines too when `newlines` (inside brackets).
    mutating func skipTrivia(newlines: Bool) {
        while let c = peek() {
            if c == 0x20 || c == 0x09 {
                pos += 1
            } else if c == 0x0A || (c == 0x0D && peek(1) == 0x0A) {
                guard newlines else { return }
                consumeNewline()
            } else if c == 0x0D {
                pos += 1
            } else if c == UInt8(ascii: "#") || (c == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/")) {
                let start = pos
                pos += c == UInt8(ascii: "#") ? 1 : 2
                let textStart = pos
                while let d = peek(), d != 0x0A, !(d == 0x0D && peek(1) == 0x0A) { pos += 1 }
                record(comment: textStart..<pos, start: start)
            } else if c == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                let start = pos
                pos += 2
                let textStart = pos
                while !atEnd && !peekIs("*/") { pos += 1 }
                let textEnd = pos
                if atEnd {
                    error("unterminated /* comment", SourceRange(start: start, end: start + 2))
                } else {
                    pos += 2
                }
                record(comment: textStart..<textEnd, start: start)
            } else {
                return
            }
        }
    }

    mutating func record(comment text: Range<Int>, start: Int) {
        guard seenComments.insert(start).inserted else { return }
        let lineStart = lineIndex.lineStarts[lineIndex.line(containing: start)]
        let ownLine = bytes[lineStart..<start].allSatisfy { $0 == 0x20 || $0 == 0x09 }
        comments.append(
            HCLComment(
                text: String(decoding: bytes[text], as: UTF8.self), range: SourceRange(start: start, end: pos), ownLine: ownLine))
    }

    /// Skips to the end of the current line (error recovery).
    mutating func skipLine() {
        while let c = peek(), c != 0x0A {
            _ = c
            pos += 1
        }
    }

    // MARK: Identifiers

    // ASCII is decided without Unicode property look-ups, which are slow and cover almost every identifier.
    static func isIdentStart(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 {
            let v = s.value
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || v == 0x5F
        }
        return s.properties.isIDStart
    }

    static func isIdentContinue(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 {
            let v = s.value
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || v == 0x5F || v == 0x2D
        }
        return s.properties.isIDContinue
    }

    /// The scalar at the cursor and its byte width.
    func scalar(at p: Int) -> (Unicode.Scalar, Int)? {
        guard p < bytes.count else { return nil }
        let lead = bytes[p]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        guard p + width <= bytes.count, let s = String(validating: bytes[p..<(p + width)], as: UTF8.self)?.unicodeScalars.first else {
            return nil
        }
        return (s, width)
    }

    var atIdentifier: Bool { scalar(at: pos).map { HCLParserState.isIdentStart($0.0) } ?? false }

    /// Reads an identifier at the cursor, or nil.
    mutating func identifier() -> (String, SourceRange)? {
        guard let (first, w) = scalar(at: pos), HCLParserState.isIdentStart(first) else { return nil }
        let start = pos
        pos += w
        while let (s, w) = scalar(at: pos), HCLParserState.isIdentContinue(s) { pos += w }
        return (String(decoding: bytes[start..<pos], as: UTF8.self), SourceRange(start: start, end: pos))
    }

    /// Whether the identifier `word` is at the cursor as a whole word.
    func atKeyword(_ word: StaticString) -> Bool {
        guard peekIs(word) else { return false }
        guard let (s, _) = scalar(at: pos + word.utf8CodeUnitCount) else { return true }
        return !HCLParserState.isIdentContinue(s)
    }

    // MARK: Structure

    /// Parses the top-level body, which begins at `start`, from the cursor on, after `items` (parsed before, up
    /// to the cursor), recording a checkpoint as each item begins.
    mutating func parseFile(_ source: SourceText, start: Int, items: [HCLBodyItem], checkpoints: ArraySlice<HCLCheckpoint> = [])
        -> HCLFile
    {
        var checkpoints = Array(checkpoints)
        let body = parseBody(nested: false, start: start, items: items) { state, count in
            checkpoints.append(
                HCLCheckpoint(position: state.pos, items: count, diagnostics: state.diagnostics.count, comments: state.comments.count))
        }
        var file = HCLFile(source: source, body: body, comments: comments, diagnostics: diagnostics)
        file.checkpoints = checkpoints
        return file
    }

    /// Parses body items until end of file, or until `}` when `nested`.
    mutating func parseBody(nested: Bool) -> HCLBody {
        parseBody(nested: nested, start: pos, items: []) { _, _ in }
    }

    /// Parses body items after `items`, the body starting at `start`; `checkpoint` is told the state as each
    /// item (or skipped line) begins, with the number of items so far.
    mutating func parseBody(
        nested: Bool, start: Int, items: [HCLBodyItem], checkpoint: (HCLParserState, Int) -> Void
    ) -> HCLBody {
        var items = items
        while true {
            skipTrivia(newlines: true)
            guard let c = peek() else { break }
            checkpoint(self, items.count)
            if c == UInt8(ascii: "}") {
                if nested { break }
                error("unexpected '}' with no block open", here)
                pos += 1
                continue
            }
            // After an error, a block header in column 1 starts a new top-level block: the
            // usual shape of a half-typed file is an unclosed block above well-formatted ones.
            if nested && !diagnostics.isEmpty && lineIndex.utf8Position(of: pos).column == 0 && looksLikeBlockHeader() {
                break
            }
            if let item = parseItem() { items.append(item) }
        }
        return HCLBody(items: items, range: SourceRange(start: start, end: max(start, pos)))
    }

    /// Whether the cursor starts `ident (label)* {` on this line.
    func looksLikeBlockHeader() -> Bool {
        var copy = self
        guard copy.identifier() != nil else { return false }
        while true {
            copy.skipTrivia(newlines: false)
            if copy.peek() == UInt8(ascii: "{") { return true }
            if copy.peek() == UInt8(ascii: "\"") {
                copy.pos += 1
                while let c = copy.peek(), c != UInt8(ascii: "\""), c != 0x0A { copy.pos += c == UInt8(ascii: "\\") ? 2 : 1 }
                guard copy.peek() == UInt8(ascii: "\"") else { return false }
                copy.pos += 1
            } else if copy.identifier() == nil {
                return false
            }
        }
    }

    /// Parses one attribute or block; on a syntax error, records it, skips the line and returns nil.
    mutating func parseItem() -> HCLBodyItem? {
        guard let (name, nameRange) = identifier() else {
            error("expected an attribute or a block, found \(found)", here)
            skipLine()
            return nil
        }
        do {
            skipTrivia(newlines: false)
            if peek() == UInt8(ascii: "=") && peek(1) != UInt8(ascii: "=") {
                pos += 1
                skipTrivia(newlines: false)
                let value = try parseExpression(newlines: false)
                try endOfItem()
                return .attribute(HCLAttribute(name: name, nameRange: nameRange, expression: value, range: nameRange.union(value.range)))
            }
            var labels: [HCLLabel] = []
            while true {
                skipTrivia(newlines: false)
                if peek() == UInt8(ascii: "{") { break }
                if peek() == UInt8(ascii: "\"") {
                    let t = try parseQuotedTemplate()
                    guard let literal = t.template.literal else {
                        throw error("a block label cannot contain interpolations", t.range)
                    }
                    labels.append(HCLLabel(value: literal, range: t.range))
                } else if let (label, range) = identifier() {
                    labels.append(HCLLabel(value: label, range: range))
                } else {
                    throw error("expected '=' for an attribute or '{' for a block after '\(name)', found \(found)", here)
                }
            }
            let open = here
            pos += 1
            depth += 1
            defer { depth -= 1 }
            if depth > HCLParserState.maxDepth { throw error("blocks nest too deeply", open) }
            let body = parseBody(nested: true)
            let close: SourceRange
            if peek() == UInt8(ascii: "}") {
                close = here
                pos += 1
                skipTrivia(newlines: false)
            } else {
                error("the block '\(name)' opened here is not closed", open)
                close = .empty(at: pos)
            }
            return .block(
                HCLBlock(
                    type: name, typeRange: nameRange, labels: labels, body: body, openBraceRange: open, closeBraceRange: close,
                    range: nameRange.union(close)))
        } catch {
            recover(itemStart: nameRange.start)
            return nil
        }
    }

    /// After an error: if the error is on a later line that starts a block in column 1
    /// (an unclosed bracket ran into the next block), resume there; otherwise skip the line.
    mutating func recover(itemStart: Int) {
        let line = lineIndex.line(containing: min(pos, bytes.count))
        let lineStart = lineIndex.lineStarts[line]
        if lineStart > itemStart {
            var probe = self
            probe.pos = lineStart
            if probe.looksLikeBlockHeader() {
                pos = lineStart
                return
            }
        }
        skipLine()
    }

    /// After an attribute: a newline, the end of file, or a `}` closing a one-line block.
    mutating func endOfItem() throws(HCLSyntaxError) {
        skipTrivia(newlines: false)
        if atEnd || atNewline || peek() == UInt8(ascii: "}") { return }
        throw error("expected a newline after the attribute value, found \(found)", here)
    }
}
