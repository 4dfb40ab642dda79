import Foundation
import MCP
import MCPServer
import Testing

/// The MCP server in-process, through the SDK's in-memory transport and client.
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

    func withClient<T: Sendable>(root: String, budget: Int = 8_000, _ body: @Sendable (Client) async throws -> T) async throws -> T {
        let server = await GoldpathMCPServer.makeServer(MCPServerOptions(roots: [root], tokenBudget: budget))
        let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
        try await server.start(transport: serverTransport)
        let client = Client(name: "test", version: "1")
        _ = try await client.connect(transport: clientTransport)
        let result = try await body(client)
        await client.disconnect()
        await server.stop()
        return result
    }

    func text(_ content: [Tool.Content]) -> String {
        content.compactMap { if case .text(let t, _, _) = $0 { return t } else { return nil } }.joined()
    }

    /// A file names its module: the whole module is judged, as variables and companions live in sibling files.
    @Test func checkingAFileJudgesItsModule() async throws {
        let root = try workspace()
        let (content, isError) = try await withClient(root: root) { client in
            try await client.callTool(name: "check", arguments: ["path": "terraform/main.tf"])
        }
        #expect(isError == false)
        #expect(
            text(content)
                == "26 findings (6 errors, 8 warnings, 12 infos) in terraform/main.tf; 12 subjects, 1 first of a kind (request_review), 12 with a verified fix (call fix)."
        )
    }

    @Test func aSymlinkOutOfTheRootIsRefused() async throws {
        let root = try workspace()
        try FileManager.default.createSymbolicLink(atPath: root + "/out", withDestinationPath: "/etc")
        let (content, isError) = try await withClient(root: root) { client in
            try await client.callTool(name: "check", arguments: ["path": "out/hostname"])
        }
        #expect(isError == true)
        #expect(text(content) == "field 'path': out/hostname leads outside the workspace roots through a symbolic link")
    }

    @Test func unknownFieldsAndWrongTypesNameTheField() async throws {
        let root = try workspace()
        let results = try await withClient(root: root) { client in
            [
                try await client.callTool(name: "explain_rule", arguments: ["id": 7]),
                try await client.callTool(name: "golden_paths", arguments: ["kind": "terraform"]),
            ]
        }
        #expect(
            results.map { text($0.content) } == [
                "field 'id' must be a string",
                "unknown field 'kind' (fields: language, subject_type, cursor)",
            ])
        #expect(results.allSatisfy { $0.isError == true })
    }

    @Test func noToolCanApproveDenyOrWaive() async throws {
        let root = try workspace()
        let tools = try await withClient(root: root) { client in try await client.listTools().tools.map(\.name) }
        #expect(tools == ["golden_paths", "check", "fix", "explain_rule", "request_review"])
    }
}
