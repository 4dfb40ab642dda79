import Foundation

/// JSON-RPC 2.0 error codes, including the LSP ones.
public enum ErrorCode {
    public static let parseError = -32700
    public static let invalidRequest = -32600
    public static let methodNotFound = -32601
    public static let invalidParams = -32602
    public static let internalError = -32603
    public static let serverNotInitialized = -32002
    public static let requestCancelled = -32800
    public static let contentModified = -32801
}

/// A JSON-RPC error response's payload.
public struct ResponseError: Error, Sendable, Hashable {
    public var code: Int
    public var message: String

    public init(_ code: Int, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// One incoming or outgoing message.
public enum Message: Sendable, Hashable {
    /// A request: id, method, params.
    case request(id: JSON, method: String, params: JSON?)
    case notification(method: String, params: JSON?)
    case response(id: JSON, result: JSON)
    case errorResponse(id: JSON, error: ResponseError)

    /// Parses a message body; a body that is not a JSON-RPC message is a `ResponseError` to send back.
    public static func parse(_ data: Data) -> Result<Message, ResponseError> {
        guard let json = try? JSONParser.parse(data) else {
            return .failure(ResponseError(ErrorCode.parseError, "the message is not valid JSON"))
        }
        guard case .object(let o) = json, o["jsonrpc"]?.string == "2.0" else {
            return .failure(ResponseError(ErrorCode.invalidRequest, "not a JSON-RPC 2.0 message"))
        }
        if let method = o["method"]?.string {
            if let id = o["id"] {
                guard id.string != nil || id.int != nil else { return .failure(ResponseError(ErrorCode.invalidRequest, "invalid id")) }
                return .success(.request(id: id, method: method, params: o["params"]))
            }
            return .success(.notification(method: method, params: o["params"]))
        }
        if let id = o["id"] {
            if let e = o["error"], let code = e["code"]?.int {
                return .success(.errorResponse(id: id, error: ResponseError(code, e["message"]?.string ?? "")))
            }
            return .success(.response(id: id, result: o["result"] ?? .null))
        }
        return .failure(ResponseError(ErrorCode.invalidRequest, "a message needs a method or an id"))
    }

    /// The message as JSON.
    public var json: JSON {
        switch self {
        case .request(let id, let method, let params):
            var o: [String: JSON] = ["jsonrpc": "2.0", "id": id, "method": .string(method)]
            if let params { o["params"] = params }
            return .object(o)
        case .notification(let method, let params):
            var o: [String: JSON] = ["jsonrpc": "2.0", "method": .string(method)]
            if let params { o["params"] = params }
            return .object(o)
        case .response(let id, let result):
            return .object(["jsonrpc": "2.0", "id": id, "result": result])
        case .errorResponse(let id, let error):
            return .object([
                "jsonrpc": "2.0", "id": id, "error": .object(["code": .number(Double(error.code)), "message": .string(error.message)]),
            ])
        }
    }
}

extension JSON: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}
