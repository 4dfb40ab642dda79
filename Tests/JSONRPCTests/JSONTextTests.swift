import Foundation
import Testing

@testable import JSONRPC

/// JSON read and written by hand, byte for byte as RFC 8259 says.
@Suite struct JSONTextTests {
    @Test func valuesOfEveryKindAreRead() throws {
        let text = #" {"a": [1, -2.5e2, 0.125, true, false, null], "s": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "o": {}, "l": []} "#
        #expect(
            try JSONParser.parse(text)
                == .object([
                    "a": .array([.number(1), .number(-250), .number(0.125), .bool(true), .bool(false), .null]),
                    "s": .string("x\"\\/\u{08}\u{0C}\n\r\té😀"), "o": .object([:]), "l": .array([]),
                ]))
    }

    @Test func textThatIsNotJSONIsAnErrorWithItsOffset() {
        let cases: [(String, Int, String)] = [
            ("", 0, "a value was expected"), ("[1,]", 3, "a value was expected"), ("{\"a\" 1}", 5, "':' was expected"),
            ("\"abc", 4, "an unterminated string"), ("01", 1, "text after the value"), ("-", 1, "a digit was expected"),
            ("1.", 2, "a digit was expected"), ("\"a\u{01}\"", 2, "a control character in a string"), ("tru", 0, "a value was expected"),
            ("\"\\x\"", 2, "an unknown escape"), ("{1:2}", 1, "a member name was expected"), ("[1 2]", 3, "',' or ']' was expected"),
        ]
        for (text, offset, message) in cases {
            #expect(throws: JSONParser.ParseError(offset: offset, message: message), "\(text)") { try JSONParser.parse(text) }
        }
    }

    @Test func nestingDeeperThanTheLimitIsAnErrorNotACrash() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.ParseError(offset: 512, message: "nested deeper than 512 levels")) { try JSONParser.parse(deep) }
        let fine = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(try JSONParser.parse(fine) != .null)
    }

    @Test func writtenTextReadsBackAndEscapesAsJSONEncoderDoes() throws {
        let value = JSON.object(["k": .array([.string("a/\"\\\n\u{01}é"), .number(3), .number(0.5), .null, .bool(true)])])
        let text = String(decoding: JSONWriter.bytes(value), as: UTF8.self)
        #expect(text == #"{"k":["a/\"\\\n\u0001é",3,0.5,null,true]}"#)
        #expect(try JSONParser.parse(text) == value)
        #expect(JSONWriter.number(.nan) == "null")
    }
}
