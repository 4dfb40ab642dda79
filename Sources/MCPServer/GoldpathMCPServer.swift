import Analysis
import Foundation
import JSONRPC

/// Settings of `goldpath mcp`.
public struct MCPServerOptions: Sendable {
    /// Workspace roots; file access is confined to them.
    public var roots: [String]
    /// The config file, if not `.goldpath.yaml` in the first root.
    public var configPath: String?
    /// Extra rule packs.
    public var extraPacks: [String]
    /// The largest result in tokens.
    public var tokenBudget: Int
    /// The largest `content` argument in bytes.
    public var maxContentBytes: Int
    /// The trust file (`--trust`), or nil for `GOLDPATH_TRUST` or the user's default.
    public var trustPath: String? = nil
    /// The longest message line on standard input, in bytes; a longer one is dropped unread and answered with an error.
    public var maxMessageBytes: Int

    /// Creates options.
    public init(
        roots: [String], configPath: String? = nil, extraPacks: [String] = [], tokenBudget: Int = 8_000, maxContentBytes: Int = 1_000_000,
        maxMessageBytes: Int = 4 << 20
    ) {
        self.roots = roots
        self.configPath = configPath
        self.extraPacks = extraPacks
        self.tokenBudget = tokenBudget
        self.maxContentBytes = maxContentBytes
        self.maxMessageBytes = maxMessageBytes
    }
}

/// goldpath's MCP endpoint: the same engine as the CLI and the editor, as tools for coding agents.
public enum GoldpathMCPServer {
    static let instructions = """
        goldpath knows the platform team's golden paths: the changes to \(Languages.fileKinds) that are approved without a human.
        Workflow: 1) before writing infrastructure code, call golden_paths for the language or resource type to learn the rules \
        and a compliant example; 2) call check on your draft (content + filename) or on files in the workspace; 3) call fix to get \
        verified rewrites for the findings that have one, and change the rest yourself; 4) if check says needs_review (no golden \
        path covers the change), call request_review with a justification: a human decides. You cannot approve, waive or \
        suppress findings yourself, and suppression comments you write do not count when the workspace requires approval.
        """

    /// The tools, in the order tools/list reports them.
    static let tools: [any GoldpathTool] = [GoldenPathsTool(), CheckTool(), FixTool(), ExplainRuleTool(), RequestReviewTool()]

    /// The dispatcher that answers the server's messages (tests send it messages directly).
    static func makeDispatcher(_ options: MCPServerOptions) -> MCPDispatcher {
        let sandbox = Sandbox(roots: options.roots.isEmpty ? [FileManager.default.currentDirectoryPath] : options.roots)
        let session = Session(
            configPath: options.configPath, extraPacks: options.extraPacks, trustPath: options.trustPath, root: sandbox.primary,
            confinement: sandbox.roots)
        return MCPDispatcher(
            context: ToolContext(
                sandbox: sandbox, session: session, tokenBudget: options.tokenBudget, maxContentBytes: options.maxContentBytes))
    }

    static func packURI(_ path: String) -> String {
        "goldpath://rulepacks/" + (path.hasPrefix("builtin:") ? String(path.dropFirst(8)) : (path as NSString).lastPathComponent)
    }

    /// Runs one tool call: validation, the tool, the audit record; failures are tool errors (`isError`), never protocol errors.
    static func call(_ name: String, _ arguments: [String: JSON]?, context: ToolContext) -> JSON {
        guard let tool = tools.first(where: { $0.name == name }) else {
            context.audit(AuditEvent(actor: "mcp", action: "mcp.\(name)", subject: "", outcome: "error: unknown tool"))
            return toolError("unknown tool '\(name)' (tools: \(tools.map(\.name).joined(separator: ", ")))")
        }
        let subject = arguments?["path"]?.string ?? arguments?["filename"]?.string ?? arguments?["id"]?.string ?? ""
        do throws(ToolError) {
            let args = try tool.schema.validate(arguments)
            let output = try tool.call(args, context: context)
            context.audit(AuditEvent(actor: "mcp", action: "mcp.\(name)", subject: subject, outcome: "ok: \(output.summary.prefix(200))"))
            return .object([
                "content": .array([.object(["type": "text", "text": .string(output.summary)])]),
                "structuredContent": output.structured, "isError": .bool(false),
            ])
        } catch {
            context.audit(AuditEvent(actor: "mcp", action: "mcp.\(name)", subject: subject, outcome: "error: \(error.message.prefix(200))"))
            return toolError(error.message)
        }
    }

    private static func toolError(_ message: String) -> JSON {
        .object(["content": .array([.object(["type": "text", "text": .string(message)])]), "isError": .bool(true)])
    }

    /// Serves MCP over standard input and output until the input ends and every request read was answered.
    public static func run(_ options: MCPServerOptions) async {
        let dispatcher = makeDispatcher(options)
        await BoundedStdioTransport(maxLineBytes: options.maxMessageBytes).serve(dispatcher.answer)
    }
}
