import Foundation
import Logging
import MCP
import MCPFraming

/// goldpath's MCP stdio transport: newline-delimited JSON-RPC on standard input and output, with every
/// line bounded before anything decodes it.
///
/// A thread of its own reads the input with blocking reads and splits it with ``MCPLineFramer``, which
/// looks at each byte once and drops an overlong line as it streams in. Lines the framer refuses (too
/// long, nested too deeply, not JSON, not a JSON-RPC message) are answered here with a JSON-RPC error
/// whose id is null (or the message's id, when it could be read) and are not passed to the SDK. The
/// reader waits until what it read was handed on, so a fast client cannot queue more than one read's
/// worth of messages. At the end of the input the message stream ends, so the server's
/// `waitUntilCompleted()` returns.
///
/// Every write, the SDK's and the transport's own answers alike, is one blocking write loop inside the
/// actor with no suspension point, so two messages never interleave on the output.
actor BoundedStdioTransport: Transport {
    /// The transport's log (silent unless a logger is given).
    nonisolated let logger: Logger

    private let input: Int32
    private let output: Int32
    private let maxLineBytes: Int
    private let maxNesting: Int
    private var isConnected = false
    private let messages: AsyncThrowingStream<Data, any Error>
    private let messageSink: AsyncThrowingStream<Data, any Error>.Continuation
    /// Where the reader thread sends what it framed; finished on disconnect.
    private var framedSink: AsyncStream<[MCPLineFramer.Output]>.Continuation?

    /// Creates a transport on `input` and `output` (standard input and output by default) with the given line limits.
    init(
        input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, maxLineBytes: Int = MCPLineFramer.defaultMaxLineBytes,
        maxNesting: Int = MCPLineFramer.defaultMaxNesting, logger: Logger? = nil
    ) {
        self.input = input
        self.output = output
        self.maxLineBytes = maxLineBytes
        self.maxNesting = maxNesting
        self.logger = logger ?? Logger(label: "goldpath.mcp.stdio", factory: { _ in SwiftLogNoOpLogHandler() })
        (messages, messageSink) = AsyncThrowingStream.makeStream(of: Data.self)
    }

    /// Starts the reader thread and the delivery of what it frames.
    func connect() async throws {
        guard !isConnected else { return }
        isConnected = true
        let (framed, sink) = AsyncStream.makeStream(of: [MCPLineFramer.Output].self)
        let consumed = DispatchSemaphore(value: 0)
        sink.onTermination = { _ in consumed.signal() }
        framedSink = sink
        Self.startReader(
            input, framer: MCPLineFramer.forMCP(maxLineBytes: maxLineBytes, maxNesting: maxNesting), sink: sink, consumed: consumed,
            logger: logger)
        Task { await deliver(framed, consumed: consumed) }
    }

    /// Ends the message stream. A read already waiting for input ends with the input or the process.
    func disconnect() async {
        guard isConnected else { return }
        isConnected = false
        framedSink?.finish()
        messageSink.finish()
    }

    /// Writes one message and its newline.
    func send(_ data: Data) async throws {
        guard isConnected else { throw MCPError.connectionClosed }
        do {
            try write(data)
        } catch {
            throw MCPError.transportError(error)
        }
    }

    /// The messages read, in order; the stream ends at the end of the input.
    func receive() -> AsyncThrowingStream<Data, any Error> {
        messages
    }

    /// Passes messages to the SDK and answers refused lines, in the order they were read.
    private func deliver(_ framed: AsyncStream<[MCPLineFramer.Output]>, consumed: DispatchSemaphore) async {
        for await outputs in framed {
            for output in outputs {
                switch output {
                case .message(let data):
                    messageSink.yield(data)
                case .rejected(let rejection):
                    logger.notice("Refused a line", metadata: ["error": "\(rejection.message)"])
                    do {
                        try write(rejection.answer)
                    } catch {
                        logger.error("Could not answer a refused line", metadata: ["error": "\(error)"])
                    }
                }
            }
            consumed.signal()
        }
        messageSink.finish()
    }

    /// Writes `data` and a newline with blocking writes (no suspension: nothing else writes meanwhile).
    private func write(_ data: Data) throws(IOFailure) {
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
        if let failure { throw failure }
    }

    /// Reads `input` on a thread of its own until its end, sending each read's framed lines to `sink` and
    /// waiting until they were consumed before reading on.
    private static func startReader(
        _ input: Int32, framer: MCPLineFramer, sink: AsyncStream<[MCPLineFramer.Output]>.Continuation, consumed: DispatchSemaphore,
        logger: Logger
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
                    logger.error("Reading the input failed", metadata: ["error": "\(error)"])
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
