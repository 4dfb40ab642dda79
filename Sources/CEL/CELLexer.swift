import PolicyModel
import TextCore

/// A CEL token.
enum CELTokenKind: Equatable {
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case ident(String)
    case quotedIdent(String)
    case punct(String)
    case eof
}

struct CELToken {
    var kind: CELTokenKind
    var range: SourceRange
}

/// Splits CEL source into tokens (CEL language definition, "Syntax").
struct CELLexer {
    let bytes: [UInt8]
    var pos = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    static let reserved: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package",
        "namespace", "return", "var", "void", "while",
    ]

    /// `==`, `!=`, `<=`, `>=`, `&&`, `||` as two bytes in one number.
    static let twoCharacterOperators: Set<UInt16> = Set(
        ["==", "!=", "<=", ">=", "&&", "||"].map { op in
            let b = Array(op.utf8)
            return UInt16(b[0]) << 8 | UInt16(b[1])
        })

    static let oneCharacterPunctuation: Set<UInt8> = Set("+-*/%<>!?:.,()[]{}".utf8)

    mutating func tokenize() throws(CELCompileError) -> [CELToken] {
        var tokens: [CELToken] = []
        while true {
            let t = try next()
            tokens.append(t)
            if t.kind == .eof { return tokens }
        }
    }

    private func peek(_ k: Int = 0) -> UInt8? { pos + k < bytes.count ? bytes[pos + k] : nil }

    private mutating func skipTrivia() {
        while let c = peek() {
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C {
                pos += 1
            } else if c == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/") {
                while let d = peek(), d != 0x0A {
                    _ = d
                    pos += 1
                }
            } else {
                return
            }
        }
    }

    private mutating func next() throws(CELCompileError) -> CELToken {
        skipTrivia()
        let start = pos
        guard let c = peek() else { return CELToken(kind: .eof, range: .empty(at: pos)) }
        func isIdentStart(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        // String and bytes literals with optional r/b prefixes.
        var prefixLen = 0
        var raw = false
        var isBytes = false
        while prefixLen < 2, let p = peek(prefixLen),
            p == UInt8(ascii: "r") || p == UInt8(ascii: "R") || p == UInt8(ascii: "b") || p == UInt8(ascii: "B")
        {
            if p == UInt8(ascii: "r") || p == UInt8(ascii: "R") { raw = true } else { isBytes = true }
            prefixLen += 1
        }
        if let q = peek(prefixLen), q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") {
            pos += prefixLen
            let value = try readString(raw: raw, bytes: isBytes, start: start)
            let range = SourceRange(start: start, end: pos)
            if isBytes { return CELToken(kind: .bytes(value), range: range) }
            guard let s = String(validating: value, as: UTF8.self) else {
                throw CELCompileError("string literal is not valid UTF-8", at: range)
            }
            return CELToken(kind: .string(s), range: range)
        }
        if isIdentStart(c) {
            while let d = peek(), isIdentStart(d) || isDigit(d) {
                _ = d
                pos += 1
            }
            let name = String(decoding: bytes[start..<pos], as: UTF8.self)
            let range = SourceRange(start: start, end: pos)
            return CELToken(kind: .ident(name), range: range)
        }
        if c == UInt8(ascii: "`") {
            // A quoted field name: a.`b-c`.
            pos += 1
            while let d = peek(), d != UInt8(ascii: "`"), d != 0x0A {
                _ = d
                pos += 1
            }
            guard peek() == UInt8(ascii: "`"), pos > start + 1 else {
                throw CELCompileError("unterminated quoted identifier", at: SourceRange(start: start, end: pos))
            }
            pos += 1
            return CELToken(
                kind: .quotedIdent(String(decoding: bytes[(start + 1)..<(pos - 1)], as: UTF8.self)),
                range: SourceRange(start: start, end: pos))
        }
        if isDigit(c) || (c == UInt8(ascii: ".") && peek(1).map(isDigit) == true) {
            return try readNumber(start: start)
        }
        if let d = peek(1), Self.twoCharacterOperators.contains(UInt16(c) << 8 | UInt16(d)) {
            pos += 2
            return CELToken(kind: .punct(String(decoding: [c, d], as: UTF8.self)), range: SourceRange(start: start, end: pos))
        }
        if Self.oneCharacterPunctuation.contains(c) {
            pos += 1
            return CELToken(kind: .punct(String(decoding: [c], as: UTF8.self)), range: SourceRange(start: start, end: pos))
        }
        if c == UInt8(ascii: "=") {
            throw CELCompileError("unexpected '='; use '==' to compare", at: SourceRange(start: start, end: start + 1))
        }
        let width = LineIndexWidth.of(c)
        throw CELCompileError(
            "unexpected character '\(String(decoding: bytes[start..<min(bytes.count, start + width)], as: UTF8.self))'",
            at: SourceRange(start: start, end: min(bytes.count, start + width)))
    }

    private mutating func readNumber(start: Int) throws(CELCompileError) -> CELToken {
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) }
        if peek() == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            pos += 2
            let digitsStart = pos
            while let d = peek(), isHex(d) {
                _ = d
                pos += 1
            }
            let digits = String(decoding: bytes[digitsStart..<pos], as: UTF8.self)
            if let u = peek(), u == UInt8(ascii: "u") || u == UInt8(ascii: "U") {
                pos += 1
                guard let v = UInt64(digits, radix: 16) else {
                    throw CELCompileError("invalid uint literal", at: SourceRange(start: start, end: pos))
                }
                return CELToken(kind: .uint(v), range: SourceRange(start: start, end: pos))
            }
            guard let v = Int64(digits, radix: 16) else {
                throw CELCompileError("invalid int literal", at: SourceRange(start: start, end: pos))
            }
            return CELToken(kind: .int(v), range: SourceRange(start: start, end: pos))
        }
        var isDouble = false
        while let d = peek(), isDigit(d) {
            _ = d
            pos += 1
        }
        if peek() == UInt8(ascii: "."), let d = peek(1), isDigit(d) {
            isDouble = true
            pos += 1
            while let d = peek(), isDigit(d) {
                _ = d
                pos += 1
            }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var k = 1
            if let s = peek(1), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { k = 2 }
            if let d = peek(k), isDigit(d) {
                isDouble = true
                pos += k
                while let d = peek(), isDigit(d) {
                    _ = d
                    pos += 1
                }
            }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if isDouble {
            guard let v = Double(text) else { throw CELCompileError("invalid double literal", at: SourceRange(start: start, end: pos)) }
            return CELToken(kind: .double(v), range: SourceRange(start: start, end: pos))
        }
        if let u = peek(), u == UInt8(ascii: "u") || u == UInt8(ascii: "U") {
            pos += 1
            guard let v = UInt64(text) else { throw CELCompileError("uint literal out of range", at: SourceRange(start: start, end: pos)) }
            return CELToken(kind: .uint(v), range: SourceRange(start: start, end: pos))
        }
        // The magnitude of the most negative int is only valid after unary minus; the parser handles that.
        if text == "9223372036854775808" {
            return CELToken(kind: .uint(9_223_372_036_854_775_808), range: SourceRange(start: start, end: pos))
        }
        guard let v = Int64(text) else { throw CELCompileError("int literal out of range", at: SourceRange(start: start, end: pos)) }
        return CELToken(kind: .int(v), range: SourceRange(start: start, end: pos))
    }

    private mutating func readString(raw: Bool, bytes isBytes: Bool, start: Int) throws(CELCompileError) -> [UInt8] {
        let quote = bytes[pos]
        let triple = peek(1) == quote && peek(2) == quote
        pos += triple ? 3 : 1
        var out: [UInt8] = []
        while true {
            guard let c = peek() else { throw CELCompileError("unterminated string literal", at: SourceRange(start: start, end: pos)) }
            if c == quote {
                if !triple {
                    pos += 1
                    return out
                }
                if peek(1) == quote && peek(2) == quote {
                    pos += 3
                    return out
                }
            }
            if !triple && (c == 0x0A || c == 0x0D) {
                throw CELCompileError("newline in string literal", at: SourceRange(start: start, end: pos))
            }
            if c == UInt8(ascii: "\\") && !raw {
                pos += 1
                try readEscape(into: &out, bytes: isBytes, start: start)
                continue
            }
            if c == UInt8(ascii: "\\") && raw {
                // A raw string keeps the backslash, but an escaped quote does not end it.
                out.append(c)
                pos += 1
                if let n = peek(), n == quote {
                    out.append(n)
                    pos += 1
                }
                continue
            }
            out.append(c)
            pos += 1
        }
    }

    /// Reads an escape; in a string `\xHH` and octal escapes name code points, in bytes they name bytes.
    private mutating func readEscape(into out: inout [UInt8], bytes isBytes: Bool, start: Int) throws(CELCompileError) {
        guard let c = peek() else { throw CELCompileError("unterminated escape", at: SourceRange(start: start, end: pos)) }
        let here = SourceRange(start: pos - 1, end: min(bytes.count, pos + 1))
        pos += 1
        switch c {
        case UInt8(ascii: "a"): out.append(0x07)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "v"): out.append(0x0B)
        case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"), UInt8(ascii: "?"): out.append(c)
        case UInt8(ascii: "x"), UInt8(ascii: "X"):
            let v = try readHex(count: 2, at: here)
            if isBytes { out.append(UInt8(v)) } else { try appendScalar(v, to: &out, at: here) }
        case UInt8(ascii: "u"):
            try appendScalar(readHex(count: 4, at: here), to: &out, at: here)
        case UInt8(ascii: "U"):
            try appendScalar(readHex(count: 8, at: here), to: &out, at: here)
        case UInt8(ascii: "0")...UInt8(ascii: "3"):
            var v = UInt32(c - 48)
            for _ in 0..<2 {
                guard let d = peek(), d >= 48 && d <= 55 else { throw CELCompileError("invalid octal escape", at: here) }
                v = v * 8 + UInt32(d - 48)
                pos += 1
            }
            if isBytes { out.append(UInt8(v)) } else { try appendScalar(v, to: &out, at: here) }
        default:
            throw CELCompileError("invalid escape sequence '\\\(String(decoding: [c], as: UTF8.self))'", at: here)
        }
    }

    private mutating func readHex(count: Int, at range: SourceRange) throws(CELCompileError) -> UInt32 {
        guard pos + count <= bytes.count, let v = UInt32(String(decoding: bytes[pos..<(pos + count)], as: UTF8.self), radix: 16) else {
            throw CELCompileError("invalid hex escape", at: range)
        }
        pos += count
        return v
    }

    private func appendScalar(_ v: UInt32, to out: inout [UInt8], at range: SourceRange) throws(CELCompileError) {
        guard let scalar = Unicode.Scalar(v) else { throw CELCompileError("invalid unicode escape", at: range) }
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }
}

/// The byte width of a UTF-8 sequence from its lead byte.
enum LineIndexWidth {
    static func of(_ lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead >= 0xF0 { return 4 }
        if lead >= 0xE0 { return 3 }
        if lead >= 0xC0 { return 2 }
        return 1
    }
}
