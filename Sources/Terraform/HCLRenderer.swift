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
            return "{ "
                + m.entries.map { "\(key($0.key.stringValue ?? $0.key.canonical)) = \(expression($0.value))" }.joined(separator: ", ")
                + " }"
        case .reference(let r): return r
        case .bytes, .unknown: return "null"
        }
    }

    /// The lines of a new block body: attributes first (with `=` aligned, as terraform fmt does), then
    /// nested blocks, written for list-of-map values (the shape nested blocks lower to).
    static func body(_ m: ValueMap, indent: Int, newline: String) -> String {
        let pad = String(repeating: " ", count: indent)
        var attributes: [(String, Value)] = []
        var blocks: [(String, ValueMap)] = []
        for (k, v) in m.entries {
            let name = k.stringValue ?? k.canonical
            if case .list(let items) = v, !items.isEmpty, items.allSatisfy({ $0.mapValue != nil }) {
                blocks += items.compactMap { item in item.mapValue.map { (name, $0) } }
            } else {
                attributes.append((name, v))
            }
        }
        let width = attributes.map { key($0.0).count }.max() ?? 0
        var out = ""
        for (name, v) in attributes {
            let k = key(name)
            out += pad + k + String(repeating: " ", count: width - k.count) + " = " + expression(v) + newline
        }
        for (name, inner) in blocks {
            out += pad + name + " {" + newline + body(inner, indent: indent + 2, newline: newline) + pad + "}" + newline
        }
        return out
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
            case "{" where previous == "$" || previous == "%":
                out.removeLast()
                out += "\(previous!)\(previous!){"
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
