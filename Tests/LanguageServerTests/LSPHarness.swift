import Foundation
import JSONRPC
import LanguageServer

/// Drives an in-memory `LanguageServer`: sends messages, collects what it writes.
final class LSPHarness: @unchecked Sendable {
    let server: LanguageServer
    let root: URL
    private let lock = NSLock()
    private var framer = MessageFramer()
    private var received: [JSON] = []
    private var nextId = 0

    /// A server on a fresh temporary workspace holding `files` (relative path → text).
    init(files: [String: String], capabilities: JSON = .object([:])) async throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("goldpath-lsp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (path, text) in files { try LSPHarness.write(path, text, under: root) }
        let box = Box()
        server = LanguageServer { data in box.append(data) }
        box.harness = self
        await server.setDebounce(.zero)
        let result = try await request(
            "initialize", .object(["processId": .null, "rootUri": .string(root.absoluteString), "capabilities": capabilities]))
        precondition(result["capabilities"] != nil)
        await notify("initialized", .object([:]))
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func write(_ path: String, _ text: String) throws { try LSPHarness.write(path, text, under: root) }

    static func write(_ path: String, _ text: String, under root: URL) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func uri(_ path: String) -> String { root.appendingPathComponent(path).absoluteString }

    final class Box: @unchecked Sendable {
        weak var harness: LSPHarness?
        func append(_ data: Data) { harness?.receive(data) }
    }

    private func receive(_ data: Data) {
        lock.withLock {
            for frame in framer.append(Array(data)) {
                if case .message(let body) = frame, let json = try? JSONDecoder().decode(JSON.self, from: body) { received.append(json) }
            }
        }
    }

    /// Everything the server wrote so far, and forgets it.
    func drain() -> [JSON] {
        lock.withLock {
            defer { received = [] }
            return received
        }
    }

    /// The raw response (result or error) to a request.
    func call(_ method: String, _ params: JSON) async -> JSON {
        nextId += 1
        let id = nextId
        await send(.object(["jsonrpc": "2.0", "id": .number(Double(id)), "method": .string(method), "params": params]))
        return lock.withLock {
            let index = received.firstIndex { $0["id"]?.int == id && $0["method"] == nil }!
            return received.remove(at: index)
        }
    }

    struct RPCError: Error {
        var code: Int
        var message: String
    }

    /// The result of a request, or its error thrown.
    func request(_ method: String, _ params: JSON) async throws -> JSON {
        let response = await call(method, params)
        if let error = response["error"] { throw RPCError(code: error["code"]?.int ?? 0, message: error["message"]?.string ?? "") }
        return response["result"] ?? .null
    }

    func notify(_ method: String, _ params: JSON) async {
        await send(.object(["jsonrpc": "2.0", "method": .string(method), "params": params]))
    }

    func send(_ json: JSON) async {
        let body = try! JSONEncoder().encode(json)
        await sendRaw(Data("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
    }

    func sendRaw(_ data: Data) async {
        var framer = MessageFramer()
        for frame in framer.append(Array(data)) { await server.handle(frame) }
    }

    func open(_ path: String, text: String? = nil, version: Int = 1) async throws {
        let content = try text ?? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        await notify(
            "textDocument/didOpen",
            .object([
                "textDocument": .object([
                    "uri": .string(uri(path)), "languageId": "terraform", "version": .number(Double(version)), "text": .string(content),
                ])
            ]))
    }

    /// Replaces `range` of the open document `path` with `text`, as its version `version`.
    func change(_ path: String, version: Int, _ range: JSON, _ text: String) async {
        await notify(
            "textDocument/didChange",
            .object([
                "textDocument": .object(["uri": .string(uri(path)), "version": .int(version)]),
                "contentChanges": .array([.object(["range": range, "text": .string(text)])]),
            ]))
    }

    /// `textDocument/diagnostic` for `path`, sending `previous` as the result id the client holds.
    func pullDiagnostics(_ path: String, previous: String? = nil) async throws -> JSON {
        var params: [String: JSON] = ["textDocument": textDocument(path)]
        if let previous { params["previousResultId"] = .string(previous) }
        return try await request("textDocument/diagnostic", .object(params))
    }

    /// The diagnostics published for `path` after the pending analyses ran.
    func publishedDiagnostics(_ path: String) async -> [JSON] {
        await server.flush()
        let target = uri(path)
        return drain().last { $0["method"]?.string == "textDocument/publishDiagnostics" && $0["params"]?["uri"]?.string == target }?[
            "params"]?["diagnostics"]?.array ?? []
    }

    static func position(_ line: Int, _ character: Int) -> JSON {
        .object(["line": .number(Double(line)), "character": .number(Double(character))])
    }

    static func range(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> JSON { .object(["start": position(l1, c1), "end": position(l2, c2)]) }

    func textDocument(_ path: String) -> JSON { .object(["uri": .string(uri(path))]) }
}

extension JSON {
    /// Shorthand for `.number` in tests.
    static func int(_ n: Int) -> JSON { .number(Double(n)) }
}
