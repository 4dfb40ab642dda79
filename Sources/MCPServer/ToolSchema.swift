import JSONRPC

/// The input schema of a tool: its fields, and validation of arguments against them.
struct ToolSchema: Sendable {
    enum FieldType: String, Sendable { case string, boolean, integer }

    struct Field: Sendable {
        var name: String
        var type: FieldType
        var description: String
        var required = false
        var enumValues: [String]? = nil
    }

    var fields: [Field]

    /// The JSON Schema sent in `tools/list`.
    var json: JSON {
        var properties: [String: JSON] = [:]
        for f in fields {
            var p: [String: JSON] = ["type": .string(f.type.rawValue), "description": .string(f.description)]
            if let e = f.enumValues { p["enum"] = .array(e.map { .string($0) }) }
            properties[f.name] = .object(p)
        }
        return .object([
            "type": "object",
            "properties": .object(properties),
            "required": .array(fields.filter(\.required).map { .string($0.name) }),
            "additionalProperties": .bool(false),
        ])
    }

    /// Checks arguments: unknown fields, missing required ones and wrong types are errors naming the field.
    func validate(_ arguments: [String: JSON]?) throws(ToolError) -> ToolArguments {
        let args = arguments ?? [:]
        for key in args.keys.sorted() where !fields.contains(where: { $0.name == key }) {
            throw ToolError("unknown field '\(key)' (fields: \(fields.map(\.name).joined(separator: ", ")))")
        }
        for f in fields {
            guard let v = args[f.name], v != .null else {
                if f.required { throw ToolError("missing required field '\(f.name)': \(f.description)") }
                continue
            }
            switch f.type {
            case .string:
                guard let s = v.string else { throw ToolError("field '\(f.name)' must be a string") }
                if let e = f.enumValues, !e.contains(s) { throw ToolError("field '\(f.name)' must be one of \(e.joined(separator: ", "))") }
            case .boolean:
                guard v.bool != nil else { throw ToolError("field '\(f.name)' must be true or false") }
            case .integer:
                guard v.int != nil else { throw ToolError("field '\(f.name)' must be an integer") }
            }
        }
        return ToolArguments(values: args)
    }
}

/// Validated tool arguments.
struct ToolArguments: Sendable {
    let values: [String: JSON]

    func string(_ name: String) -> String? { values[name]?.string }
    func bool(_ name: String) -> Bool? { values[name]?.bool }
    func int(_ name: String) -> Int? { values[name]?.int }
}

/// A tool failure reported to the agent as a tool result with `isError: true`.
struct ToolError: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}
