import Foundation
import JSONRPC
import Testing

@testable import MCPServer

/// The MCP server in-process: JSON-RPC messages handed to its dispatcher, answers read back.
@Suite struct MCPServerTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("examples").path

    /// A copy of the examples as the workspace root (the server writes its audit log there).
    func workspace() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("goldpath-mcp-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: MCPServerTests.examples, toPath: dir.path)
        return dir.path
    }

    /// The answer to one message line, parsed; nil when the server answers nothing.
    func answer(_ dispatcher: MCPDispatcher, _ line: String) throws -> JSON? {
        try dispatcher.answer(Data(line.utf8)).map { try JSONParser.parse($0) }
    }

    /// The text and `isError` of a tools/call answer.
    func callTool(_ dispatcher: MCPDispatcher, _ name: String, _ arguments: String) throws -> (text: String, isError: Bool?) {
        let reply = try answer(
            dispatcher, #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"\#(name)","arguments":\#(arguments)}}"#)
        let result = try #require(reply?["result"])
        let text = (result["content"]?.array ?? []).compactMap { $0["text"]?.string }.joined()
        return (text, result["isError"]?.bool)
    }

    /// A file names its module: the whole module is judged, as variables and companions live in sibling files.
    @Test func checkingAFileJudgesItsModule() throws {
        let dispatcher = GoldpathMCPServer.makeDispatcher(MCPServerOptions(roots: [try workspace()]))
        let (text, isError) = try callTool(dispatcher, "check", #"{"path":"terraform/main.tf"}"#)
        #expect(isError == false)
        #expect(
            text
                == "26 findings (6 errors, 8 warnings, 12 infos) in terraform/main.tf; 12 subjects, 1 first of a kind (request_review), 12 with a verified fix (call fix)."
        )
    }

    @Test func aSymlinkOutOfTheRootIsRefused() throws {
        let root = try workspace()
        try FileManager.default.createSymbolicLink(atPath: root + "/out", withDestinationPath: "/etc")
        let dispatcher = GoldpathMCPServer.makeDispatcher(MCPServerOptions(roots: [root]))
        let (text, isError) = try callTool(dispatcher, "check", #"{"path":"out/hostname"}"#)
        #expect(isError == true)
        #expect(text == "field 'path': out/hostname leads outside the workspace roots through a symbolic link")
    }

    @Test func unknownFieldsAndWrongTypesNameTheField() throws {
        let dispatcher = GoldpathMCPServer.makeDispatcher(MCPServerOptions(roots: [try workspace()]))
        let results = [
            try callTool(dispatcher, "explain_rule", #"{"id":7}"#),
            try callTool(dispatcher, "golden_paths", #"{"kind":"terraform"}"#),
        ]
        #expect(results.map(\.text) == ["field 'id' must be a string", "unknown field 'kind' (fields: language, subject_type, cursor)"])
        #expect(results.allSatisfy { $0.isError == true })
    }

    @Test func noToolCanApproveDenyOrWaive() throws {
        let dispatcher = GoldpathMCPServer.makeDispatcher(MCPServerOptions(roots: [try workspace()]))
        let reply = try answer(dispatcher, #"{"jsonrpc":"2.0","id":"t","method":"tools/list"}"#)
        let tools = try #require(reply?["result"]?["tools"]?.array)
        #expect(tools.compactMap { $0["name"]?.string } == ["golden_paths", "check", "fix", "explain_rule", "request_review"])
        #expect(tools.map { $0["annotations"]?["readOnlyHint"]?.bool } == [true, true, true, true, false])
        #expect(reply?["id"] == "t")
    }

    /// `initialize` negotiates the version once; a second one is refused, and its params are checked before that.
    @Test func initializeNegotiatesTheVersionOnce() throws {
        let dispatcher = GoldpathMCPServer.makeDispatcher(MCPServerOptions(roots: [try workspace()]))
        let first = try answer(
            dispatcher,
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
        )
        #expect(first?["result"]?["protocolVersion"] == "2025-06-18")
        #expect(first?["result"]?["serverInfo"]?["name"] == "goldpath")
        #expect(first?["result"]?["instructions"]?.string?.contains("request_review") == true)
        let again = try answer(dispatcher, #"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"1999-01-01"}}"#)
        #expect(again?["error"] == .object(["code": .number(-32600), "message": "Invalid Request: Server is already initialized"]))
        let fresh = GoldpathMCPServer.makeDispatcher(MCPServerOptions(roots: [try workspace()]))
        #expect(
            try answer(fresh, #"{"jsonrpc":"2.0","id":3,"method":"initialize","params":{}}"#)?["result"]?["protocolVersion"]
                == "2025-11-25")
    }

    /// Protocol params that are not what the method takes are -32602 Invalid params naming the member; an unknown
    /// method is -32601; notifications and responses get no answer; a batch gets one answer per request.
    @Test func malformedProtocolParamsAreInvalidParams() throws {
        let dispatcher = GoldpathMCPServer.makeDispatcher(MCPServerOptions(roots: [try workspace()]))
        func error(_ method: String, _ params: String?) throws -> String? {
            let member = params.map { #","params":\#($0)"# } ?? ""
            let reply = try answer(dispatcher, #"{"jsonrpc":"2.0","id":9,"method":"\#(method)"\#(member)}"#)
            guard let e = reply?["error"] else { return nil }
            return "\(e["code"]?.int ?? 0) \(e["message"]?.string ?? "")"
        }
        #expect(try error("tools/call", "5") == "-32602 Invalid params: params of tools/call must be an object")
        #expect(try error("tools/call", "null") == "-32602 Invalid params: params of tools/call must be an object, not null")
        #expect(try error("tools/call", nil) == "-32602 Invalid params: params of tools/call must be an object, not null")
        #expect(try error("tools/call", #"{"arguments":{}}"#) == "-32602 Invalid params: 'name' in the params of tools/call is missing")
        #expect(
            try error("tools/call", #"{"name":"check","arguments":5}"#)
                == "-32602 Invalid params: 'arguments' in the params of tools/call must be an object")
        #expect(try error("resources/read", #"{"url":"x"}"#) == "-32602 Invalid params: 'uri' in the params of resources/read is missing")
        #expect(try error("tools/list", #""x""#) == "-32602 Invalid params: params of tools/list must be an object")
        #expect(try error("tools/list", #"{"cursor":3}"#) == "-32602 Invalid params: 'cursor' in the params of tools/list must be a string")
        #expect(try error("initialize", "[]") == "-32602 Invalid params: params of initialize must be an object")
        #expect(
            try error("initialize", #"{"protocolVersion":7}"#)
                == "-32602 Invalid params: 'protocolVersion' in the params of initialize must be a string")
        #expect(
            try error("initialize", #"{"clientInfo":{"name":"t"}}"#)
                == "-32602 Invalid params: 'clientInfo.version' in the params of initialize is missing")
        #expect(try error("no/such/method", nil) == "-32601 Method not found: Unknown method: no/such/method")
        #expect(try error("tools/list", nil) == nil)
        #expect(try error("ping", nil) == nil)
        #expect(try answer(dispatcher, #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#) == nil)
        #expect(try answer(dispatcher, #"{"jsonrpc":"2.0","id":4,"result":{}}"#) == nil)
        let batch = try answer(dispatcher, #"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"x"},7]"#)
        #expect(
            batch
                == .array([
                    .object(["jsonrpc": "2.0", "id": .number(1), "result": .object([:])]),
                    .object([
                        "jsonrpc": "2.0", "id": .null,
                        "error": .object(["code": .number(-32600), "message": "Invalid Request: Invalid batch item format"]),
                    ]),
                ]))
    }
}
