import JSONRPC

/// A request's `params`, read member by member; anything that is not what the method takes is -32602 Invalid
/// params naming the member ("'name' in the params of tools/call is missing").
struct MCPParams {
    /// The method the params were sent with.
    let method: String
    /// The members.
    let members: [String: JSON]

    /// Reads `params` as sent (nil when the request has none). A method whose params are all optional
    /// (`optional`) takes absent or null params as empty ones.
    init(_ params: JSON?, of method: String, optional: Bool) throws(MCPError) {
        self.method = method
        switch params {
        case .object(let members)?:
            self.members = members
        case nil, .null?:
            guard optional else { throw MCPError.invalidParams("params of \(method) must be an object, not null") }
            members = [:]
        case .some:
            throw MCPError.invalidParams("params of \(method) must be an object")
        }
    }

    /// The string member `key`.
    func string(_ key: String) throws(MCPError) -> String {
        guard let value = members[key] else { throw problem(key, "is missing") }
        guard case .string(let s) = value else { throw problem(key, MCPParams.mustBe("a string", value)) }
        return s
    }

    /// The string member `key`, nil when absent or null.
    func optionalString(_ key: String) throws(MCPError) -> String? {
        guard let value = members[key], value != .null else { return nil }
        guard case .string(let s) = value else { throw problem(key, MCPParams.mustBe("a string", value)) }
        return s
    }

    /// The object member `key`, nil when absent or null.
    func optionalObject(_ key: String) throws(MCPError) -> [String: JSON]? {
        guard let value = members[key], value != .null else { return nil }
        guard case .object(let o) = value else { throw problem(key, MCPParams.mustBe("an object", value)) }
        return o
    }

    /// The params of the object member `key` (absent or null: empty), for members nested in it.
    func nested(_ key: String) throws(MCPError) -> MCPParams {
        MCPParams(method: method, members: try optionalObject(key) ?? [:], prefix: key + ".")
    }

    private var prefix = ""

    private init(method: String, members: [String: JSON], prefix: String) {
        self.method = method
        self.members = members
        self.prefix = prefix
    }

    private func problem(_ key: String, _ what: String) -> MCPError {
        MCPError.invalidParams("'\(prefix)\(key)' in the params of \(method) \(what)")
    }

    private static func mustBe(_ kind: String, _ value: JSON) -> String {
        value == .null ? "must be \(kind), not null" : "must be \(kind)"
    }
}
