import TextCore

/// Splits PostgreSQL source text into tokens, byte by byte; never fails.
///
/// Handles dollar-quoted strings with tags, `E''`/`U&''`/`B''`/`X''` strings,
/// quoted identifiers, nested block comments, line comments, psql
/// meta-commands (`\set ...` to the end of the line), the data of
/// `COPY ... FROM stdin` up to `\.`, psql variables (`:name`, `:'name'`) and
/// template placeholders (`{{ ... }}`). An unterminated string or comment runs
/// to the end of the text and is reported.
public struct SQLLexer {
    private let bytes: [UInt8]
    private var i = 0
    private(set) var tokens: [SQLToken] = []
    private(set) var errors: [SQLSyntaxError] = []
    /// Where the current statement's tokens start (for COPY ... FROM stdin).
    private var statementStart = 0

    /// Tokenises `bytes`.
    public static func tokenize(_ bytes: [UInt8]) -> (tokens: [SQLToken], errors: [SQLSyntaxError]) {
        var lexer = SQLLexer(bytes: bytes)
        lexer.run()
        return (lexer.tokens, lexer.errors)
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func peek(_ k: Int = 0) -> UInt8 { i + k < bytes.count ? bytes[i + k] : 0 }

    private static func isIdentStart(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 || c >= 128 }
    private static func isIdentPart(_ c: UInt8) -> Bool { isIdentStart(c) || (c >= 48 && c <= 57) || c == 36 }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    private static let operatorChars = Set("+-*/<>=~!@#%^&|`?".utf8)

    private func text(_ a: Int, _ b: Int) -> String { String(decoding: bytes[a..<b], as: UTF8.self) }

    private mutating func emit(_ kind: SQLToken.Kind, _ value: String, from start: Int) {
        tokens.append(SQLToken(kind: kind, value: value, range: SourceRange(start: start, end: i)))
    }

    private mutating func run() {
        while i < bytes.count {
            let c = bytes[i]
            let start = i
            switch c {
            case 32, 9, 10, 13, 12, 11:
                i += 1
            case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-"):
                while i < bytes.count && bytes[i] != 10 { i += 1 }
                emit(.lineComment, text(start + 2, i), from: start)
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                blockComment()
            case UInt8(ascii: "'"):
                quoted(quote: 39, backslashes: false, kind: .string, from: start)
            case UInt8(ascii: "\""):
                quoted(quote: 34, backslashes: false, kind: .quotedIdentifier, from: start)
            case UInt8(ascii: "$"):
                dollar()
            case UInt8(ascii: "\\") where peek(1) == UInt8(ascii: ";"):
                // psql's `\;` separates statements sent together.
                i += 2
                emit(.punctuation, ";", from: start)
                statementStart = tokens.count
            case UInt8(ascii: "\\"):
                // A psql meta-command runs to the end of the line.
                while i < bytes.count && bytes[i] != 10 { i += 1 }
                emit(.psqlMeta, text(start, i).trimmingTrailingSpace, from: start)
                statementStart = tokens.count
            case UInt8(ascii: "{") where peek(1) == UInt8(ascii: "{"):
                placeholder()
            case UInt8(ascii: ":") where peek(1) == UInt8(ascii: ":"):
                i += 2
                emit(.op, "::", from: start)
            case UInt8(ascii: ":")
            where peek(1) == 39 || peek(1) == 34 || (Self.isIdentStart(peek(1)) && !(tokens.last?.isPunct("[") ?? false)):
                i += 1
                if peek() == 39 || peek() == 34 {
                    let q = peek()
                    i += 1
                    while i < bytes.count && bytes[i] != q && bytes[i] != 10 { i += 1 }
                    if i < bytes.count && bytes[i] == q { i += 1 }
                } else {
                    while i < bytes.count && Self.isIdentPart(bytes[i]) { i += 1 }
                }
                emit(.placeholder, text(start, i), from: start)
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ":"):
                i += 1
                emit(.punctuation, text(start, i), from: start)
            case UInt8(ascii: ";"):
                i += 1
                emit(.punctuation, ";", from: start)
                skipCopyDataIfNeeded()
                statementStart = tokens.count
            case UInt8(ascii: "."):
                if Self.isDigit(peek(1)) {
                    number()
                } else {
                    i += 1
                    emit(.punctuation, ".", from: start)
                }
            case 48...57:
                number()
            default:
                if Self.isIdentStart(c) {
                    word()
                } else if Self.operatorChars.contains(c) {
                    while i < bytes.count, Self.operatorChars.contains(bytes[i]) {
                        // A comment start ends the operator.
                        if i > start,
                            (bytes[i] == UInt8(ascii: "-") && peek(1) == UInt8(ascii: "-"))
                                || (bytes[i] == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*"))
                        {
                            break
                        }
                        i += 1
                    }
                    emit(.op, text(start, i), from: start)
                } else {
                    i += 1
                    emit(.op, text(start, i), from: start)
                }
            }
        }
    }

    private mutating func word() {
        let start = i
        // Prefixed strings: E'..', B'..', X'..', N'..', U&'..', U&"..".
        let c = bytes[i] | 0x20
        if peek(1) == 39, c == UInt8(ascii: "e") || c == UInt8(ascii: "b") || c == UInt8(ascii: "x") || c == UInt8(ascii: "n") {
            i += 1
            quoted(quote: 39, backslashes: c == UInt8(ascii: "e"), kind: .string, from: start)
            return
        }
        if c == UInt8(ascii: "u"), peek(1) == UInt8(ascii: "&"), peek(2) == 39 || peek(2) == 34 {
            i += 2
            quoted(quote: bytes[i], backslashes: false, kind: bytes[i] == 39 ? .string : .quotedIdentifier, from: start)
            return
        }
        while i < bytes.count && Self.isIdentPart(bytes[i]) { i += 1 }
        emit(.word, text(start, i).lowercased(), from: start)
    }

    private mutating func quoted(quote: UInt8, backslashes: Bool, kind: SQLToken.Kind, from start: Int) {
        i += 1
        var value: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            if backslashes && b == 92 && i + 1 < bytes.count {
                value.append(bytes[i + 1])
                i += 2
                continue
            }
            if b == quote {
                if peek(1) == quote {
                    value.append(quote)
                    i += 2
                    continue
                }
                i += 1
                emit(kind, String(decoding: value, as: UTF8.self), from: start)
                return
            }
            value.append(b)
            i += 1
        }
        errors.append(
            SQLSyntaxError(
                range: SourceRange(start: start, end: i),
                message: kind == .string ? "unterminated string" : "unterminated quoted identifier"))
        emit(kind, String(decoding: value, as: UTF8.self), from: start)
    }

    private mutating func blockComment() {
        let start = i
        i += 2
        var depth = 1
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                depth += 1
                i += 2
            } else if bytes[i] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") {
                depth -= 1
                i += 2
                if depth == 0 {
                    emit(.blockComment, text(start + 2, i - 2), from: start)
                    return
                }
            } else {
                i += 1
            }
        }
        errors.append(SQLSyntaxError(range: SourceRange(start: start, end: i), message: "unterminated block comment"))
        emit(.blockComment, text(start + 2, i), from: start)
    }

    private mutating func dollar() {
        let start = i
        // $1: a parameter.
        if Self.isDigit(peek(1)) {
            i += 1
            while i < bytes.count && Self.isDigit(bytes[i]) { i += 1 }
            emit(.parameter, text(start, i), from: start)
            return
        }
        // $tag$ ... $tag$
        var j = i + 1
        while j < bytes.count && Self.isIdentPart(bytes[j]) && bytes[j] != 36 { j += 1 }
        guard j < bytes.count, bytes[j] == 36 else {
            i += 1
            emit(.op, "$", from: start)
            return
        }
        let tag = Array(bytes[i...j])
        i = j + 1
        let bodyStart = i
        while i < bytes.count {
            if bytes[i] == 36, i + tag.count <= bytes.count, Array(bytes[i..<(i + tag.count)]) == tag {
                let body = text(bodyStart, i)
                i += tag.count
                emit(.dollarString, body, from: start)
                return
            }
            i += 1
        }
        errors.append(
            SQLSyntaxError(
                range: SourceRange(start: start, end: i),
                message: "unterminated dollar-quoted string \(String(decoding: tag, as: UTF8.self))"))
        emit(.dollarString, text(bodyStart, i), from: start)
    }

    private mutating func number() {
        let start = i
        if bytes[i] == 48,
            (peek(1) | 0x20) == UInt8(ascii: "x") || (peek(1) | 0x20) == UInt8(ascii: "o") || (peek(1) | 0x20) == UInt8(ascii: "b")
        {
            i += 2
            while i < bytes.count && (Self.isIdentPart(bytes[i])) { i += 1 }
            emit(.number, text(start, i), from: start)
            return
        }
        while i < bytes.count && (Self.isDigit(bytes[i]) || bytes[i] == 95) { i += 1 }
        if peek() == UInt8(ascii: "."), peek(1) != UInt8(ascii: ".") {
            i += 1
            while i < bytes.count && (Self.isDigit(bytes[i]) || bytes[i] == 95) { i += 1 }
        }
        if (peek() | 0x20) == UInt8(ascii: "e"), Self.isDigit(peek(1)) || ((peek(1) == 43 || peek(1) == 45) && Self.isDigit(peek(2))) {
            i += 2
            while i < bytes.count && Self.isDigit(bytes[i]) { i += 1 }
        }
        emit(.number, text(start, i), from: start)
    }

    private mutating func placeholder() {
        let start = i
        i += 2
        while i < bytes.count && !(bytes[i] == UInt8(ascii: "}") && peek(1) == UInt8(ascii: "}")) { i += 1 }
        if i < bytes.count {
            i += 2
        } else {
            errors.append(SQLSyntaxError(range: SourceRange(start: start, end: i), message: "unterminated template placeholder"))
        }
        emit(.placeholder, text(start, i), from: start)
    }

    /// After `COPY ... FROM stdin;` the lines up to `\.` are data, not SQL.
    ///
    /// psql reads data only when the COPY succeeds; a script whose COPY is meant to fail goes on with SQL
    /// at once. So when a line before `\.` reads like a statement (an SQL verb first, `;` last), the
    /// COPY is taken to have no data.
    private mutating func skipCopyDataIfNeeded() {
        let statement = tokens[statementStart...].filter { !$0.isComment }
        guard statement.first?.isWord("copy") == true, statement.contains(where: { $0.isWord("stdin") }),
            statement.contains(where: { $0.isWord("from") })
        else { return }
        var j = i
        while j < bytes.count && bytes[j] != 10 { j += 1 }
        if j < bytes.count { j += 1 }
        let start = j
        while j < bytes.count {
            var lineEnd = j
            while lineEnd < bytes.count && bytes[lineEnd] != 10 { lineEnd += 1 }
            let line = bytes[j..<lineEnd]
            if line.starts(with: [92, 46]) {
                if start < j { tokens.append(SQLToken(kind: .copyData, value: "", range: SourceRange(start: start, end: j))) }
                i = lineEnd
                return
            }
            if Self.looksLikeStatement(line) { return }
            j = min(bytes.count, lineEnd + 1)
        }
        // No `\.` before the end: psql would read the rest as data only if the COPY succeeded; read it as SQL.
    }

    private static let statementVerbs: Set<String> = [
        "select", "insert", "update", "delete", "create", "alter", "drop", "copy", "set", "reset", "truncate", "begin", "commit",
        "rollback", "grant", "revoke", "with", "explain", "analyze", "vacuum", "comment", "do", "savepoint", "release", "end",
    ]

    private static func looksLikeStatement(_ line: ArraySlice<UInt8>) -> Bool {
        var trimmed = line
        while let last = trimmed.last, last == 32 || last == 9 || last == 13 { trimmed = trimmed.dropLast() }
        guard trimmed.last == UInt8(ascii: ";") else { return false }
        let word = trimmed.prefix { isIdentPart($0) }
        return statementVerbs.contains(String(decoding: word, as: UTF8.self).lowercased())
    }
}

extension String {
    var trimmingTrailingSpace: String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return String(s)
    }
}
