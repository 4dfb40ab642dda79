import Analysis
import Foundation
import JSONRPC
import PolicyModel
import Rules
import TextCore

/// goldpath's language server: diagnostics as you type, verified quick fixes and hover, on the same engine as the CLI.
///
/// Messages are handled strictly in the order they arrive (so `didChange`
/// notifications are never reordered); diagnostics are debounced, so a burst
/// of keystrokes is analysed once, on the newest text. A malformed message gets
/// a JSON-RPC error and the server goes on.
public actor LanguageServer {
    private let send: @Sendable (Data) -> Void
    private var initialized = false
    private var shutdownRequested = false
    private var codec = PositionCodec(utf8: false)
    private var root: String = FileManager.default.currentDirectoryPath
    private var workspace: Workspace?
    private var documents: [String: OpenDocument] = [:]
    private var pending: [String: Task<Void, Never>] = [:]
    private var reports: [String: (version: Int, report: UnitReport)] = [:]
    /// The quiet time after the last change before a document is analysed.
    public var debounce: Duration = .milliseconds(150)
    /// Set when `exit` arrives: the process exit code (0 after shutdown, 1 otherwise).
    public private(set) var exitCode: Int32?

    /// Creates a server that writes framed messages through `send`.
    public init(send: @escaping @Sendable (Data) -> Void) {
        self.send = send
    }

    /// Sets the debounce delay (tests use zero).
    public func setDebounce(_ d: Duration) { debounce = d }

    private func write(_ message: Message) { send(MessageFramer.frame(message)) }

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
        switch message {
        case .request(let id, let method, let params):
            do {
                write(.response(id: id, result: try await request(method, params)))
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

    private func request(_ method: String, _ params: JSON?) async throws -> JSON {
        if method == "initialize" { return initialize(params) }
        guard initialized else { throw ResponseError(ErrorCode.serverNotInitialized, "the server is not initialized: send initialize first") }
        if shutdownRequested && method != "shutdown" { throw ResponseError(ErrorCode.invalidRequest, "the server is shutting down") }
        switch method {
        case "shutdown":
            shutdownRequested = true
            return .null
        case "textDocument/codeAction": return try codeActions(params)
        case "textDocument/hover": return try hover(params)
        default:
            throw ResponseError(ErrorCode.methodNotFound, "goldpath does not implement \(method)")
        }
    }

    private func notification(_ method: String, _ params: JSON?) {
        switch method {
        case "initialized", "$/cancelRequest", "$/setTrace": break
        case "exit": exitCode = shutdownRequested ? 0 : 1
        case "textDocument/didOpen":
            guard initialized, let doc = params?["textDocument"], let uri = doc["uri"]?.string, let text = doc["text"]?.string else { return }
            documents[uri] = OpenDocument(uri: uri, path: DocumentURI.path(uri), version: doc["version"]?.int ?? 0, text: text)
            schedule(uri)
        case "textDocument/didChange":
            guard initialized, let uri = params?["textDocument"]?["uri"]?.string, var doc = documents[uri],
                let changes = params?["contentChanges"]?.array
            else { return }
            for change in changes {
                let text = change["text"]?.string ?? ""
                let range = try? change["range"]?.decode(JSONRange.self)
                doc.text = ContentChange.apply([:], range: change["range"] == nil ? nil : range, text: text, to: doc.text, codec: codec)
            }
            doc.version = params?["textDocument"]?["version"]?.int ?? doc.version + 1
            documents[uri] = doc
            schedule(uri)
        case "textDocument/didSave":
            if let uri = params?["textDocument"]?["uri"]?.string, documents[uri] != nil { schedule(uri) }
        case "textDocument/didClose":
            guard let uri = params?["textDocument"]?["uri"]?.string else { return }
            documents[uri] = nil
            reports[uri] = nil
            pending[uri]?.cancel()
            write(.notification(method: "textDocument/publishDiagnostics", params: .object(["uri": .string(uri), "diagnostics": .array([])])))
        default: break
        }
    }

    private func initialize(_ params: JSON?) -> JSON {
        let offered = params?["capabilities"]?["general"]?["positionEncodings"]?.array?.compactMap(\.string) ?? []
        // Ranges are UTF-8 byte offsets inside goldpath: take UTF-8 whenever the client offers it, else the UTF-16 default.
        codec = PositionCodec(utf8: offered.contains("utf-8"))
        if let uri = params?["workspaceFolders"]?.array?.first?["uri"]?.string ?? params?["rootUri"]?.string {
            root = DocumentURI.path(uri)
        }
        workspace = Workspace.load(root: root)
        initialized = true
        return .object([
            "capabilities": .object([
                "positionEncoding": .string(codec.utf8 ? "utf-8" : "utf-16"),
                "textDocumentSync": .object(["openClose": .bool(true), "change": .number(2), "save": .bool(true)]),
                "codeActionProvider": .object(["codeActionKinds": .array(["quickfix", "source.fixAll.goldpath"])]),
                "hoverProvider": .bool(true),
            ]),
            "serverInfo": .object(["name": "goldpath", "version": "0.1.0"]),
        ])
    }

    /// Publishes the document's diagnostics after the debounce delay; a newer change cancels the older run.
    private func schedule(_ uri: String) {
        pending[uri]?.cancel()
        let delay = debounce
        pending[uri] = Task {
            if delay > .zero { try? await Task.sleep(for: delay) }
            guard !Task.isCancelled else { return }
            self.publish(uri)
        }
    }

    /// Analyses every pending document now (tests, and before answering a request on a document).
    public func flush() {
        for uri in pending.keys { pending[uri]?.cancel(); publish(uri) }
        pending = [:]
    }

    private func analysis(_ uri: String) -> UnitReport? {
        guard let doc = documents[uri], let ws = workspace else { return nil }
        if let cached = reports[uri], cached.version == doc.version { return cached.report }
        let inside = doc.path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
        let filename = inside ? String(doc.path.dropFirst(root.count + (root.hasSuffix("/") ? 0 : 1))) : doc.path
        guard var unit = ws.unit(forContent: doc.text, filename: filename, root: inside ? root : nil) else { return nil }
        // Other open documents of the same unit overlay their files on disk too.
        for other in documents.values where other.uri != uri && unit.files.contains(where: { $0.path == other.path }) {
            unit = unit.replacing(file: other.path, with: other.text)
        }
        // Diagnostics need no fixes; fixes are planned and verified lazily, for the findings a code action asks about.
        let report = ws.analyze(unit, verifyFixes: false)
        reports[uri] = (doc.version, report)
        return report
    }

    private func publish(_ uri: String) {
        guard let doc = documents[uri] else { return }
        pending[uri] = nil
        let report = analysis(uri)
        let diagnostics = (report?.findings ?? []).filter { $0.file == report?.unit.files.first(where: { $0.path.hasSuffix(doc.path) || $0.path == doc.path })?.path ?? doc.path }
            .map { diagnostic($0, report: report!) }
        write(.notification(method: "textDocument/publishDiagnostics", params: .object([
            "uri": .string(uri), "version": .number(Double(doc.version)), "diagnostics": .array(diagnostics),
        ])))
    }

    private func source(_ path: String, _ report: UnitReport) -> SourceText? { report.unit.files.first { $0.path == path } }

    private func diagnostic(_ f: Finding, report: UnitReport) -> JSON {
        let index = source(f.file, report)?.lineIndex ?? LineIndex(bytes: [])
        var d: [String: JSON] = [
            "range": JSON.from(codec.range(f.range, in: index)),
            "severity": .number(Double(f.severity == .error ? 1 : f.severity == .warning ? 2 : f.severity == .info ? 3 : 4)),
            "code": .string(f.ruleId), "source": "goldpath", "message": .string(f.message),
        ]
        if let docs = workspace?.engine.rule(f.ruleId)?.docs { d["codeDescription"] = .object(["href": .string(docs)]) }
        let related = f.related.compactMap { r -> JSON? in
            guard let s = source(r.file, report) else { return nil }
            return .object(["location": .object(["uri": .string(DocumentURI.uri(r.file)), "range": JSON.from(codec.range(r.range, in: s.lineIndex))]),
                            "message": .string(r.message)])
        }
        if !related.isEmpty { d["relatedInformation"] = .array(related) }
        return .object(d)
    }

    private func document(_ params: JSON?) throws -> (OpenDocument, UnitReport) {
        guard let uri = params?["textDocument"]?["uri"]?.string else { throw ResponseError(ErrorCode.invalidParams, "textDocument.uri is required") }
        guard let doc = documents[uri] else { throw ResponseError(ErrorCode.invalidParams, "\(uri) is not open") }
        guard let report = analysis(uri) else { throw ResponseError(ErrorCode.invalidParams, "goldpath does not check \(uri)") }
        return (doc, report)
    }

    private func workspaceEdit(_ fileEdits: [FileEdits], report: UnitReport) -> JSON {
        var changes: [String: JSON] = [:]
        for fe in fileEdits {
            guard let s = source(fe.file, report) else { continue }
            changes[DocumentURI.uri(fe.file)] = .array(fe.edits.map { e in
                .object(["range": JSON.from(codec.range(e.range, in: s.lineIndex)), "newText": .string(e.newText)])
            })
        }
        return .object(["changes": .object(changes)])
    }

    private func codeActions(_ params: JSON?) throws -> JSON {
        let (doc, report) = try document(params)
        guard let range = try? params?["range"]?.decode(JSONRange.self), let s = source(doc.path, report) ?? report.unit.files.first(where: { $0.path.hasSuffix(doc.path) })
        else { throw ResponseError(ErrorCode.invalidParams, "range is required") }
        let start = codec.offset(range.start, in: s.lineIndex), end = codec.offset(range.end, in: s.lineIndex)
        let only = params?["context"]?["only"]?.array?.compactMap(\.string)
        var actions: [JSON] = []
        if only == nil || only!.contains(where: { $0.hasPrefix("quickfix") }) {
            let inRange = report.findings.filter { $0.file == s.path && $0.range.start <= end && start <= $0.range.end }
            let fixable = verifiedFixes(inRange, report: report)
            for f in fixable {
                actions.append(.object([
                    "title": .string("\(f.fix!.title) (\(f.ruleId))"), "kind": "quickfix", "isPreferred": .bool(fixable.count == 1),
                    "diagnostics": .array([diagnostic(f, report: report)]), "edit": workspaceEdit(f.fix!.edits, report: report),
                ]))
            }
        }
        if only == nil || only!.contains(where: { "source.fixAll.goldpath".hasPrefix($0) }), let ws = workspace {
            let (fixed, applied) = ws.fixAll(report.unit)
            let edits = zip(report.unit.files, fixed.files).filter { $0.0.text != $0.1.text }.map {
                FileEdits(file: $0.0.path, edits: [TextEdit.minimal(from: $0.0.text, to: $0.1.text)])
            }
            if !applied.isEmpty {
                actions.append(.object([
                    "title": .string("Apply all \(applied.count) verified goldpath fixes"), "kind": "source.fixAll.goldpath",
                    "edit": workspaceEdit(edits, report: report),
                ]))
            }
        }
        return .array(actions)
    }

    /// The findings whose fix verifies (applied, re-checked, finding gone, nothing new).
    private func verifiedFixes(_ findings: [Finding], report: UnitReport) -> [Finding] {
        guard let ws = workspace, let language = ws.languages[report.unit.language] else { return [] }
        let lowered = language.lower(report.unit)
        let verifier = FixVerifier(engine: ws.engine, language: language)
        return findings.compactMap { f in
            guard case .success(let fix) = verifier.verify(f, unit: report.unit, lowered: lowered, before: report.findings) else { return nil }
            var verified = f
            verified.fix = fix
            return verified
        }
    }

    private func hover(_ params: JSON?) throws -> JSON {
        let (doc, report) = try document(params)
        guard let position = try? params?["position"]?.decode(JSONPosition.self), let s = source(doc.path, report) ?? report.unit.files.first(where: { $0.path.hasSuffix(doc.path) })
        else { throw ResponseError(ErrorCode.invalidParams, "position is required") }
        let offset = codec.offset(position, in: s.lineIndex)
        let here = report.findings.filter { $0.file == s.path && $0.range.start <= offset && offset <= $0.range.end }
        guard !here.isEmpty, let ws = workspace else { return .null }
        var parts: [String] = []
        for f in here {
            var text = "**\(f.ruleId)** \(f.message)"
            if let rule = ws.engine.rule(f.ruleId), let path = ws.engine.goldenPaths.first(where: { $0.id == rule.goldenPath }) {
                text += "\n\nGolden path: *\(path.title)* (`\(path.id)`)"
                if let why = rule.rationale { text += "\n\nWhy: \(why)" }
                let params = ws.engine.params(for: path)
                if !params.isEmpty { text += "\n\nParameters: " + params.keys.sorted().map { "`\($0)=\(params[$0]!.canonical)`" }.joined(separator: ", ") }
                if let example = rule.examples.pass.first?.text { text += "\n\nCompliant example:\n```\n\(example)```" }
            }
            if ws.engine.rule(f.ruleId)?.fix != nil { text += "\n\nA quick fix is offered when it verifies (code actions)." }
            parts.append(text)
        }
        return .object(["contents": .object(["kind": "markdown", "value": .string(parts.joined(separator: "\n\n---\n\n"))]),
                        "range": JSON.from(codec.range(here[0].range, in: s.lineIndex))])
    }

    /// Serves LSP over standard input and output; returns the exit code.
    public static func runOnStdio() async -> Int32 {
        let out = FileHandle.standardOutput
        let lock = NSLock()
        let server = LanguageServer { data in
            lock.lock()
            out.write(data)
            lock.unlock()
        }
        var framer = MessageFramer()
        let input = FileHandle.standardInput
        while true {
            let data = input.availableData
            if data.isEmpty { break }
            for frame in framer.append(Array(data)) {
                await server.handle(frame)
                if let code = await server.exitCode {
                    await server.flush()
                    return code
                }
            }
        }
        return await server.exitCode ?? 1
    }
}

