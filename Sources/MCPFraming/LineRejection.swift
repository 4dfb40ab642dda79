import Foundation
import PolicyModel

/// Why the MCP transport refused a line instead of passing it on; each refusal is answered with a JSON-RPC error.
package enum LineRejection: Error, Sendable, Hashable {
    /// The line held more bytes than the limit; its bytes were dropped as they arrived.
    case tooLong(bytes: Int, limit: Int)
    /// Arrays and objects were nested deeper than the limit.
    case tooDeep(limit: Int)
    /// The line is not JSON.
    case notJSON
    /// The line is JSON but not a JSON-RPC message; `id` is the message's id when it could be read.
    case invalidRequest(String, id: AnswerID)

    /// The id a transport-written answer carries.
    package enum AnswerID: Sendable, Hashable {
        /// The id is unknown: the line was dropped, unreadable or its id was not a string or an integer.
        case null
        /// An integer id.
        case number(Int)
        /// A string id.
        case string(String)
    }

    /// The JSON-RPC error code: -32700 for a line that is not JSON, -32600 otherwise.
    package var code: Int {
        switch self {
        case .notJSON: -32700
        case .tooLong, .tooDeep, .invalidRequest: -32600
        }
    }

    /// The error message of the answer.
    package var message: String {
        switch self {
        case .tooLong(let bytes, let limit): "message of \(bytes) bytes is over the \(Self.size(limit)) limit"
        case .tooDeep(let limit): "nesting deeper than \(limit) levels"
        case .notJSON: "Parse error"
        case .invalidRequest(let reason, _): "Invalid Request: \(reason)"
        }
    }

    /// The id the answer carries.
    package var id: AnswerID {
        switch self {
        case .invalidRequest(_, let id): id
        case .tooLong, .tooDeep, .notJSON: .null
        }
    }

    /// The JSON-RPC error response, one line without its newline:
    /// `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"…"}}`.
    package var answer: Data {
        let idText: String
        switch id {
        case .null: idText = "null"
        case .number(let n): idText = String(n)
        case .string(let s): idText = Self.quoted(s)
        }
        return Data(#"{"jsonrpc":"2.0","id":\#(idText),"error":{"code":\#(code),"message":\#(Self.quoted(message))}}"#.utf8)
    }

    /// A byte count as people read it: "4 MiB", "64 KiB" or "1000 bytes".
    package static func size(_ bytes: Int) -> String {
        if bytes > 0 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes > 0 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }

    /// `text` as a JSON string literal.
    package static func quoted(_ text: String) -> String { Value.quote(text) }
}
