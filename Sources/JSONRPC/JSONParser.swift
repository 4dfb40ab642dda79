import Foundation

/// Reads a JSON text (RFC 8259) into a ``JSON`` value in one pass over its bytes. `JSONDecoder` through `Codable`
/// tries each type in turn and throws on every miss, which made reading an edited document's message cost as
/// much as analysing it.
public enum JSONParser {
    /// The deepest nesting of arrays and objects read; deeper is an error, not a stack overflow.
    public static let maxDepth = 512

    /// Why a text is not JSON, and the byte offset where that was seen.
    public struct ParseError: Error, Equatable, Sendable {
        /// The byte offset.
        public let offset: Int
        /// What is wrong there.
        public let message: String
    }

    /// The value of a JSON text.
    public static func parse(_ data: Data) throws(ParseError) -> JSON {
        let result: Result<JSON, ParseError> = data.withUnsafeBytes { raw in
            var reader = Reader(bytes: raw.bindMemory(to: UInt8.self))
            do throws(ParseError) {
                reader.skipBlanks()
                let value = try reader.value(depth: 0)
                reader.skipBlanks()
                guard reader.at == reader.bytes.count else { throw reader.error("text after the value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The value of a JSON text.
    public static func parse(_ text: String) throws(ParseError) -> JSON { try parse(Data(text.utf8)) }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        func error(_ message: String) -> ParseError { ParseError(offset: at, message: message) }

        mutating func skipBlanks() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
        }

        mutating func value(depth: Int) throws(ParseError) -> JSON {
            guard at < bytes.count else { throw error("a value was expected") }
            switch bytes[at] {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw error("a value was expected")
            }
        }

        mutating func literal(_ word: StaticString, _ value: JSON) throws(ParseError) -> JSON {
            let count = word.utf8CodeUnitCount
            guard at + count <= bytes.count else { throw error("a value was expected") }
            for i in 0..<count where bytes[at + i] != word.utf8Start[i] { throw error("a value was expected") }
            at += count
            return value
        }

        mutating func object(depth: Int) throws(ParseError) -> JSON {
            guard depth <= JSONParser.maxDepth else { throw error("nested deeper than \(JSONParser.maxDepth) levels") }
            at += 1
            var members: [String: JSON] = [:]
            skipBlanks()
            if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
                at += 1
                return .object(members)
            }
            while true {
                skipBlanks()
                guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw error("a member name was expected") }
                let key = try string()
                skipBlanks()
                guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw error("':' was expected") }
                at += 1
                skipBlanks()
                members[key] = try value(depth: depth)
                skipBlanks()
                guard at < bytes.count else { throw error("'}' was expected") }
                if bytes[at] == UInt8(ascii: ",") {
                    at += 1
                } else if bytes[at] == UInt8(ascii: "}") {
                    at += 1
                    return .object(members)
                } else {
                    throw error("',' or '}' was expected")
                }
            }
        }

        mutating func array(depth: Int) throws(ParseError) -> JSON {
            guard depth <= JSONParser.maxDepth else { throw error("nested deeper than \(JSONParser.maxDepth) levels") }
            at += 1
            var items: [JSON] = []
            skipBlanks()
            if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
                at += 1
                return .array(items)
            }
            while true {
                skipBlanks()
                items.append(try value(depth: depth))
                skipBlanks()
                guard at < bytes.count else { throw error("']' was expected") }
                if bytes[at] == UInt8(ascii: ",") {
                    at += 1
                } else if bytes[at] == UInt8(ascii: "]") {
                    at += 1
                    return .array(items)
                } else {
                    throw error("',' or ']' was expected")
                }
            }
        }

        mutating func number() throws(ParseError) -> Double {
            let start = at
            if bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard at < bytes.count, isDigit(bytes[at]) else { throw error("a digit was expected") }
            if bytes[at] == UInt8(ascii: "0") { at += 1 } else { digits() }
            if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
                at += 1
                guard at < bytes.count, isDigit(bytes[at]) else { throw error("a digit was expected") }
                digits()
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
                at += 1
                if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
                guard at < bytes.count, isDigit(bytes[at]) else { throw error("a digit was expected") }
                digits()
            }
            guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)) else {
                throw ParseError(offset: start, message: "not a number")
            }
            return value
        }

        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

        mutating func digits() { while at < bytes.count, isDigit(bytes[at]) { at += 1 } }

        /// A string at `at` (its opening quote); text without escapes is taken as it stands.
        mutating func string() throws(ParseError) -> String {
            at += 1
            let start = at
            while at < bytes.count {
                let b = bytes[at]
                if b == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
                    at += 1
                    return text
                }
                if b == UInt8(ascii: "\\") { return try escapedString(from: start) }
                guard b >= 0x20 else { throw error("a control character in a string") }
                at += 1
            }
            throw error("an unterminated string")
        }

        mutating func escapedString(from start: Int) throws(ParseError) -> String {
            var out = Array(bytes[start..<at])
            out.reserveCapacity(at - start + 64)
            while at < bytes.count {
                let b = bytes[at]
                if b == UInt8(ascii: "\"") {
                    at += 1
                    return String(decoding: out, as: UTF8.self)
                }
                guard b >= 0x20 else { throw error("a control character in a string") }
                guard b == UInt8(ascii: "\\") else {
                    // A run of plain bytes is copied at once (a document's text is mostly such runs between `\n`s).
                    let run = at
                    at += 1
                    while at < bytes.count, bytes[at] >= 0x20, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\") { at += 1 }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<at]))
                    continue
                }
                at += 1
                guard at < bytes.count else { break }
                switch bytes[at] {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    at += 1
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar), at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"),
                        bytes[at + 1] == UInt8(ascii: "u")
                    {
                        let mark = at
                        at += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            at = mark
                        }
                    }
                    out.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
                    continue
                default: throw error("an unknown escape")
                }
                at += 1
            }
            throw error("an unterminated string")
        }

        /// Four hex digits at `at`.
        mutating func hex4() throws(ParseError) -> UInt32 {
            guard at + 4 <= bytes.count else { throw error("four hex digits were expected") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[at]
                let digit: UInt32
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
                default: throw error("four hex digits were expected")
                }
                value = value << 4 | digit
                at += 1
            }
            return value
        }
    }
}
