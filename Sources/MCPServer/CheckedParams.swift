import Foundation
import MCP

/// A protocol method registered with its params as plain JSON, so goldpath decodes them itself.
///
/// The SDK decodes a typed method's params before the handler runs and answers a decoding failure
/// with -32603 Internal error; JSON-RPC asks for -32602 Invalid params, which ``decodeParams(_:of:)``
/// throws.
enum CheckedParams<M: Method>: Method {
    /// The params as sent, any JSON.
    typealias Parameters = Value
    /// The result of the wrapped method.
    typealias Result = M.Result
    /// The name of the wrapped method.
    static var name: String { M.name }
}

extension Server {
    /// Registers `handler` for method `M`; params that do not decode as `M.Parameters` are answered with
    /// -32602 Invalid params naming the problem, and the handler is not called.
    @discardableResult
    func withCheckedMethodHandler<M: Method>(
        _ type: M.Type, handler: @escaping @Sendable (M.Parameters) async throws -> M.Result
    ) -> Self {
        withMethodHandler(CheckedParams<M>.self) { params in
            try await handler(decodeParams(params, of: M.self))
        }
    }
}

/// `params` decoded as the params of method `M`; absent or null params are the empty params of a
/// method whose params are optional.
func decodeParams<M: Method>(_ params: Value, of method: M.Type) throws(MCPError) -> M.Parameters {
    if case .null = params, let empty = (M.Parameters.self as? any NotRequired.Type)?.init() as? M.Parameters {
        return empty
    }
    do {
        return try JSONDecoder().decode(M.Parameters.self, from: JSONEncoder().encode(params))
    } catch let error as DecodingError {
        throw MCPError.invalidParams(ParamsProblem(error).message(method: M.name))
    } catch {
        throw MCPError.invalidParams("params of \(M.name): \(error.localizedDescription)")
    }
}

/// What is wrong with a method's params, read from the decoding error.
struct ParamsProblem: Sendable, Hashable {
    /// The member path of the problem ("arguments", "_meta.progressToken"); empty for the params themselves.
    let path: String
    /// What is wrong there ("must be an object", "is missing").
    let problem: String

    /// Reads the path and the problem from `error`.
    init(_ error: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.path = path(context.codingPath + [key])
            problem = "is missing"
        case .typeMismatch(let type, let context):
            self.path = path(context.codingPath)
            problem = "must be \(Self.kind(type))"
        case .valueNotFound(let type, let context):
            self.path = path(context.codingPath)
            problem = "must be \(Self.kind(type)), not null"
        case .dataCorrupted(let context):
            self.path = path(context.codingPath)
            problem = "is invalid (\(context.debugDescription))"
        @unknown default:
            self.path = ""
            problem = "are invalid"
        }
    }

    /// The sentence for method `method`: "params of tools/call must be an object", "'name' in the params of tools/call is missing".
    func message(method: String) -> String {
        path.isEmpty ? "params of \(method) \(problem)" : "'\(path)' in the params of \(method) \(problem)"
    }

    /// The JSON kind a Swift type decodes from: "an object", "a string".
    static func kind(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Dictionary") || name.hasPrefix("KeyedDecodingContainer") { return "an object" }
        if name.hasPrefix("Array") || name.hasPrefix("UnkeyedDecodingContainer") { return "an array" }
        switch name {
        case "String": return "a string"
        case "Bool": return "a boolean"
        case "Int", "Double", "Float": return "a number"
        default: return "a \(name)"
        }
    }
}
