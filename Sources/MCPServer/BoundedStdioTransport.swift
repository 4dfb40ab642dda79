import Foundation
import MCPFraming

/// goldpath's MCP stdio transport: newline-delimited JSON-RPC on standard input and output, with every
/// line bounded before anything decodes it.
///
/// A thread of its own reads the input with blocking reads and splits it with ``MCPLineFramer``, which
/// looks at each byte once and drops an overlong line as it streams in. Lines the framer refuses (too
/// long, nested too deeply, not JSON, not a JSON-RPC message) are answered here with a JSON-RPC error
/// whose id is null (or the message's id, when it could be read). Each message is answered in a task of its
/// own, so a long tool call does not hold up a `ping`. The reader waits until what it read was handed on, so a
/// fast client cannot queue more than one read's worth of messages. At the end of the input, serving ends
/// once every message read was answered.
///
/// Every write is one blocking write loop inside the actor with no suspension point, so two messages never
/// interleave on the output.
actor BoundedStdioTransport {
    private let input: Int32
    private let output: Int32
    private let maxLineBytes: Int
    private let maxNesting: Int

    /// Creates a transport on `input` and `output` (standard input and output by default) with the given line limits.
    init(
        input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, maxLineBytes: Int = MCPLineFramer.defaultMaxLineBytes,
        maxNesting: Int = MCPLineFramer.defaultMaxNesting
    ) {
        self.input = input
        self.output = output
        self.maxLineBytes = maxLineBytes
        self.maxNesting = maxNesting
    }

    /// Reads messages until the end of the input and writes what `answer` makes of each (nothing for nil);
    /// returns when the input has ended and every answer was written.
    func serve(_ answer: @escaping @Sendable (Data) -> Data?) async {
        let (framed, sink) = AsyncStream.makeStream(of: [MCPLineFramer.Output].self)
        let consumed = DispatchSemaphore(value: 0)
        sink.onTermination = { _ in consumed.signal() }
        Self.startReader(
            input, framer: MCPLineFramer.forMCP(maxLineBytes: maxLineBytes, maxNesting: maxNesting), sink: sink, consumed: consumed)
        await withTaskGroup(of: Void.self) { group in
            for await outputs in framed {
                for output in outputs {
                    switch output {
                    case .message(let data):
                        group.addTask {
                            if let reply = answer(data) { await self.send(reply) }
                        }
                    case .rejected(let rejection):
                        send(rejection.answer)
                    }
                }
                consumed.signal()
            }
        }
    }

    /// Writes one message and its newline; a failed write (the client went away) is reported on standard error.
    func send(_ data: Data) {
        var line = data
        line.append(UInt8(ascii: "\n"))
        let failure = line.withUnsafeBytes { bytes -> IOFailure? in
            do throws(IOFailure) {
                try FileDescriptorIO.writeAll(output, bytes)
                return nil
            } catch {
                return error
            }
        }
        if let failure { FileHandle.standardError.write(Data("goldpath mcp: writing an answer failed: \(failure)\n".utf8)) }
    }

    /// Reads `input` on a thread of its own until its end, sending each read's framed lines to `sink` and
    /// waiting until they were consumed before reading on.
    private static func startReader(
        _ input: Int32, framer: MCPLineFramer, sink: AsyncStream<[MCPLineFramer.Output]>.Continuation, consumed: DispatchSemaphore
    ) {
        let thread = Thread {
            var framer = framer
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
            defer { buffer.deallocate() }
            while true {
                var count = 0
                do {
                    count = try FileDescriptorIO.readSome(input, into: buffer)
                } catch {
                    FileHandle.standardError.write(Data("goldpath mcp: reading standard input failed: \(error)\n".utf8))
                }
                let outputs = count > 0 ? framer.append(UnsafeRawBufferPointer(rebasing: buffer[..<count])) : framer.finish()
                if !outputs.isEmpty {
                    guard case .enqueued = sink.yield(outputs) else { return }
                    consumed.wait()
                }
                if count == 0 {
                    sink.finish()
                    return
                }
            }
        }
        thread.name = "goldpath-mcp-stdin"
        thread.start()
    }
}

extension MCPLineFramer {
    /// The MCP server's framer, with the given limits.
    static func forMCP(maxLineBytes: Int = defaultMaxLineBytes, maxNesting: Int = defaultMaxNesting) -> MCPLineFramer {
        MCPLineFramer(maxLineBytes: maxLineBytes, maxNesting: maxNesting)
    }
}
