import TextCore

/// A position in one statement's tokens, with the small steps every statement parser takes.
struct SQLCursor {
    let tokens: [SQLToken]
    var p = 0

    init(_ tokens: [SQLToken]) { self.tokens = tokens }

    var atEnd: Bool { p >= tokens.count }
    var current: SQLToken? { p < tokens.count ? tokens[p] : nil }
    func peek(_ k: Int = 0) -> SQLToken? { p + k < tokens.count ? tokens[p + k] : nil }

    /// The range of the token at the cursor, or an empty range after the last one.
    var here: SourceRange { current?.range ?? .empty(at: tokens.last?.range.end ?? 0) }

    /// Whether the next tokens are the words `ws`.
    func at(_ ws: String...) -> Bool { at(ws) }

    func at(_ ws: [String]) -> Bool {
        for (k, w) in ws.enumerated() where peek(k)?.isWord(w) != true { return false }
        return true
    }

    /// Accepts the words `ws` in sequence; returns their range.
    @discardableResult
    mutating func accept(_ ws: String...) -> SourceRange? {
        guard at(ws) else { return nil }
        let start = tokens[p].range.start
        p += ws.count
        return SourceRange(start: start, end: tokens[p - 1].range.end)
    }

    /// Accepts the punctuation or operator `s`.
    @discardableResult
    mutating func acceptPunct(_ s: String) -> SourceRange? {
        guard let t = current, t.isPunct(s) else { return nil }
        p += 1
        return t.range
    }

    /// Accepts `IF NOT EXISTS`.
    mutating func ifNotExists() -> SourceRange? { accept("if", "not", "exists") }

    /// Accepts `IF EXISTS`.
    mutating func ifExists() -> SourceRange? { accept("if", "exists") }

    /// An identifier (word or quoted), normalised (words lower-cased, quoted names as written).
    mutating func identifier() -> (name: String, range: SourceRange)? {
        guard let t = current, t.isIdentifier || t.kind == .placeholder else { return nil }
        p += 1
        return (t.value, t.range)
    }

    /// A dotted name such as `public.users` or `"Sales"."Orders"`.
    mutating func qualifiedName() -> (name: String, parts: [String], range: SourceRange)? {
        guard let first = identifier() else { return nil }
        var parts = [first.name]
        var range = first.range
        while current?.isPunct(".") == true, let next = peek(1), next.isIdentifier || next.kind == .placeholder || next.isPunct("*") {
            p += 2
            parts.append(next.value)
            range = range.union(next.range)
        }
        return (parts.joined(separator: "."), parts, range)
    }

    /// Skips a balanced `( ... )` or `[ ... ]` group at the cursor; returns its range.
    @discardableResult
    mutating func skipGroup() -> SourceRange? {
        guard let open = current, open.isPunct("(") || open.isPunct("[") else { return nil }
        var depth = 0
        let start = open.range.start
        while let t = current {
            if t.isPunct("(") || t.isPunct("[") { depth += 1 }
            if t.isPunct(")") || t.isPunct("]") { depth -= 1 }
            p += 1
            if depth == 0 { return SourceRange(start: start, end: t.range.end) }
        }
        return SourceRange(start: start, end: tokens.last?.range.end ?? start)
    }

    /// Skips tokens up to (not including) a `,` or `)` at this depth, or one of the words in `stops`;
    /// returns the range skipped, or nil if nothing was.
    @discardableResult
    mutating func skipExpression(stoppingAt stops: Set<String> = []) -> SourceRange? {
        let start = p
        while let t = current {
            if t.isPunct(",") || t.isPunct(")") || t.isPunct("]") { break }
            if t.kind == .word && stops.contains(t.value) { break }
            if t.isPunct("(") || t.isPunct("[") {
                skipGroup()
                continue
            }
            p += 1
        }
        guard p > start else { return nil }
        return SourceRange(start: tokens[start].range.start, end: tokens[p - 1].range.end)
    }

    /// The items of a parenthesised, comma-separated list at the cursor, each parsed by `item`.
    mutating func list<T>(_ item: (inout SQLCursor) -> T?) -> (items: [T], range: SourceRange)? {
        guard let open = acceptPunct("(") else { return nil }
        var items: [T] = []
        while !atEnd, current?.isPunct(")") != true {
            let before = p
            if let x = item(&self) { items.append(x) }
            // Whatever the item left, up to the next comma.
            skipExpression()
            if acceptPunct(",") == nil, p == before { p += 1 }
        }
        let close = acceptPunct(")") ?? here
        return (items, open.union(close))
    }

    /// The range from token `from` to the token before the cursor.
    func range(from start: Int) -> SourceRange {
        guard start < p, start < tokens.count else {
            return .empty(at: start < tokens.count ? tokens[start].range.start : (tokens.last?.range.end ?? 0))
        }
        return SourceRange(start: tokens[start].range.start, end: tokens[min(p, tokens.count) - 1].range.end)
    }

    /// Whether any remaining token at depth 0 is the word `w`.
    func remainingContains(_ w: String) -> Bool {
        var depth = 0
        for t in tokens[min(p, tokens.count)...] {
            if t.isPunct("(") { depth += 1 }
            if t.isPunct(")") { depth -= 1 }
            if depth == 0 && t.isWord(w) { return true }
        }
        return false
    }
}
