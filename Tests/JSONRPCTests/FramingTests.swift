import Foundation
import JSONRPC
import Testing

@Suite struct FramingTests {
    func frame(_ body: String, extraHeader: String = "") -> [UInt8] {
        Array("Content-Length: \(body.utf8.count)\r\n\(extraHeader)\r\n\(body)".utf8)
    }

    @Test func aMessageSplitAcrossReadsIsReassembled() {
        var framer = MessageFramer()
        let bytes = frame(#"{"jsonrpc":"2.0","method":"initialized"}"#)
        var frames: [MessageFramer.Frame] = []
        for chunk in stride(from: 0, to: bytes.count, by: 7) {
            frames += framer.append(Array(bytes[chunk..<min(bytes.count, chunk + 7)]))
        }
        #expect(frames == [.message(Data(#"{"jsonrpc":"2.0","method":"initialized"}"#.utf8))])
    }

    @Test func severalMessagesInOneReadAndAContentTypeHeader() {
        var framer = MessageFramer()
        let frames = framer.append(
            frame("{}", extraHeader: "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n") + frame("[]") + Array("Content-Le".utf8)
        )
        #expect(frames == [.message(Data("{}".utf8)), .message(Data("[]".utf8))])
    }

    @Test func aHugeContentLengthIsReportedNotBufferedAndTheNextMessageIsServed() {
        var framer = MessageFramer()
        let frames = framer.append(Array("Content-Length: 9223372036854775807\r\n\r\n".utf8) + frame("{}"))
        #expect(
            frames == [
                .malformed("Content-Length 9223372036854775807 is over the 64 MiB a message may have"), .message(Data("{}".utf8)),
            ])
    }

    @Test func bytesWithoutAHeaderEndAreDroppedPastTheLongestHeaderAndTheNextMessageIsServed() {
        var framer = MessageFramer()
        var frames: [MessageFramer.Frame] = []
        // 4 KiB reads with no "\r\n\r\n" anywhere: each read searches only its own bytes, and the 17th takes the
        // buffer past the longest header.
        for _ in 0..<17 { frames += framer.append(Array(repeating: UInt8(ascii: "x"), count: 4096)) }
        #expect(frames == [.malformed("no end of a message header in 69632 bytes; they were dropped")])
        let after = framer.append(frame(#"{"jsonrpc":"2.0","method":"exit"}"#))
        #expect(after == [.message(Data(#"{"jsonrpc":"2.0","method":"exit"}"#.utf8))])
    }

    @Test func aHeaderSplitAcrossReadsAtItsEndIsFound() {
        var framer = MessageFramer()
        let bytes = frame(#"{"jsonrpc":"2.0","method":"exit"}"#)
        let end = bytes.firstIndex(of: 13)! + 2
        #expect(framer.append(Array(bytes[..<end])).isEmpty)
        #expect(framer.append(Array(bytes[end...])) == [.message(Data(#"{"jsonrpc":"2.0","method":"exit"}"#.utf8))])
    }

    @Test func aNumberIsAnIntOnlyWhenItIsOneExactly() {
        #expect(JSON.number(42).int == 42)
        #expect(JSON.number(1e300).int == nil)
        #expect(JSON.number(1.5).int == nil)
        #expect(JSON.number(.nan).int == nil)
    }

    @Test func malformedHeadersAreReportedAndSkipped() {
        var framer = MessageFramer()
        let frames = framer.append(Array("Content-Length: abc\r\n\r\nX-Nothing\r\n\r\n".utf8) + frame("{}"))
        #expect(
            frames == [
                .malformed("invalid Content-Length 'abc'"), .malformed("malformed header line 'X-Nothing'"), .message(Data("{}".utf8)),
            ])
    }

    @Test func parsingClassifiesMessagesAndErrors() {
        #expect(Message.parse(Data("{".utf8)) == .failure(ResponseError(ErrorCode.parseError, "the message is not valid JSON")))
        #expect(
            Message.parse(Data(#"{"id":1,"method":"x"}"#.utf8))
                == .failure(ResponseError(ErrorCode.invalidRequest, "not a JSON-RPC 2.0 message")))
        #expect(
            Message.parse(Data(#"{"jsonrpc":"2.0","id":1,"method":"x"}"#.utf8))
                == .success(.request(id: .number(1), method: "x", params: nil)))
        #expect(
            Message.parse(Data(#"{"jsonrpc":"2.0","method":"n","params":{}}"#.utf8))
                == .success(.notification(method: "n", params: .object([:]))))
    }

    @Test func framesRoundTrip() {
        var framer = MessageFramer()
        let message = Message.response(id: .number(3), result: .object(["ok": .bool(true)]))
        let frames = framer.append(Array(MessageFramer.frame(message)))
        guard case .message(let data)? = frames.first else {
            Issue.record("no frame")
            return
        }
        #expect(Message.parse(data) == .success(message))
    }

    @Test func aContentLengthShorterThanTheBodyLosesOnlyThatMessage() {
        var framer = MessageFramer()
        let body = #"{"jsonrpc":"2.0","method":"initialized"}"#
        let frames = framer.append(Array("Content-Length: 10\r\n\r\n\(body)".utf8) + frame("{}"))
        #expect(
            frames == [
                .message(Data(body.utf8.prefix(10))), .malformed("skipped \(body.utf8.count - 10) bytes that are not a message header"),
                .message(Data("{}".utf8)),
            ])
    }
}
