import JSONRPC

/// The MCP protocol versions goldpath speaks, newest first.
enum MCPProtocol {
    /// Every version goldpath answers `initialize` with.
    static let versions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]

    /// The version an `initialize` asking for `requested` gets: that one when goldpath speaks it, else the newest.
    static func negotiate(_ requested: String?) -> String {
        requested.flatMap { versions.contains($0) ? $0 : nil } ?? versions[0]
    }
}

/// A JSON-RPC error a request is answered with.
struct MCPError: Error, Sendable, Equatable {
    /// The JSON-RPC error code.
    let code: Int
    /// The message.
    let message: String

    /// -32602: the params are not what the method takes.
    static func invalidParams(_ detail: String) -> MCPError { MCPError(code: -32602, message: "Invalid params: \(detail)") }
    /// -32601: no such method.
    static func methodNotFound(_ method: String) -> MCPError {
        MCPError(code: -32601, message: "Method not found: Unknown method: \(method)")
    }
    /// -32600: a request that is not allowed now.
    static func invalidRequest(_ detail: String) -> MCPError { MCPError(code: -32600, message: "Invalid Request: \(detail)") }

    /// The `error` member of the answer.
    var json: JSON { .object(["code": .number(Double(code)), "message": .string(message)]) }
}
