/// The typed value of a plain YAML scalar under the YAML 1.2 core schema.
public enum YAMLResolvedScalar: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
}

/// Resolves scalars to typed values the way Kubernetes tooling reads YAML.
///
/// Quoted and block scalars, and scalars tagged `!!str`, are strings. Plain
/// scalars follow the YAML 1.2 core schema (`null`, `~`, empty; `true`/`false`
/// in any case; decimal, `0x`, `0o` integers; floats including `.inf`, `.nan`).
/// With `yaml11Booleans`, `yes`/`no`/`on`/`off` are booleans too, as in the
/// go-yaml v2 reader that Helm uses.
public struct YAMLScalarResolver: Sendable {
    /// Whether `yes`, `no`, `on`, `off` (any case) are booleans.
    public var yaml11Booleans: Bool

    /// Creates a resolver.
    public init(yaml11Booleans: Bool = false) {
        self.yaml11Booleans = yaml11Booleans
    }

    /// The typed value of `node`'s scalar.
    public func resolve(_ scalar: YAMLScalar, tag: String?) -> YAMLResolvedScalar {
        if let tag {
            switch tag {
            case "tag:yaml.org,2002:str", "!": return .string(scalar.value)
            case "tag:yaml.org,2002:null": return .null
            case "tag:yaml.org,2002:bool": return resolvePlain(scalar.value).asBool.map { .bool($0) } ?? .string(scalar.value)
            case "tag:yaml.org,2002:int":
                if case .int(let i) = resolvePlain(scalar.value) { return .int(i) }
                return .string(scalar.value)
            case "tag:yaml.org,2002:float":
                switch resolvePlain(scalar.value) {
                case .int(let i): return .double(Double(i))
                case .double(let d): return .double(d)
                default: return .string(scalar.value)
                }
            default: break
            }
        }
        guard scalar.style == .plain else { return .string(scalar.value) }
        return resolvePlain(scalar.value)
    }

    /// Resolves the text of a plain scalar.
    public func resolvePlain(_ text: String) -> YAMLResolvedScalar {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        if yaml11Booleans {
            switch text.lowercased() {
            case "yes", "on", "y": if text.count > 1 { return .bool(true) }
            case "no", "off": return .bool(false)
            default: break
            }
        }
        guard let first = text.utf8.first,
            first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        else { return .string(text) }
        if text.hasPrefix("0x"), let v = Int64(text.dropFirst(2), radix: 16) { return .int(v) }
        if text.hasPrefix("0o"), let v = Int64(text.dropFirst(2), radix: 8) { return .int(v) }
        if isDecimalInteger(text), let v = Int64(text) { return .int(v) }
        if isFloat(text), let d = Double(text) { return .double(d) }
        return .string(text)
    }

    private func isDecimalInteger(_ text: String) -> Bool {
        var utf8 = Substring(text).utf8[...]
        if let f = utf8.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { utf8 = utf8.dropFirst() }
        return !utf8.isEmpty && utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// The core schema's float: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
    private func isFloat(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let f = bytes.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        func digits(_ s: inout ArraySlice<UInt8>) -> Int {
            var n = 0
            while let c = s.first, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                s = s.dropFirst()
                n += 1
            }
            return n
        }
        let intDigits = digits(&bytes)
        var fracDigits = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            fracDigits = digits(&bytes)
        }
        guard intDigits + fracDigits > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let s = bytes.first, s == UInt8(ascii: "-") || s == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard digits(&bytes) > 0 else { return false }
        }
        return bytes.isEmpty
    }
}

extension YAMLResolvedScalar {
    var asBool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
}
