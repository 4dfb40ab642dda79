import Foundation
import JSONRPC

extension LanguageServer {
    /// Serves LSP over standard input and output; returns the exit code.
    ///
    /// A dedicated thread reads standard input, so a slow analysis never
    /// stops the server from seeing `$/cancelRequest`: a cancellation is
    /// recorded the moment it is read, and the request it names is answered
    /// with RequestCancelled if it has not run yet. Messages are still
    /// handled one at a time, in order.
    public static func runOnStdio(configPath: String? = nil, trustPath: String? = nil) async -> Int32 {
        let out = FileHandle.standardOutput
        let lock = NSLock()
        let server = LanguageServer(configPath: configPath, trustPath: trustPath) { data in
            lock.withLock { out.write(data) }
        }
        let cancelled = server.cancelled
        let (frames, continuation) = AsyncStream.makeStream(of: MessageFramer.Frame.self)
        let reader = Thread {
            var framer = MessageFramer()
            let input = FileHandle.standardInput
            while true {
                let data = input.availableData
                if data.isEmpty { break }
                for frame in framer.append(Array(data)) {
                    // Only a body that mentions $/cancelRequest is parsed here; every message is parsed once more, in order, by the server.
                    if case .message(let body) = frame, body.count < 4096, body.range(of: Data("$/cancelRequest".utf8)) != nil,
                        case .success(.notification("$/cancelRequest", let params)) = Message.parse(body),
                        let id = params?["id"]
                    {
                        cancelled.cancel(id)
                    }
                    continuation.yield(frame)
                }
            }
            continuation.finish()
        }
        reader.start()
        for await frame in frames {
            await server.handle(frame)
            if let code = await server.exitCode { return code }
        }
        return await server.exitCode ?? 1
    }
}
