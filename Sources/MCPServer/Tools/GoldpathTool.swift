import JSONRPC

/// One MCP tool: its definition and its handler. Every tool is read-only for the workspace:
/// none approves, denies, waives or edits rule packs.
protocol GoldpathTool: Sendable {
    /// The tool's name.
    var name: String { get }
    /// What an agent reads to decide when to call it.
    var description: String { get }
    /// The input fields.
    var schema: ToolSchema { get }
    /// Whether the tool changes nothing (all but request_review).
    var readOnly: Bool { get }
    /// Runs the tool on validated arguments.
    func call(_ args: ToolArguments, context: ToolContext) throws(ToolError) -> ToolOutput
}

extension GoldpathTool {
    /// The MCP definition for tools/list.
    var definition: JSON {
        .object([
            "name": .string(name), "description": .string(description), "inputSchema": schema.json,
            "annotations": .object([
                "readOnlyHint": .bool(readOnly), "destructiveHint": .bool(false), "idempotentHint": .bool(readOnly),
                "openWorldHint": .bool(false),
            ]),
        ])
    }
}

/// The `cursor` field every paged tool takes.
let cursorField = ToolSchema.Field(
    name: "cursor", type: .string, description: "Continue a long result: the next_cursor value of the previous call.")
