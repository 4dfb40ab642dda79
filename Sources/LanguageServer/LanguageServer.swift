import Analysis
import Foundation
import JSONRPC

/// goldpath's language server: diagnostics as you type, verified quick fixes, hover, code lens and
/// completion, on the same engine as the CLI.
///
/// Messages are handled strictly in the order they arrive (so `didChange`
/// notifications are never reordered); diagnostics are debounced, so a burst
/// of keystrokes is analysed once, on the newest text. A malformed message gets
/// a JSON-RPC error and the server goes on. The feature handlers live in the
/// `LanguageServer+*.swift` files.
public actor LanguageServer {
    let send: @Sendable (Data) -> Void
    /// Requests the client cancelled before they ran (filled by the transport as `$/cancelRequest` arrives).
    public nonisolated let cancelled = CancelledRequests()
    var initialized = false
    var shutdownRequested = false
    var codec = PositionCodec(utf8: false)
    var root: String = FileManager.default.currentDirectoryPath
    /// The session: the workspace (reloaded when its config, packs or decisions change), open documents, reports.
    var session: Session?
    /// The session's workspace as of the message being handled (read once per message: reading it checks for changes).
    var workspace: Workspace?
    /// The session's load count the server last reported load problems for.
    var seenLoads = 0
    /// The config file named by `goldpath lsp --config` or the client's `initializationOptions.config`.
    var configPath: String?
    /// The trust file given on the command line (`--trust`), or nil for `GOLDPATH_TRUST` or the user's default.
    let trustPath: String?
    var client = ClientCapabilities(.null)
    var documents: [String: OpenDocument] = [:]
    var pending: [String: Task<Void, Never>] = [:]
    var reports: [String: CachedReport] = [:]
    /// The diagnostics last made for each open document (``DiagnosticMemo``).
    var diagnosticMemos: [String: DiagnosticMemo] = [:]
    /// How many result ids `textDocument/diagnostic` has made: each new set of diagnostics gets the next one.
    var diagnosticResults = 0
    /// Bumped whenever something beside the open documents changes (packs, config, files on disk).
    var generation = 0
    /// Pack and config files that currently carry load-problem diagnostics.
    var packProblemURIs: Set<String> = []
    var nextOutgoingId = 0
    /// The quiet time after the last change before a document is analysed.
    public var debounce: Duration = .milliseconds(150)
    /// Set when `exit` arrives: the process exit code (0 after shutdown, 1 otherwise).
    public internal(set) var exitCode: Int32?

    /// Creates a server that writes framed messages through `send`; `configPath` names a `.goldpath.yaml`
    /// other than the one at the workspace root.
    public init(configPath: String? = nil, trustPath: String? = nil, send: @escaping @Sendable (Data) -> Void) {
        self.configPath = configPath
        self.trustPath = trustPath
        self.send = send
    }

    /// Sets the debounce delay (tests use zero).
    public func setDebounce(_ d: Duration) { debounce = d }

    func write(_ message: Message) { send(MessageFramer.frame(message)) }

    func notify(_ method: String, _ params: JSON) { write(.notification(method: method, params: params)) }

    /// Sends a request to the client; its answer is read and ignored.
    func requestFromClient(_ method: String, _ params: JSON) {
        nextOutgoingId += 1
        write(.request(id: .string("goldpath-\(nextOutgoingId)"), method: method, params: params))
    }

    /// Shows a message in the client (`window/showMessage`; type 1 error, 2 warning, 3 info).
    func showMessage(_ text: String, type: Int) {
        notify("window/showMessage", .object(["type": .number(Double(type)), "message": .string(text)]))
    }

    /// Handles one frame from the client.
    public func handle(_ frame: MessageFramer.Frame) async {
        switch frame {
        case .malformed(let problem):
            write(.errorResponse(id: .null, error: ResponseError(ErrorCode.parseError, problem)))
        case .message(let data):
            switch Message.parse(data) {
            case .failure(let error): write(.errorResponse(id: .null, error: error))
            case .success(let message): await handle(message)
            }
        }
    }

    private func handle(_ message: Message) async {
        refreshWorkspace()
        switch message {
        case .request(let id, let method, let params):
            defer { cancelled.forget(id) }
            if cancelled.contains(id) {
                write(.errorResponse(id: id, error: ResponseError(ErrorCode.requestCancelled, "the client cancelled \(method)")))
                return
            }
            do {
                write(.response(id: id, result: try request(method, params, id: id)))
            } catch let error as ResponseError {
                write(.errorResponse(id: id, error: error))
            } catch {
                write(.errorResponse(id: id, error: ResponseError(ErrorCode.internalError, "\(error)")))
            }
        case .notification(let method, let params):
            notification(method, params)
        case .response, .errorResponse:
            break
        }
    }

    private func request(_ method: String, _ params: JSON?, id: JSON) throws -> JSON {
        if method == "initialize" {
            let decoded: InitializeParams
            do throws(ProtocolError) {
                decoded = try JSONValueDecoder.decode(InitializeParams.self, from: params)
            } catch {
                throw ResponseError(ErrorCode.invalidParams, error.message)
            }
            return try initialize(decoded)
        }
        guard initialized else {
            throw ResponseError(ErrorCode.serverNotInitialized, "the server is not initialized: send initialize first")
        }
        if shutdownRequested && method != "shutdown" { throw ResponseError(ErrorCode.invalidRequest, "the server is shutting down") }
        guard let route = LanguageServer.requests[method] else {
            throw ResponseError(ErrorCode.methodNotFound, "goldpath does not implement \(method)")
        }
        return try route.run(self, params, id)
    }

    private func notification(_ method: String, _ params: JSON?) {
        // Before initialize only `exit` counts; `$/` notifications goldpath does not use are ignored.
        guard initialized || method == "exit", let route = LanguageServer.notifications[method] else { return }
        route.run(self, params)
    }

    /// Writes a line to standard error (the protocol owns standard output).
    nonisolated func log(_ text: String) {
        FileHandle.standardError.write(Data("goldpath lsp: \(text)\n".utf8))
    }

    /// The commands `workspace/executeCommand` accepts.
    public static let commands = ["goldpath.requestReview", "goldpath.editReason"]

    /// Publishes the document's diagnostics after the debounce delay; a newer change cancels the older run. Half way
    /// through the delay, with no newer change, the analysis starts in the background, so the diagnostics go out
    /// when the delay ends rather than an analysis later.
    func schedule(_ uri: String) {
        pending[uri]?.cancel()
        guard !client.pullDiagnostics || isPackOrConfig(documents[uri]) else {
            pending[uri] = nil
            return
        }
        let delay = debounce
        pending[uri] = Task {
            if delay > .zero {
                try? await Task.sleep(for: delay / 2)
                guard !Task.isCancelled else { return }
                self.prefetch(uri)
                try? await Task.sleep(for: delay - delay / 2)
            }
            guard !Task.isCancelled else { return }
            self.publish(uri)
        }
    }

    /// Analyses every pending document now (tests, and before exiting).
    public func flush() {
        let uris = Array(pending.keys)
        for uri in uris {
            pending[uri]?.cancel()
            publish(uri)
        }
        pending = [:]
    }
}
