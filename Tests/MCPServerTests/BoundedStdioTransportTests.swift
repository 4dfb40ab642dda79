import Foundation
import MCPFraming
import Testing

@testable import MCPServer

/// The MCP stdio transport's line framing and limits, byte chunks in and messages or error answers out.
@Suite struct BoundedStdioTransportTests {
    static let ping = #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#

    /// The framed lines as text: a message itself, a refusal as the answer the transport writes.
    func texts(_ outputs: [MCPLineFramer.Output]) -> [String] {
        outputs.map { output in
            switch output {
            case .message(let data): "message " + String(decoding: data, as: UTF8.self)
            case .rejected(let rejection): "answer " + String(decoding: rejection.answer, as: UTF8.self)
            }
        }
    }

    func frame(_ chunks: [String], maxLineBytes: Int = MCPLineFramer.defaultMaxLineBytes) -> [String] {
        var framer = MCPLineFramer.forMCP(maxLineBytes: maxLineBytes)
        return texts(chunks.flatMap { framer.append(Array($0.utf8)) } + framer.finish())
    }

    @Test func messagesSplitAcrossReadsAndSeveralInOneReadAreFramed() {
        let second = #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#
        let text = Self.ping + "\n" + second + "\n"
        let chunks = [String(text.prefix(10)), String(text.dropFirst(10).prefix(40)), String(text.dropFirst(50))]
        #expect(frame(chunks) == ["message " + Self.ping, "message " + second])
    }

    @Test func emptyLinesAndCarriageReturnsAreSkipped() {
        #expect(frame(["\n\r\n  \t\n", Self.ping + "\r\n", "\r", "\n"]) == ["message " + Self.ping])
    }

    @Test func aLastLineWithoutNewlineIsFramedAtTheEnd() {
        #expect(frame([Self.ping]) == ["message " + Self.ping])
    }

    @Test func anOverlongLineIsDroppedAsItArrivesThenAnsweredAndTheNextLineServed() {
        var framer = MCPLineFramer.forMCP(maxLineBytes: 50)
        let piece = Array(String(repeating: "x", count: 30).utf8)
        #expect(framer.append(piece).isEmpty)
        #expect(framer.keptBytes == 30)
        #expect(framer.append(piece).isEmpty)
        #expect(framer.keptBytes == 0)
        #expect(framer.append(piece).isEmpty)
        #expect(framer.keptBytes == 0)
        #expect(
            texts(framer.append(Array(("\n" + Self.ping + "\n").utf8))) == [
                #"answer {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"message of 90 bytes is over the 50 bytes limit"}}"#,
                "message " + Self.ping,
            ])
    }

    @Test func aLineOverTheDefaultLimitIsNamedInMiB() {
        var framer = MCPLineFramer.forMCP()
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 16)
        for _ in 0..<96 { #expect(framer.append(chunk).isEmpty) }
        #expect(framer.keptBytes == 0)
        #expect(
            texts(framer.append(Array("\n".utf8))) == [
                #"answer {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"message of 6291456 bytes is over the 4 MiB limit"}}"#
            ])
    }

    @Test func aLineOfExactlyTheLimitIsKept() {
        let line = #"{"jsonrpc":"2.0","method":"x"}"#
        #expect(frame([line + "\n"], maxLineBytes: line.utf8.count) == ["message " + line])
    }

    @Test func nestingOverTheLimitIsAnsweredAndTheLimitItselfPasses() {
        func nested(_ depth: Int) -> String {
            #"{"jsonrpc":"2.0","method":"x","params":"# + String(repeating: "[", count: depth - 1)
                + String(repeating: "]", count: depth - 1)
                + "}"
        }
        #expect(frame([nested(64) + "\n"]) == ["message " + nested(64)])
        #expect(
            frame([nested(65) + "\n", String(repeating: "[", count: 100_000) + "\n"]) == [
                #"answer {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"nesting deeper than 64 levels"}}"#,
                #"answer {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"nesting deeper than 64 levels"}}"#,
            ])
    }

    @Test func bracketsInStringsDoNotCountAndEscapedQuotesDoNotEndThem() {
        let brackets = String(repeating: "[{", count: 100)
        let line = #"{"jsonrpc":"2.0","method":"x","params":{"a":"\""# + brackets + #"\\","b":"]]]]"}}"#
        #expect(frame([line + "\n"]) == ["message " + line])
        let depth = { (text: String) in
            Array(text.utf8).withUnsafeBytes { JSONNesting.exceeds($0, limit: 2) }
        }
        #expect(depth(#"[["]]]]"]]"#) == false)
        #expect(depth(#"["\\",[[1]]]"#) == true)
        #expect(depth(#"]]]]][[[]"#) == true)
    }

    @Test func aLineThatIsNotJSONIsAParseErrorWithIdNull() {
        #expect(
            frame(["{not json\n", #"{"jsonrpc":"2.0","id":3,"method":"ping""# + "\n", Self.ping + "\n"]) == [
                #"answer {"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#,
                #"answer {"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#,
                "message " + Self.ping,
            ])
    }

    @Test func jsonThatIsNotAJSONRPCMessageIsAnInvalidRequest() {
        let lines = [
            "5", "[]", #""text""#,
            #"{"jsonrpc":"1.0","id":7,"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":true,"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":"a\"b","method":3}"#,
            #"{"jsonrpc":"2.0","id":4}"#,
        ]
        let answer = { (id: String, message: String) in
            #"answer {"jsonrpc":"2.0","id":\#(id),"error":{"code":-32600,"message":"Invalid Request: \#(message)"}}"#
        }
        #expect(
            frame([lines.joined(separator: "\n") + "\n"]) == [
                answer("null", "a message is a JSON object or array"),
                answer("null", "an empty batch"),
                answer("null", "a message is a JSON object or array"),
                answer("7", #"jsonrpc must be \"2.0\""#),
                answer("null", "id must be a string or an integer"),
                answer(#""a\"b""#, "method must be a string"),
                answer("4", "neither a request (method) nor a response (id with result or error)"),
            ])
    }

    @Test func requestsNotificationsResponsesAndBatchesPass() {
        let lines = [
            #"{"jsonrpc":"2.0","id":"x","method":"tools/call","params":5}"#,
            #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            #"{"jsonrpc":"2.0","id":2,"result":{}}"#,
            #"{"jsonrpc":"2.0","id":3,"error":{"code":-1,"message":"no"}}"#,
            #"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#,
        ]
        #expect(frame([lines.joined(separator: "\n")]) == lines.map { "message " + $0 })
    }

    @Test func answerMessagesAreJSONStringsWithEscapes() {
        #expect(LineRejection.quoted("a\"b\\c\nd\u{1}é") == #""a\"b\\c\nd\u0001é""#)
        #expect(LineRejection.size(4 << 20) == "4 MiB")
        #expect(LineRejection.size(64 << 10) == "64 KiB")
        #expect(LineRejection.size(1_000_000) == "1000000 bytes")
    }

    /// The transport on pipes: refused lines are answered on the output, a message gets the answer the server
    /// gives, and serving ends at the end of the input once every answer was written.
    @Test func theTransportAnswersRefusedLinesAndMessagesAndEndsAtEndOfInput() async throws {
        let input = Pipe()
        let output = Pipe()
        let transport = BoundedStdioTransport(
            input: input.fileHandleForReading.fileDescriptor, output: output.fileHandleForWriting.fileDescriptor, maxLineBytes: 64)
        input.fileHandleForWriting.write(Data((String(repeating: "x", count: 200) + "\n" + "[1\n" + Self.ping + "\n").utf8))
        try input.fileHandleForWriting.close()
        await transport.serve { message in
            String(decoding: message, as: UTF8.self) == Self.ping ? Data(#"{"jsonrpc":"2.0","id":1,"result":{}}"#.utf8) : nil
        }
        try output.fileHandleForWriting.close()
        let written = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(
            written == """
                {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"message of 200 bytes is over the 64 bytes limit"}}
                {"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}
                {"jsonrpc":"2.0","id":1,"result":{}}

                """)
    }
}
