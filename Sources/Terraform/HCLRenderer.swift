import PolicyModel

/// Writes values as HCL expressions.
enum HCLRenderer {
    /// An expression for `value` on one line.
    static func expression(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .uint(let u): return String(u)
        case .double(let d): return String(d)
        case .string(let s): return quoted(s)
        case .list(let l): return "[" + l.map(expression).joined(separator: ", ") + "]"
        case .map(let m):
            if m.count == 0 { return "{}" }
            return "{ " + m.entries.map { "\(key($0.key.stringValue ?? $0.key.canonical)) = \(expression($0.value))" }.joined(separator: ", ") + " }"
        case .reference(let r): return r
        case .bytes, .unknown: return "null"
        }
    }

    /// A quoted template literal with escapes, and `${`/`%{` escaped so nothing is interpolated.
    static func quoted(_ s: String) -> String {
        var out = "\""
        var previous: Character?
        for c in s {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "{" where previous == "$" || previous == "%": out.removeLast(); out += "\(previous!)\(previous!){"
            default: out.append(c)
            }
            previous = c
        }
        return out + "\""
    }

    /// An object key: bare when it is an identifier, else quoted.
    static func key(_ k: String) -> String {
        guard let first = k.unicodeScalars.first, first.properties.isIDStart || first == "_",
            k.unicodeScalars.allSatisfy({ $0.properties.isIDContinue || $0 == "-" })
        else { return quoted(k) }
        return k
    }
}
