import Foundation
import MCP
import MCPFraming

/// The params check for `initialize`, whose handler the SDK registers itself when the server starts:
/// goldpath cannot give it a ``CheckedParams`` handler, and the SDK answers params that do not decode
/// with -32603 Internal error, so the transport answers them with -32602 Invalid params first.
enum InitializeParams {
    /// The `params` member of a message, as sent.
    private struct Message: Decodable {
        let params: Value?
    }

    /// Why the params of `line` do not decode, when it is an `initialize` request, or nil.
    static func problem(_ envelope: JSONRPCEnvelope, in line: Data) -> LineRejection? {
        guard envelope.method == Initialize.name, let id = envelope.id,
            let message = try? JSONDecoder().decode(Message.self, from: line)
        else { return nil }
        do {
            _ = try decodeParams(message.params ?? .null, of: Initialize.self)
            return nil
        } catch {
            guard case .invalidParams(let detail) = error else { return nil }
            return .invalidParams(detail ?? "params of \(Initialize.name) are invalid", id: id)
        }
    }
}

extension MCPLineFramer {
    /// The MCP server's framer: the given limits, and `initialize` params checked with the SDK's types.
    static func forMCP(maxLineBytes: Int = defaultMaxLineBytes, maxNesting: Int = defaultMaxNesting) -> MCPLineFramer {
        MCPLineFramer(maxLineBytes: maxLineBytes, maxNesting: maxNesting, paramsCheck: { InitializeParams.problem($0, in: $1) })
    }
}
