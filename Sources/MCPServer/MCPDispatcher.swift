import Analysis
import Foundation
import JSONRPC
import Synchronization

/// Answers the MCP messages a client sends: the lifecycle (`initialize`, `ping`), the tools and the rule packs as
/// resources. Notifications and the client's own responses are read and not answered.
///
/// Messages reach it screened by ``MCPLineFramer`` (one JSON-RPC message per line, bounded in size and nesting),
/// so every message it reads is a JSON-RPC request, notification, response or batch. Requests may be answered
/// concurrently; `answer(_:)` is safe to call from several tasks.
final class MCPDispatcher: Sendable {
    private let context: ToolContext
    private let initialized = Mutex(false)

    /// A dispatcher whose tools work in `context`.
    init(context: ToolContext) {
        self.context = context
    }

    /// The answer to one framed message (one line, without its newline), or nil when it asks for none.
    func answer(_ message: Data) -> Data? {
        guard let parsed = try? JSONParser.parse(message) else {
            return Data(JSONWriter.bytes(MCPDispatcher.response(id: .null, error: MCPError(code: -32700, message: "Parse error"))))
        }
        let answer: JSON?
        if case .array(let batch) = parsed {
            let answers = batch.compactMap { item -> JSON? in
                guard case .object = item else {
                    return MCPDispatcher.response(id: .null, error: MCPError.invalidRequest("Invalid batch item format"))
                }
                return self.answer(to: item)
            }
            answer = answers.isEmpty ? nil : .array(answers)
        } else {
            answer = self.answer(to: parsed)
        }
        return answer.map { Data(JSONWriter.bytes($0)) }
    }

    /// The response to a request; nil for a notification or a response.
    private func answer(to message: JSON) -> JSON? {
        guard case .object(let members) = message, let method = members["method"]?.string else { return nil }
        guard let id = members["id"], id != .null else { return nil }
        do throws(MCPError) {
            return MCPDispatcher.response(id: id, result: try result(of: method, params: members["params"]))
        } catch {
            return MCPDispatcher.response(id: id, error: error)
        }
    }

    private func result(of method: String, params: JSON?) throws(MCPError) -> JSON {
        switch method {
        case "initialize": return try initialize(MCPParams(params, of: method, optional: false))
        case "ping": return .object([:])
        case "tools/list":
            _ = try MCPParams(params, of: method, optional: true).optionalString("cursor")
            return .object(["tools": .array(GoldpathMCPServer.tools.map(\.definition))])
        case "tools/call":
            let p = try MCPParams(params, of: method, optional: false)
            let name = try p.string("name")
            let arguments = try p.optionalObject("arguments")
            return GoldpathMCPServer.call(name, arguments, context: context)
        case "resources/list":
            _ = try MCPParams(params, of: method, optional: true).optionalString("cursor")
            return resources()
        case "resources/read":
            return try read(MCPParams(params, of: method, optional: false).string("uri"))
        default:
            throw MCPError.methodNotFound(method)
        }
    }

    /// The negotiated version, the server's capabilities and the instructions for agents.
    private func initialize(_ params: MCPParams) throws(MCPError) -> JSON {
        let requested = try params.optionalString("protocolVersion")
        _ = try params.optionalObject("capabilities")
        let client = try params.nested("clientInfo")
        if !client.members.isEmpty {
            _ = try client.string("name")
            _ = try client.string("version")
        }
        let first = initialized.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { throw MCPError.invalidRequest("Server is already initialized") }
        return .object([
            "protocolVersion": .string(MCPProtocol.negotiate(requested)),
            "capabilities": .object([
                "resources": .object(["subscribe": .bool(false), "listChanged": .bool(false)]),
                "tools": .object(["listChanged": .bool(false)]),
            ]),
            "serverInfo": .object(["name": "goldpath", "version": "0.1.0"]),
            "instructions": .string(GoldpathMCPServer.instructions),
        ])
    }

    /// The rule packs in force, as read-only resources.
    private func resources() -> JSON {
        let packs = context.workspace().packSources.map { source -> JSON in
            .object([
                "name": .string(source.path.replacingOccurrences(of: "builtin:", with: "")),
                "uri": .string(GoldpathMCPServer.packURI(source.path)),
                "description": "goldpath rule pack (read-only)",
                "mimeType": "application/yaml",
            ])
        }
        return .object(["resources": .array(packs)])
    }

    /// The text of the rule pack at `uri`.
    private func read(_ uri: String) throws(MCPError) -> JSON {
        guard let source = context.workspace().packSources.first(where: { GoldpathMCPServer.packURI($0.path) == uri }) else {
            throw MCPError.invalidParams("no rule pack at \(uri)")
        }
        return .object([
            "contents": .array([.object(["uri": .string(uri), "mimeType": "application/yaml", "text": .string(source.text)])])
        ])
    }

    private static func response(id: JSON, result: JSON) -> JSON {
        .object(["jsonrpc": "2.0", "id": id, "result": result])
    }

    private static func response(id: JSON, error: MCPError) -> JSON {
        .object(["jsonrpc": "2.0", "id": id, "error": error.json])
    }
}
