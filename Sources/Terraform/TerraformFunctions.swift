import Foundation
import PolicyModel

/// Terraform's pure functions that a static check can evaluate on known values.
///
/// An unknown argument makes the result unknown; a function that is not
/// listed is unknown ("depends on function f()").
enum TerraformFunctions {
    static func call(_ name: String, _ args: [Value]) -> Value {
        if let u = TerraformValue.firstUnknown(args) {
            if case .reference(let r) = u { return .unknown("depends on \(r)") }
            return u
        }
        func str(_ i: Int) -> String? { i < args.count ? TerraformValue.string(args[i]) : nil }
        switch (name, args.count) {
        case ("tolist", 1), ("toset", 1):
            if case .list(let l) = args[0] { return name == "toset" ? .list(distinct(l)) : args[0] }
            return .unknown("\(name)() of \(args[0].typeName)")
        case ("tomap", 1): return args[0].mapValue != nil ? args[0] : .unknown("tomap() of \(args[0].typeName)")
        case ("tostring", 1): return str(0).map { .string($0) } ?? .unknown("tostring() of \(args[0].typeName)")
        case ("tonumber", 1):
            if case .string(let s) = args[0] { return TerraformValue.number(s) }
            return args[0]
        case ("tobool", 1):
            if case .string(let s) = args[0] { return s == "true" ? .bool(true) : s == "false" ? .bool(false) : .unknown("tobool(\(s))") }
            return args[0]
        case ("merge", _):
            var out = ValueMap()
            for a in args {
                if a == .null { continue }
                guard case .map(let m) = a else { return .unknown("merge() of \(a.typeName)") }
                for (k, v) in m.entries { out[k] = v }
            }
            return .map(out)
        case ("concat", _):
            var out: [Value] = []
            for a in args {
                guard case .list(let l) = a else { return .unknown("concat() of \(a.typeName)") }
                out += l
            }
            return .list(out)
        case ("lookup", 2), ("lookup", 3):
            guard case .map(let m) = args[0], let k = str(1) else { return .unknown("lookup() of \(args[0].typeName)") }
            return m[k] ?? (args.count == 3 ? args[2] : .unknown("lookup: no key \(k)"))
        case ("contains", 2):
            guard case .list(let l) = args[0] else { return .unknown("contains() of \(args[0].typeName)") }
            return .bool(l.contains(args[1]))
        case ("length", 1):
            switch args[0] {
            case .list(let l): return .int(Int64(l.count))
            case .map(let m): return .int(Int64(m.count))
            case .string(let s): return .int(Int64(s.count))
            default: return .unknown("length() of \(args[0].typeName)")
            }
        case ("lower", 1): return str(0).map { .string($0.lowercased()) } ?? .unknown("lower()")
        case ("upper", 1): return str(0).map { .string($0.uppercased()) } ?? .unknown("upper()")
        case ("trimspace", 1): return str(0).map { .string($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? .unknown("trimspace()")
        case ("replace", 3):
            guard let s = str(0), let a = str(1), let b = str(2), !(a.hasPrefix("/") && a.hasSuffix("/")) else {
                return .unknown("replace()")
            }
            return .string(s.replacingOccurrences(of: a, with: b))
        case ("startswith", 2): return str(0).flatMap { s in str(1).map { .bool(s.hasPrefix($0)) } } ?? .unknown("startswith()")
        case ("endswith", 2): return str(0).flatMap { s in str(1).map { .bool(s.hasSuffix($0)) } } ?? .unknown("endswith()")
        case ("join", 2):
            guard let sep = str(0), case .list(let l) = args[1] else { return .unknown("join()") }
            let parts = l.compactMap(TerraformValue.string)
            return parts.count == l.count ? .string(parts.joined(separator: sep)) : .unknown("join() of non-strings")
        case ("split", 2):
            guard let sep = str(0), let s = str(1) else { return .unknown("split()") }
            return .list(s.components(separatedBy: sep).map { .string($0) })
        case ("format", _) where args.count >= 1:
            return format(args)
        case ("coalesce", _):
            return args.first { $0 != .null && $0 != .string("") } ?? .unknown("coalesce(): no non-empty argument")
        case ("keys", 1):
            guard case .map(let m) = args[0] else { return .unknown("keys()") }
            return .list(m.keys.sorted { (TerraformValue.string($0) ?? "") < (TerraformValue.string($1) ?? "") })
        case ("values", 1):
            guard case .map(let m) = args[0] else { return .unknown("values()") }
            return .list(m.entries.sorted { (TerraformValue.string($0.key) ?? "") < (TerraformValue.string($1.key) ?? "") }.map(\.value))
        case ("element", 2):
            guard case .list(let l) = args[0], !l.isEmpty, case .int(let i) = args[1] else { return .unknown("element()") }
            return l[Int(i) % l.count]
        case ("flatten", 1):
            guard case .list(let l) = args[0] else { return .unknown("flatten()") }
            return .list(flatten(l))
        case ("distinct", 1):
            guard case .list(let l) = args[0] else { return .unknown("distinct()") }
            return .list(distinct(l))
        case ("compact", 1):
            guard case .list(let l) = args[0] else { return .unknown("compact()") }
            return .list(l.filter { $0 != .null && $0 != .string("") })
        case ("jsonencode", 1):
            guard let json = TerraformValue.toJSON(args[0]),
                let data = try? JSONSerialization.data(
                    withJSONObject: json, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
            else {
                // A document with unknown parts (an ARN known at plan time) stays the document: rules read it as
                // decoded JSON (CEL's parseJSON passes it through), so what its known parts decide is decided.
                switch args[0] {
                case .map, .list: return args[0]
                default: return .unknown("jsonencode() of an unknown value")
                }
            }
            return .string(String(decoding: data, as: UTF8.self))
        case ("jsondecode", 1):
            guard let s = str(0), let v = TerraformValue.decodeJSON(s) else { return .unknown("jsondecode() of invalid JSON") }
            return v
        case ("min", _), ("max", _):
            let numbers = args.compactMap { v -> Double? in
                switch v {
                case .int(let i): return Double(i)
                case .double(let d): return d
                default: return nil
                }
            }
            guard numbers.count == args.count, let r = name == "min" ? numbers.min() : numbers.max() else { return .unknown("\(name)()") }
            return r == r.rounded() ? .int(Int64(r)) : .double(r)
        default:
            return .unknown("depends on function \(name)()")
        }
    }

    static func distinct(_ l: [Value]) -> [Value] {
        var seen = Set<Value>()
        return l.filter { seen.insert($0).inserted }
    }

    static func flatten(_ l: [Value]) -> [Value] {
        l.flatMap { v -> [Value] in
            if case .list(let inner) = v { return flatten(inner) }
            return [v]
        }
    }

    /// `format` with the verbs `%s %d %v %q %%`.
    static func format(_ args: [Value]) -> Value {
        guard let spec = TerraformValue.string(args[0]) else { return .unknown("format()") }
        var out = ""
        var next = 1
        var chars = Substring(spec)
        while let c = chars.first {
            chars = chars.dropFirst()
            guard c == "%" else {
                out.append(c)
                continue
            }
            guard let verb = chars.first else { break }
            chars = chars.dropFirst()
            if verb == "%" {
                out.append("%")
                continue
            }
            guard next < args.count, let s = TerraformValue.string(args[next]) else { return .unknown("format() verb %\(verb)") }
            next += 1
            switch verb {
            case "s", "v", "d": out += s
            case "q": out += Value.quote(s)
            default: return .unknown("format() verb %\(verb)")
            }
        }
        return .string(out)
    }
}
