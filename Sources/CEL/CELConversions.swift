import Foundation
import PolicyModel
import TextCore

/// CEL's type conversion functions `int() uint() double() string() bool() bytes()`.
enum CELConversions {
    static func convert(_ v: Value, to type: String, range: SourceRange) throws(CELEvalError) -> Value {
        func overload() -> CELEvalError { CELEvalError(.noSuchOverload, "no such overload: \(type)(\(v.typeName))", at: range) }
        func rangeError() -> CELEvalError { CELEvalError(.overflow, "range error converting \(v.canonical) to \(type)", at: range) }
        switch type {
        case "int":
            switch v {
            case .int: return v
            case .uint(let u):
                guard u <= UInt64(Int64.max) else { throw rangeError() }
                return .int(Int64(u))
            case .double(let d):
                guard d.isFinite, d > -9_223_372_036_854_775_808.0, d < 9_223_372_036_854_775_807.0 else { throw rangeError() }
                return .int(Int64(d.rounded(.towardZero)))
            case .string(let s):
                guard let i = Int64(s) else { throw CELEvalError(.invalidArgument, "cannot convert \(Value.quote(s)) to int", at: range) }
                return .int(i)
            default: throw overload()
            }
        case "uint":
            switch v {
            case .uint: return v
            case .int(let i):
                guard i >= 0 else { throw rangeError() }
                return .uint(UInt64(i))
            case .double(let d):
                guard d.isFinite, d > -1, d < 18_446_744_073_709_551_616.0 else { throw rangeError() }
                return .uint(UInt64(d.rounded(.towardZero)))
            case .string(let s):
                guard let u = UInt64(s) else { throw CELEvalError(.invalidArgument, "cannot convert \(Value.quote(s)) to uint", at: range) }
                return .uint(u)
            default: throw overload()
            }
        case "double":
            switch v {
            case .double: return v
            case .int(let i): return .double(Double(i))
            case .uint(let u): return .double(Double(u))
            case .string(let s):
                guard let d = Double(s) ?? specialDouble(s) else {
                    throw CELEvalError(.invalidArgument, "cannot convert \(Value.quote(s)) to double", at: range)
                }
                return .double(d)
            default: throw overload()
            }
        case "string":
            switch v {
            case .string: return v
            case .int(let i): return .string(String(i))
            case .uint(let u): return .string(String(u))
            case .double(let d): return .string(formatDouble(d))
            case .bool(let b): return .string(b ? "true" : "false")
            case .bytes(let b):
                guard let s = String(validating: b, as: UTF8.self) else {
                    throw CELEvalError(.invalidArgument, "bytes are not valid UTF-8", at: range)
                }
                return .string(s)
            default: throw overload()
            }
        case "bool":
            switch v {
            case .bool: return v
            case .string(let s):
                switch s {
                case "1", "t", "true", "TRUE", "True": return .bool(true)
                case "0", "f", "false", "FALSE", "False": return .bool(false)
                default: throw CELEvalError(.invalidArgument, "cannot convert \(Value.quote(s)) to bool", at: range)
                }
            default: throw overload()
            }
        case "bytes":
            switch v {
            case .bytes: return v
            case .string(let s): return .bytes(Array(s.utf8))
            default: throw overload()
            }
        default:
            throw overload()
        }
    }

    private static func specialDouble(_ s: String) -> Double? {
        switch s {
        case "Infinity", "inf", "+inf": return .infinity
        case "-Infinity", "-inf": return -.infinity
        case "NaN", "nan": return .nan
        default: return nil
        }
    }

    /// Formats a double the way CEL's string() does: shortest round-trip, no trailing `.0`.
    static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "+Inf" : "-Inf" }
        if d == d.rounded(), abs(d) < 1e21 {
            return String(format: "%.0f", d)
        }
        return "\(d)"
    }
}
