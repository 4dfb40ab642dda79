import Foundation
import PolicyModel

/// Conversions between HCL literals and ``Value``.
enum TerraformValue {
    /// A number literal as int when integral, else double.
    static func number(_ text: String) -> Value {
        if let i = Int64(text) { return .int(i) }
        if let d = Double(text) {
            if d == d.rounded(), abs(d) < 9e15 { return .int(Int64(d)) }
            return .double(d)
        }
        return .unknown("invalid number \(text)")
    }

    /// The string form Terraform gives a value in a template, or nil when it has none.
    static func string(_ v: Value) -> String? {
        switch v {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .uint(let u): return String(u)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    /// The first unknown value among `values`.
    static func firstUnknown(_ values: [Value]) -> Value? { values.first { $0.isUnknown || isReference($0) } }

    static func isReference(_ v: Value) -> Bool {
        if case .reference = v { return true }
        return false
    }

    /// Decodes JSON text (for jsondecode), keeping booleans, integers and doubles apart.
    static func decodeJSON(_ text: String) -> Value? { Value.decodeJSON(text) }

    /// Converts a known value to a JSON object (for jsonencode), or nil if it holds unknowns.
    static func toJSON(_ v: Value) -> Any? {
        switch v {
        case .null: return NSNull()
        case .bool(let b): return b
        case .int(let i): return i
        case .uint(let u): return u
        case .double(let d): return d
        case .string(let s): return s
        case .list(let l):
            var out: [Any] = []
            for e in l {
                guard let j = toJSON(e) else { return nil }
                out.append(j)
            }
            return out
        case .map(let m):
            var out: [String: Any] = [:]
            for (k, e) in m.entries {
                guard let key = string(k), let j = toJSON(e) else { return nil }
                out[key] = j
            }
            return out
        default: return nil
        }
    }
}
