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
    var client = ClientCapabilities(.null)
    var documents: [String: OpenDocument] = [:]
    var pending: [String: Task<Void, Never>] = [:]
    var reports: [String: CachedReport] = [:]
    /// Bumped whenever something beside the open documents changes (packs, config, files on disk).
    var generation = 0
    /// Pack and config files that currently carry load-problem diagnostics.
    var packProblemURIs: Set<String> = []
    var nextOutgoingId = 0
    /// The quiet time after the last change before a document is analysed.
    public var debounce: Duration = .milliseconds(150)
    /// Set when `exit` arrives: the process exit code (0 after shutdown, 1 otherwise).
    public private(set) var exitCode: Int32?

    /// Creates a server that writes framed messages through `send`; `configPath` names a `.goldpath.yaml`
    /// other than the one at the workspace root.
    public init(configPath: String? = nil, send: @escaping @Sendable (Data) -> Void) {
        self.configPath = configPath
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
        if method == "initialize" { return try initialize(params) }
        guard initialized else {
            throw ResponseError(ErrorCode.serverNotInitialized, "the server is not initialized: send initialize first")
        }
        if shutdownRequested && method != "shutdown" { throw ResponseError(ErrorCode.invalidRequest, "the server is shutting down") }
        switch method {
        case "shutdown":
            shutdownRequested = true
            for task in pending.values { task.cancel() }
            pending = [:]
            return .null
        case "textDocument/codeAction": return try codeActions(params)
        case "codeAction/resolve": return try resolveCodeAction(params)
        case "textDocument/hover": return try hover(params)
        case "textDocument/codeLens": return try codeLenses(params)
        case "textDocument/completion": return try completion(params)
        case "textDocument/diagnostic": return try documentDiagnostic(params)
        case "workspace/diagnostic": return try workspaceDiagnostic(params, id: id)
        case "workspace/executeCommand": return try executeCommand(params)
        default:
            throw ResponseError(ErrorCode.methodNotFound, "goldpath does not implement \(method)")
        }
    }

    private func notification(_ method: String, _ params: JSON?) {
        switch method {
        case "initialized":
            registerWatchers()
            reportLoadProblems()
        case "$/cancelRequest", "$/setTrace": break
        case "exit": exitCode = shutdownRequested ? 0 : 1
        case "textDocument/didOpen":
            guard initialized, let doc = params?["textDocument"], let uri = doc["uri"]?.string, let text = doc["text"]?.string else {
                return
            }
            documents[uri] = OpenDocument(uri: uri, path: DocumentURI.path(uri), version: doc["version"]?.int ?? 0, text: text)
            session?.setOverlay(DocumentURI.path(uri), text: text)
            schedule(uri)
        case "textDocument/didChange":
            guard initialized, let uri = params?["textDocument"]?["uri"]?.string, var doc = documents[uri],
                let changes = params?["contentChanges"]?.array
            else { return }
            for change in changes {
                let text = change["text"]?.string ?? ""
                let range = JSONRange(change["range"])
                doc.text = ContentChange.apply(range: range, text: text, to: doc.text, codec: codec)
            }
            doc.version = params?["textDocument"]?["version"]?.int ?? doc.version + 1
            documents[uri] = doc
            session?.setOverlay(doc.path, text: doc.text)
            schedule(uri)
        case "textDocument/didSave":
            guard let uri = params?["textDocument"]?["uri"]?.string, let doc = documents[uri] else { return }
            if isPackOrConfig(doc) { reload() } else { schedule(uri) }
        case "textDocument/didClose":
            guard let uri = params?["textDocument"]?["uri"]?.string else { return }
            if let doc = documents[uri] { session?.setOverlay(doc.path, text: nil) }
            documents[uri] = nil
            reports[uri] = nil
            pending[uri]?.cancel()
            pending[uri] = nil
            if !client.pullDiagnostics && !packProblemURIs.contains(uri) {
                notify("textDocument/publishDiagnostics", .object(["uri": .string(uri), "diagnostics": .array([])]))
            }
        case "workspace/didChangeWatchedFiles":
            watchedFilesChanged(params?["changes"]?.array ?? [])
        case "workspace/didChangeConfiguration":
            if initialized { reload() }
        default: break
        }
    }

    private func initialize(_ params: JSON?) throws -> JSON {
        guard !initialized else { throw ResponseError(ErrorCode.invalidRequest, "initialize was already sent") }
        client = ClientCapabilities(params?["capabilities"] ?? .null)
        // Ranges are UTF-8 byte offsets inside goldpath: take UTF-8 whenever the client offers it, else the UTF-16 default.
        codec = PositionCodec(utf8: client.positionEncodings.contains("utf-8"))
        if let uri = params?["workspaceFolders"]?.array?.first?["uri"]?.string ?? params?["rootUri"]?.string {
            root = DocumentURI.path(uri)
        } else if let path = params?["rootPath"]?.string {
            root = path
        }
        if let path = params?["initializationOptions"]?["config"]?.string, !path.isEmpty {
            configPath = path.hasPrefix("/") ? path : (root as NSString).appendingPathComponent(path)
        }
        let session = Session(configPath: configPath, root: root)
        self.session = session
        workspace = session.workspace
        seenLoads = session.loadCount
        initialized = true
        var capabilities: [String: JSON] = [
            "positionEncoding": .string(codec.utf8 ? "utf-8" : "utf-16"),
            "textDocumentSync": .object(["openClose": .bool(true), "change": .number(2), "save": .bool(true)]),
            "codeActionProvider": .object([
                "codeActionKinds": .array(["quickfix", "source.fixAll.goldpath"]), "resolveProvider": .bool(true),
            ]),
            "hoverProvider": .bool(true),
            "codeLensProvider": .object(["resolveProvider": .bool(false)]),
            "completionProvider": .object(["triggerCharacters": .array(["\"", "=", ":", " "]), "resolveProvider": .bool(false)]),
            "executeCommandProvider": .object(["commands": .array(LanguageServer.commands.map { .string($0) })]),
            "workspace": .object(["workspaceFolders": .object(["supported": .bool(true), "changeNotifications": .bool(false)])]),
        ]
        if client.pullDiagnostics {
            capabilities["diagnosticProvider"] = .object([
                "identifier": "goldpath", "interFileDependencies": .bool(true), "workspaceDiagnostics": .bool(true),
            ])
        }
        return .object([
            "capabilities": .object(capabilities),
            "serverInfo": .object(["name": "goldpath", "version": "0.1.0"]),
        ])
    }

    /// The commands `workspace/executeCommand` accepts.
    public static let commands = ["goldpath.requestReview"]

    /// Publishes the document's diagnostics after the debounce delay; a newer change cancels the older run.
    func schedule(_ uri: String) {
        pending[uri]?.cancel()
        guard !client.pullDiagnostics || isPackOrConfig(documents[uri]) else {
            pending[uri] = nil
            return
        }
        let delay = debounce
        pending[uri] = Task {
            if delay > .zero { try? await Task.sleep(for: delay) }
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
