import Foundation
import PolicyModel
import TextCore

/// The built-in functions of goldpath's CEL subset.
enum CELBuiltins {
    /// Type identifiers usable as values in conversions (`int`, `string`, ...).
    static let typeNames: Set<String> = ["int", "uint", "double", "string", "bool", "bytes", "list", "map", "null_type"]

    /// Accepted argument counts, counting the receiver of a method call.
    static let arities: [String: Set<Int>] = [
        "size": [1], "contains": [2], "startsWith": [2], "endsWith": [2], "matches": [2],
        "lowerAscii": [1], "upperAscii": [1], "trim": [1], "int": [1], "uint": [1], "double": [1], "string": [1],
        "bool": [1], "bytes": [1], "dyn": [1], "quantity": [1], "type": [1], "split": [2], "join": [1, 2],
        "replace": [3], "indexOf": [2], "parseJSON": [1], "ref": [1],
    ]

    static func call(_ name: String, _ args: [Value], receiver: Bool, program: CELProgram, range: SourceRange) throws(CELEvalError) -> Value
    {
        func overload() -> CELEvalError {
            CELEvalError(.noSuchOverload, "no such overload: \(name)(\(args.map(\.typeName).joined(separator: ", ")))", at: range)
        }
        switch (name, args.count) {
        case ("size", 1):
            switch args[0] {
            case .string(let s): return .int(Int64(s.unicodeScalars.count))
            case .bytes(let b): return .int(Int64(b.count))
            case .list(let l): return .int(Int64(l.count))
            case .map(let m): return .int(Int64(m.count))
            default: throw overload()
            }
        case ("contains", 2), ("startsWith", 2), ("endsWith", 2):
            guard case .string(let s) = args[0], case .string(let t) = args[1] else { throw overload() }
            let ss = Array(s.unicodeScalars)
            let ts = Array(t.unicodeScalars)
            switch name {
            case "startsWith": return .bool(ss.starts(with: ts))
            case "endsWith": return .bool(ss.reversed().starts(with: ts.reversed()))
            default:
                if ts.isEmpty { return .bool(true) }
                guard ts.count <= ss.count else { return .bool(false) }
                for i in 0...(ss.count - ts.count) where ss[i] == ts[0] && Array(ss[i..<(i + ts.count)]) == ts {
                    return .bool(true)
                }
                return .bool(false)
            }
        case ("matches", 2):
            guard case .string(let s) = args[0], case .string(let pattern) = args[1] else { throw overload() }
            if pattern.isEmpty { return .bool(true) }
            let regex: CompiledRegex
            if let compiled = program.regexes[pattern] {
                regex = compiled
            } else {
                regex = try CELProgram.cachedRegex(pattern, maxLength: program.environment.maxRegexLength, at: range)
            }
            return .bool(try BoundedMatch.firstMatch(regex.regex, in: s, seconds: program.environment.maxRegexSeconds, at: range))
        case ("lowerAscii", 1), ("upperAscii", 1):
            guard case .string(let s) = args[0] else { throw overload() }
            let lower = name == "lowerAscii"
            var out = String.UnicodeScalarView()
            for u in s.unicodeScalars {
                if lower, u.value >= 65 && u.value <= 90, let c = Unicode.Scalar(u.value + 32) {
                    out.append(c)
                } else if !lower, u.value >= 97 && u.value <= 122, let c = Unicode.Scalar(u.value - 32) {
                    out.append(c)
                } else {
                    out.append(u)
                }
            }
            return .string(String(out))
        case ("trim", 1):
            guard case .string(let s) = args[0] else { throw overload() }
            return .string(s.trimmingCharacters(in: .whitespacesAndNewlines))
        case ("split", 2):
            guard case .string(let s) = args[0], case .string(let sep) = args[1] else { throw overload() }
            if sep.isEmpty { return .list(s.map { .string(String($0)) }) }
            return .list(s.components(separatedBy: sep).map { .string($0) })
        case ("join", 1), ("join", 2):
            guard case .list(let items) = args[0] else { throw overload() }
            var sep = ""
            if args.count == 2 {
                guard case .string(let s) = args[1] else { throw overload() }
                sep = s
            }
            var parts: [String] = []
            for i in items {
                guard case .string(let s) = i else { throw overload() }
                parts.append(s)
            }
            return .string(parts.joined(separator: sep))
        case ("replace", 3):
            guard case .string(let s) = args[0], case .string(let a) = args[1], case .string(let b) = args[2] else { throw overload() }
            return .string(s.replacingOccurrences(of: a, with: b))
        case ("indexOf", 2):
            // goldpath's extension: a list's indexOf gives an element's position (-1 if absent), so an ordered
            // parameter such as `classifications` can be compared by rank.
            if case .list(let items) = args[0] { return .int(Int64(items.firstIndex(of: args[1]) ?? -1)) }
            guard case .string(let s) = args[0], case .string(let t) = args[1] else { throw overload() }
            let ss = Array(s.unicodeScalars)
            let ts = Array(t.unicodeScalars)
            if ts.isEmpty { return .int(0) }
            if ts.count <= ss.count {
                for i in 0...(ss.count - ts.count) where Array(ss[i..<(i + ts.count)]) == ts { return .int(Int64(i)) }
            }
            return .int(-1)
        case ("dyn", 1):
            return args[0]
        case ("ref", 1):
            // A reference to another object, for fixes that write one (bucket = aws_s3_bucket.logs.id).
            guard case .string(let s) = args[0] else { throw overload() }
            return .reference(s)
        case ("parseJSON", 1):
            // A map or list is a document already decoded (Terraform's jsonencode() of a partly unknown value).
            if args[0].mapValue != nil || args[0].listValue != nil { return args[0] }
            guard case .string(let s) = args[0] else { throw overload() }
            guard let v = Value.decodeJSON(s) else {
                throw CELEvalError(.invalidArgument, "parseJSON: the string is not JSON", at: range)
            }
            return v
        case ("type", 1):
            return .string("type:" + args[0].typeName)
        case ("quantity", 1):
            guard case .string(let s) = args[0] else {
                if case .int(let i) = args[0] { return .double(Double(i)) }
                if case .double(let d) = args[0] { return .double(d) }
                throw overload()
            }
            guard let q = Quantity.parse(s) else {
                throw CELEvalError(.invalidArgument, "invalid quantity \(Value.quote(s))", at: range)
            }
            return .double(q)
        case ("int", 1), ("uint", 1), ("double", 1), ("string", 1), ("bool", 1), ("bytes", 1):
            return try CELConversions.convert(args[0], to: name, range: range)
        default:
            throw overload()
        }
    }
}

/// Kubernetes resource quantities (`500m`, `1.5Gi`, `2e3`) as numbers in base units.
public enum Quantity {
    /// The value of a quantity string, or nil if it is not one.
    public static func parse(_ text: String) -> Double? {
        let s = text.trimmingCharacters(in: .whitespaces)
        let suffixes: [(String, Double)] = [
            ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776), ("Pi", 1_125_899_906_842_624),
            ("Ei", 1_152_921_504_606_846_976), ("n", 1e-9), ("u", 1e-6), ("m", 1e-3), ("k", 1e3), ("M", 1e6), ("G", 1e9),
            ("T", 1e12), ("P", 1e15), ("E", 1e18),
        ]
        for (suffix, factor) in suffixes where s.hasSuffix(suffix) {
            guard let n = Double(s.dropLast(suffix.count)), !s.dropLast(suffix.count).isEmpty else { return nil }
            return n * factor
        }
        return Double(s)
    }
}
