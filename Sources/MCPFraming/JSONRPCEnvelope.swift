import Foundation

/// The members of a JSON-RPC message object that tell what kind of message it is, read without decoding
/// `params`, `result` or `error`.
package struct JSONRPCEnvelope: Decodable {
    /// `jsonrpc`, when it is a string.
    package let version: String?
    /// Whether the object has a non-null `id`.
    package let hasID: Bool
    /// `id`, when it is a string or an integer.
    package let id: LineRejection.AnswerID?
    /// Whether the object has a `method` member.
    package let hasMethod: Bool
    /// `method`, when it is a string.
    package let method: String?
    /// Whether the object has a `result` or an `error` member.
    package let isResponse: Bool

    private enum CodingKeys: String, CodingKey {
        case jsonrpc, id, method, result, error
    }

    /// Reads the members; a member of an unexpected type is recorded as absent or invalid, never thrown.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try? container.decodeIfPresent(String.self, forKey: .jsonrpc)
        hasID = container.contains(.id) && (try? container.decodeNil(forKey: .id)) == false
        // A string, else an integer: the ids JSON-RPC allows (a fractional number is not read as an id).
        if let string = try? container.decode(String.self, forKey: .id) {
            id = .string(string)
        } else if let number = try? container.decode(Int.self, forKey: .id) {
            id = .number(number)
        } else {
            id = nil
        }
        hasMethod = container.contains(.method)
        method = try? container.decodeIfPresent(String.self, forKey: .method)
        isResponse = container.contains(.result) || container.contains(.error)
    }

    /// Why the object is not a JSON-RPC 2.0 request, notification or response, or nil when it is one.
    package var problem: LineRejection? {
        guard !hasID || id != nil else { return .invalidRequest("id must be a string or an integer", id: .null) }
        let answerID = id ?? .null
        guard version == "2.0" else { return .invalidRequest(#"jsonrpc must be "2.0""#, id: answerID) }
        if hasMethod {
            return method == nil ? .invalidRequest("method must be a string", id: answerID) : nil
        }
        guard hasID && isResponse else {
            return .invalidRequest("neither a request (method) nor a response (id with result or error)", id: answerID)
        }
        return nil
    }
}
