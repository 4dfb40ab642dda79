import CPgQuery
import TextCore

/// PostgreSQL's own grammar (libpg_query, PostgreSQL 15): tells a statement PostgreSQL cannot parse from
/// one it can, which goldpath's own parser (built to read what it judges, and lenient) cannot.
public enum PostgresGrammar {
    /// A statement PostgreSQL's parser rejects.
    public struct SyntaxError: Sendable, Hashable {
        /// PostgreSQL's message (`syntax error at or near "TABEL"`).
        public var message: String
        /// The byte offset in the checked text where the parser stopped.
        public var offset: Int

        /// Whether the grammar itself failed (`syntax error at or near …`, `… at end of input`), rather than a
        /// check made while building the tree.
        public var isGrammarError: Bool { message.hasPrefix("syntax error") || message.hasPrefix("unterminated") }
    }

    /// The grammar's PostgreSQL version.
    public static let version = "15"

    /// The first syntax error in `text` (one or more statements), or nil when PostgreSQL parses it all.
    public static func firstError(in text: String) -> SyntaxError? {
        let result = pg_query_split_with_parser(text)
        defer { pg_query_free_split_result(result) }
        guard let error = result.error else { return nil }
        let message = error.pointee.message.map { String(cString: $0) } ?? "syntax error"
        return SyntaxError(message: message, offset: byteOffset(ofCharacter: Int(error.pointee.cursorpos) - 1, in: text))
    }

    /// PostgreSQL counts positions in characters (from 1); goldpath ranges are bytes.
    static func byteOffset(ofCharacter index: Int, in text: String) -> Int {
        guard index > 0 else { return 0 }
        var bytes = 0
        var characters = 0
        for scalar in text.unicodeScalars {
            if characters == index { break }
            bytes += String(scalar).utf8.count
            characters += 1
        }
        return bytes
    }

    /// The syntax errors of a parsed file's statements, one per statement PostgreSQL rejects, as ranges in the
    /// file. The file is checked in one call (its statements in place, everything else blanked) and only a
    /// file with an error is checked statement by statement. Statements holding template placeholders
    /// (`${name}`, `{{ name }}`) are not checked: they are not SQL until the tool fills them in.
    public static func errors(in file: SQLFile, bytes: [UInt8]) -> [SQLGrammarError] {
        // A statement is judged by its own text; one PostgreSQL parsed before (a fix's re-check parses its file again
        // with one statement added or changed) is not parsed again.
        let checked = file.statements.indices.compactMap { i -> (index: Int, text: String)? in
            let s = file.statements[i]
            guard !hasPlaceholder(s, bytes: bytes) && !usesNewerSyntax(s) else { return nil }
            let text = String(decoding: bytes[s.range.start..<(s.terminator?.end ?? s.range.end)], as: UTF8.self)
            return cleanStatements.get(text) == nil ? (i, text) : nil
        }
        guard !checked.isEmpty else { return [] }
        var masked = [UInt8](repeating: 32, count: bytes.count)
        for i in bytes.indices where bytes[i] == 10 { masked[i] = 10 }
        for (i, _) in checked {
            let s = file.statements[i]
            let end = s.terminator?.end ?? s.range.end
            masked.replaceSubrange(s.range.start..<end, with: bytes[s.range.start..<end])
            if s.terminator == nil, end < masked.count { masked[end] = UInt8(ascii: ";") }
        }
        guard firstError(in: String(decoding: masked, as: UTF8.self)) != nil else {
            for (_, text) in checked { cleanStatements.set(text, true) }
            return []
        }
        // Some statement failed: find each one that does.
        return checked.compactMap { i, statementText in
            let s = file.statements[i]
            let text = String(decoding: bytes[s.range.start..<s.range.end], as: UTF8.self)
            // Only the grammar's own verdict: checks PostgreSQL makes while building the tree ("subquery in FROM
            // must have an alias") are not syntax, and later versions relax some of them (16 drops that one).
            guard let error = firstError(in: text), error.isGrammarError else {
                cleanStatements.set(statementText, true)
                return nil
            }
            let at = s.range.start + error.offset
            // At the end of input the parser stopped past the last token: point at that token.
            let token =
                at >= s.range.end ? s.tokens.last : s.tokens.first { $0.range.start <= at && at < max($0.range.end, $0.range.start + 1) }
            let range = token?.range ?? SourceRange(start: min(at, s.range.end), end: min(at, s.range.end))
            return SQLGrammarError(statement: i, range: range, message: error.message)
        }
    }

    /// The texts (with their terminators) of statements the grammar accepted.
    static let cleanStatements = LockedCache<String, Bool>(limit: 65536)

    /// SQL/JSON functions (PostgreSQL 16 and 17: `JSON_OBJECT('a': 1)`, `JSON(… FORMAT JSON)`, `JSON_TABLE`),
    /// which PostgreSQL 15's grammar rejects although they are valid.
    static let newerFunctions: Set<String> = [
        "json", "json_object", "json_array", "json_objectagg", "json_arrayagg", "json_scalar", "json_serialize", "json_table",
        "json_exists", "json_query", "json_value",
    ]

    /// Whether a statement uses syntax newer than PostgreSQL 15 that migrations meet: SQL/JSON (16, 17),
    /// `SET EXPRESSION` and `MERGE … RETURNING` (17), virtual generated columns, `WITHOUT OVERLAPS`,
    /// `NOT ENFORCED` and named `CONSTRAINT c NOT NULL col` (18), `FOR PORTION OF` (19). Measured on the
    /// regression suite of PostgreSQL 20devel, these are where 15's grammar rejects valid statements.
    static func usesNewerSyntax(_ s: SQLStatement) -> Bool {
        func word(_ k: Int, _ w: String) -> Bool { k < s.tokens.count && s.tokens[k].isWord(w) }
        for (i, t) in s.tokens.enumerated() where t.kind == .word {
            switch t.value {
            case "virtual", "enforced": return true
            case "without" where word(i + 1, "overlaps"): return true
            case "set" where word(i + 1, "expression"): return true
            case "portion" where i > 0 && word(i - 1, "for") && word(i + 1, "of"): return true
            case "returning" where s.kind == "merge" || s.tokens.first?.isWord("merge") == true: return true
            case "constraint" where word(i + 2, "not") && word(i + 3, "null"): return true
            default: break
            }
            let next = i + 1 < s.tokens.count ? s.tokens[i + 1] : nil
            if newerFunctions.contains(t.value), next?.isPunct("(") == true { return true }
            if t.value == "is",
                next?.isWord("json") == true || (next?.isWord("not") == true && i + 2 < s.tokens.count && s.tokens[i + 2].isWord("json"))
            {
                return true
            }
        }
        return false
    }

    static func hasPlaceholder(_ s: SQLStatement, bytes: [UInt8]) -> Bool {
        var i = s.range.start
        while i + 1 < s.range.end {
            if (bytes[i] == UInt8(ascii: "$") || bytes[i] == UInt8(ascii: "{")) && bytes[i + 1] == UInt8(ascii: "{") { return true }
            i += 1
        }
        return false
    }
}

/// A statement PostgreSQL's grammar rejects, located in its file.
public struct SQLGrammarError: Sendable, Hashable {
    /// The statement's index in the file.
    public var statement: Int
    /// Where the parser stopped (the token there).
    public var range: SourceRange
    /// PostgreSQL's message.
    public var message: String
}
