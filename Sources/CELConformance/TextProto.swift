/// A protocol-buffer text-format message: fields in order, each a scalar or a nested message.
final class TextProtoMessage {
    enum Field {
        case scalar(TextProtoScalar)
        case message(TextProtoMessage)
    }
    var fields: [(name: String, value: Field)] = []

    init() {}

    /// Every nested message named `name`.
    func messages(_ name: String) -> [TextProtoMessage] {
        var out: [TextProtoMessage] = []
        for f in fields where f.name == name {
            if case .message(let m) = f.value { out.append(m) }
        }
        return out
    }

    /// The first nested message named `name`.
    func message(_ name: String) -> TextProtoMessage? { messages(name).first }

    /// The first scalar named `name`.
    func scalar(_ name: String) -> TextProtoScalar? {
        for f in fields where f.name == name { if case .scalar(let s) = f.value { return s } }
        return nil
    }

    /// Whether a field named `name` is present.
    func has(_ name: String) -> Bool { fields.contains { $0.name == name } }
}

/// A scalar: a string (as bytes, since text format strings may hold any bytes), a number or an identifier.
enum TextProtoScalar {
    case string([UInt8])
    case number(String)
    case identifier(String)

    var text: String {
        switch self {
        case .string(let b): return String(decoding: b, as: UTF8.self)
        case .number(let s), .identifier(let s): return s
        }
    }
}

/// Parses the text format used by cel-spec's conformance files.
struct TextProtoParser {
    struct ParseError: Error, CustomStringConvertible {
        var message: String
        var offset: Int
        var description: String { "\(message) at byte \(offset)" }
    }

    private let bytes: [UInt8]
    private var pos = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    static func parse(_ text: String) throws -> TextProtoMessage {
        var p = TextProtoParser(text)
        let m = try p.fields(until: nil)
        return m
    }

    private mutating func skipTrivia() {
        while pos < bytes.count {
            let c = bytes[pos]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == UInt8(ascii: ",") || c == UInt8(ascii: ";") {
                pos += 1
            } else if c == UInt8(ascii: "#") {
                while pos < bytes.count && bytes[pos] != 0x0A { pos += 1 }
            } else {
                return
            }
        }
    }

    private func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")
            || c == UInt8(ascii: "/") || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
    }

    private mutating func fields(until close: UInt8?) throws -> TextProtoMessage {
        let message = TextProtoMessage()
        while true {
            skipTrivia()
            guard pos < bytes.count else {
                if close != nil { throw ParseError(message: "unexpected end of input", offset: pos) }
                return message
            }
            if let close, bytes[pos] == close {
                pos += 1
                return message
            }
            var name: String
            if bytes[pos] == UInt8(ascii: "[") {
                let start = pos
                while pos < bytes.count && bytes[pos] != UInt8(ascii: "]") { pos += 1 }
                pos += 1
                name = String(decoding: bytes[start..<pos], as: UTF8.self)
            } else {
                let start = pos
                while pos < bytes.count && isNameByte(bytes[pos]) { pos += 1 }
                guard pos > start else { throw ParseError(message: "expected a field name", offset: pos) }
                name = String(decoding: bytes[start..<pos], as: UTF8.self)
            }
            skipTrivia()
            var hadColon = false
            if pos < bytes.count && bytes[pos] == UInt8(ascii: ":") {
                pos += 1
                hadColon = true
                skipTrivia()
            }
            guard pos < bytes.count else { throw ParseError(message: "missing value for \(name)", offset: pos) }
            let c = bytes[pos]
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "<") {
                pos += 1
                message.fields.append((name, .message(try fields(until: c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: ">")))))
            } else if c == UInt8(ascii: "[") && hadColon {
                pos += 1
                while true {
                    skipTrivia()
                    guard pos < bytes.count else { throw ParseError(message: "unterminated list", offset: pos) }
                    if bytes[pos] == UInt8(ascii: "]") {
                        pos += 1
                        break
                    }
                    if bytes[pos] == UInt8(ascii: "{") || bytes[pos] == UInt8(ascii: "<") {
                        let open = bytes[pos]
                        pos += 1
                        message.fields.append(
                            (name, .message(try fields(until: open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: ">")))))
                    } else {
                        message.fields.append((name, .scalar(try scalar())))
                    }
                }
            } else {
                message.fields.append((name, .scalar(try scalar())))
            }
        }
    }

    private mutating func scalar() throws -> TextProtoScalar {
        let c = bytes[pos]
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
            var out: [UInt8] = []
            // Adjacent string literals concatenate.
            while pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") || bytes[pos] == UInt8(ascii: "'") {
                out += try string()
                let save = pos
                skipTriviaNoSeparators()
                if pos >= bytes.count || (bytes[pos] != UInt8(ascii: "\"") && bytes[pos] != UInt8(ascii: "'")) {
                    pos = save
                    break
                }
            }
            return .string(out)
        }
        let start = pos
        while pos < bytes.count && isNameByte(bytes[pos]) { pos += 1 }
        guard pos > start else { throw ParseError(message: "expected a value", offset: pos) }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if let f = text.first, f.isNumber || f == "-" || f == "." || f == "+" { return .number(text) }
        return .identifier(text)
    }

    private mutating func skipTriviaNoSeparators() {
        while pos < bytes.count {
            let c = bytes[pos]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                pos += 1
            } else if c == UInt8(ascii: "#") {
                while pos < bytes.count && bytes[pos] != 0x0A { pos += 1 }
            } else {
                return
            }
        }
    }

    private mutating func string() throws -> [UInt8] {
        let quote = bytes[pos]
        pos += 1
        var out: [UInt8] = []
        while pos < bytes.count {
            let c = bytes[pos]
            if c == quote {
                pos += 1
                return out
            }
            if c == UInt8(ascii: "\\") {
                pos += 1
                guard pos < bytes.count else { break }
                let e = bytes[pos]
                pos += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "a"): out.append(0x07)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "v"): out.append(0x0B)
                case UInt8(ascii: "x"):
                    var v = 0
                    var n = 0
                    while n < 2, pos < bytes.count, let d = hexValue(bytes[pos]) {
                        v = v * 16 + d
                        pos += 1
                        n += 1
                    }
                    out.append(UInt8(v))
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let count = e == UInt8(ascii: "u") ? 4 : 8
                    var v: UInt32 = 0
                    for _ in 0..<count where pos < bytes.count {
                        v = v * 16 + UInt32(hexValue(bytes[pos]) ?? 0)
                        pos += 1
                    }
                    if let s = Unicode.Scalar(v) { out += Array(String(Character(s)).utf8) }
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var v = Int(e - 48)
                    var n = 1
                    while n < 3, pos < bytes.count, bytes[pos] >= 48, bytes[pos] <= 55 {
                        v = v * 8 + Int(bytes[pos] - 48)
                        pos += 1
                        n += 1
                    }
                    out.append(UInt8(truncatingIfNeeded: v))
                default: out.append(e)
                }
                continue
            }
            out.append(c)
            pos += 1
        }
        throw ParseError(message: "unterminated string", offset: pos)
    }

    private func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 48...57: return Int(c - 48)
        case 65...70: return Int(c - 55)
        case 97...102: return Int(c - 87)
        default: return nil
        }
    }
}
