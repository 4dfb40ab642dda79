import Foundation
import PolicyModel
import YAMLSyntax

/// Writes ``Value``s as YAML text in the block style people write values files in.
struct YAMLRenderer {
    /// Spaces per indentation level.
    var indentUnit: Int
    /// The line terminator.
    var newline: String

    private static let resolver = YAMLScalarResolver(yaml11Booleans: true)

    /// A scalar or empty collection on one line, or nil for a non-empty collection.
    func inline(_ value: Value, preferring style: YAMLScalarStyle? = nil) -> String? {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .uint(let u): return String(u)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(format: "%.1f", d) : "\(d)"
        case .string(let s): return scalar(s, preferring: style)
        case .list(let l): return l.isEmpty ? "[]" : nil
        case .map(let m): return m.count == 0 ? "{}" : nil
        case .bytes, .reference, .unknown: return Value.quote(value.canonical)
        }
    }

    /// A string scalar: in the preferred quoting when given, plain when that reads back as the same string, else double-quoted.
    func scalar(_ s: String, preferring style: YAMLScalarStyle?) -> String {
        switch style {
        case .singleQuoted?: return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .doubleQuoted?: return Value.quote(s)
        default: return YAMLRenderer.isPlainSafe(s) && !YAMLRenderer.looksLikeVersion(s) ? s : Value.quote(s)
        }
    }

    /// A version such as `7.4.2` is quoted: written plain, the next edit to `1.10` would turn it into a number.
    static func looksLikeVersion(_ s: String) -> Bool {
        guard let first = s.first, first.isNumber else { return false }
        return s.allSatisfy { $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" } && s.contains(".")
    }

    /// Whether `s` written plain reads back as the string `s`.
    static func isPlainSafe(_ s: String) -> Bool {
        guard let first = s.first, let last = s.last, !first.isWhitespace, !last.isWhitespace else { return false }
        if "-?:,[]{}#&*!|>'\"%@`".contains(first)
            && !(first == "-" && s.count > 1 && !s.dropFirst().first!.isWhitespace && resolver.resolvePlain(s) == .string(s))
        {
            return false
        }
        if s.contains(": ") || s.contains(" #") || s.hasSuffix(":") || s.contains("\n") || s.contains("\t") { return false }
        return resolver.resolvePlain(s) == .string(s)
    }

    /// `key: value` at `indent`, with nested collections on following lines.
    func entry(_ key: String, _ value: Value, indent: Int) -> String {
        let k = YAMLRenderer.isPlainSafe(key) ? key : Value.quote(key)
        if let line = inline(value) { return "\(k): \(line)" }
        return "\(k):" + block(value, indent: indent + indentUnit)
    }

    /// The lines of a non-empty collection at `indent`, each starting with a newline.
    func block(_ value: Value, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        var out = ""
        switch value {
        case .map(let m):
            for (k, v) in m.entries {
                out += newline + pad + entry(k.stringValue ?? k.canonical, v, indent: indent)
            }
        case .list(let items):
            for item in items {
                if let line = inline(item) {
                    out += newline + pad + "- " + line
                } else if case .map(let m) = item {
                    var first = true
                    for (k, v) in m.entries {
                        let lead = first ? pad + "- " : pad + "  "
                        out += newline + lead + entry(k.stringValue ?? k.canonical, v, indent: indent + 2)
                        first = false
                    }
                } else {
                    out += newline + pad + "-" + block(item, indent: indent + 2)
                }
            }
        default:
            out += " " + (inline(value) ?? "")
        }
        return out
    }

    /// A collection in flow style (`{a: 1}`, `[x]`), for insertion into flow collections.
    func flow(_ value: Value) -> String {
        switch value {
        case .map(let m):
            return "{" + m.entries.map { "\($0.key.stringValue ?? $0.key.canonical): \(flow($0.value))" }.joined(separator: ", ") + "}"
        case .list(let l): return "[" + l.map(flow).joined(separator: ", ") + "]"
        default: return inline(value) ?? "null"
        }
    }
}
