import Analysis
import Foundation
import MCP

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

    /// Builds the server with every handler registered (tests connect it to an in-memory transport).
    public static func makeServer(_ options: MCPServerOptions) async -> Server {
        await makeServer(options, inFlight: InFlight())
    }

    static func makeServer(_ options: MCPServerOptions, inFlight: InFlight) async -> Server {
        let sandbox = Sandbox(roots: options.roots.isEmpty ? [FileManager.default.currentDirectoryPath] : options.roots)
        let session = Session(
            configPath: options.configPath, extraPacks: options.extraPacks, trustPath: options.trustPath, root: sandbox.primary,
            confinement: sandbox.roots)
        let context = ToolContext(
            sandbox: sandbox, session: session, tokenBudget: options.tokenBudget, maxContentBytes: options.maxContentBytes)
        let server = Server(
            name: "goldpath", version: "0.1.0", instructions: instructions,
            capabilities: .init(resources: .init(subscribe: false, listChanged: false), tools: .init(listChanged: false)))
        // Handlers take their params as sent and decode them themselves (CheckedParams): malformed params
        // are answered with -32602 Invalid params, where the SDK's own decoding answers -32603 Internal error.
        await server.withCheckedMethodHandler(ListTools.self) { _ in
            .init(tools: tools.map(\.definition))
        }
        await server.withCheckedMethodHandler(CallTool.self) { params in
            await inFlight.begin()
            let result = call(params.name, params.arguments, context: context)
            await inFlight.end()
            return result
        }
        await server.withCheckedMethodHandler(ListResources.self) { _ in
            let ws = context.workspace()
            return .init(
                resources: ws.packSources.map { source in
                    Resource(
                        name: source.path.replacingOccurrences(of: "builtin:", with: ""), uri: packURI(source.path),
                        description: "goldpath rule pack (read-only)", mimeType: "application/yaml")
                })
        }
        await server.withCheckedMethodHandler(ReadResource.self) { params in
            let ws = context.workspace()
            guard let source = ws.packSources.first(where: { packURI($0.path) == params.uri }) else {
                throw MCPError.invalidParams("no rule pack at \(params.uri)")
            }
            return .init(contents: [.text(source.text, uri: params.uri, mimeType: "application/yaml")])
        }
        return server
    }

    static func packURI(_ path: String) -> String {
        "goldpath://rulepacks/" + (path.hasPrefix("builtin:") ? String(path.dropFirst(8)) : (path as NSString).lastPathComponent)
    }

    /// Runs one tool call: validation, the tool, the audit record; failures are tool errors, never protocol errors.
    static func call(_ name: String, _ arguments: [String: MCP.Value]?, context: ToolContext) -> CallTool.Result {
        guard let tool = tools.first(where: { $0.name == name }) else {
            context.audit(AuditEvent(actor: "mcp", action: "mcp.\(name)", subject: "", outcome: "error: unknown tool"))
            return .init(
                content: [
                    .text(
                        text: "unknown tool '\(name)' (tools: \(tools.map(\.name).joined(separator: ", ")))", annotations: nil, _meta: nil)
                ], isError: true)
        }
        let subject = arguments?["path"]?.stringValue ?? arguments?["filename"]?.stringValue ?? arguments?["id"]?.stringValue ?? ""
        do throws(ToolError) {
            let args = try tool.schema.validate(arguments)
            let output = try tool.call(args, context: context)
            context.audit(AuditEvent(actor: "mcp", action: "mcp.\(name)", subject: subject, outcome: "ok: \(output.summary.prefix(200))"))
            return .init(
                content: [.text(text: output.summary, annotations: nil, _meta: nil)],
                structuredContent: Optional<MCP.Value>.some(output.structured), isError: false)
        } catch {
            context.audit(AuditEvent(actor: "mcp", action: "mcp.\(name)", subject: subject, outcome: "error: \(error.message.prefix(200))"))
            return .init(content: [.text(text: error.message, annotations: nil, _meta: nil)], isError: true)
        }
    }

    /// Serves MCP over standard input and output until the client disconnects; each input line is bounded
    /// by ``BoundedStdioTransport`` before the SDK decodes it.
    public static func run(_ options: MCPServerOptions) async throws {
        let inFlight = InFlight()
        let server = await makeServer(options, inFlight: inFlight)
        try await server.start(transport: BoundedStdioTransport(maxLineBytes: options.maxMessageBytes))
        await server.waitUntilCompleted()
        // The SDK answers each request in its own task and its receive loop ends at stdin EOF, so
        // answers still being computed would be lost if the process exited now: let them finish, then
        // give the SDK a moment to write the last answers (it offers no way to wait for that).
        await inFlight.waitUntilIdle(timeout: .seconds(60))
        try? await Task.sleep(for: .milliseconds(100))
    }
}

/// Counts tool calls being answered, so the server does not exit in the middle of one; waiting is woken
/// by the last call's end, not by polling.
actor InFlight {
    private var count = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func begin() { count += 1 }

    func end() {
        count -= 1
        if count == 0 { releaseWaiters() }
    }

    /// Returns when no call is being answered, or after `timeout`.
    func waitUntilIdle(timeout: Duration) async {
        guard count > 0 else { return }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.releaseWaiters()
        }
        await withCheckedContinuation { waiters.append($0) }
        timer.cancel()
    }

    private func releaseWaiters() {
        let released = waiters
        waiters = []
        for waiter in released { waiter.resume() }
    }
}
