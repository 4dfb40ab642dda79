/// A typed value: what languages lower source into and what CEL evaluates over.
///
/// `reference` is an unresolved reference to another object (a Terraform
/// address such as `aws_s3_bucket.logs.id`); `unknown` is a value that cannot
/// be known statically, with the reason. Checks over unknown values report
/// nothing rather than guess.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case list([Value])
    case map(ValueMap)
    case reference(String)
    case unknown(String)

    /// The name of the value's type as CEL spells it.
    public var typeName: String {
        switch self {
        case .null: return "null_type"
        case .bool: return "bool"
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .string: return "string"
        case .bytes: return "bytes"
        case .list: return "list"
        case .map: return "map"
        case .reference: return "reference"
        case .unknown: return "unknown"
        }
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The boolean, if this is one.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The map, if this is one.
    public var mapValue: ValueMap? {
        if case .map(let m) = self { return m }
        return nil
    }

    /// The list, if this is one.
    public var listValue: [Value]? {
        if case .list(let l) = self { return l }
        return nil
    }

    /// Whether the value is unknown.
    public var isUnknown: Bool {
        if case .unknown = self { return true }
        return false
    }

    /// The value at `path`, or `nil` when a step does not exist.
    public func value(at path: ValuePath) -> Value? {
        var current = self
        for component in path.components {
            switch (component, current) {
            case (.key(let k), .map(let m)):
                guard let next = m[k] else { return nil }
                current = next
            case (.index(let i), .list(let l)):
                guard i >= 0 && i < l.count else { return nil }
                current = l[i]
            default:
                return nil
            }
        }
        return current
    }

    /// A stable textual form (map keys sorted), used for fingerprints and messages.
    public var canonical: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .uint(let u): return "\(u)u"
        case .double(let d): return String(d)
        case .string(let s): return Value.quote(s)
        case .bytes(let b): return "b\"" + b.map { String($0, radix: 16) }.joined() + "\""
        case .list(let l): return "[" + l.map(\.canonical).joined(separator: ",") + "]"
        case .map(let m):
            let parts = m.entries.map { ($0.key.canonical, $0.value.canonical) }.sorted { $0.0 < $1.0 }
            return "{" + parts.map { "\($0.0):\($0.1)" }.joined(separator: ",") + "}"
        case .reference(let r): return "ref(\(r))"
        case .unknown(let why): return "unknown(\(why))"
        }
    }

    /// A double-quoted string with JSON-style escapes.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out +=
                        "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// An insertion-ordered map from values to values.
///
/// Most maps are small (a statement's thirty facts, a container's fields): up to `indexThreshold` entries a key is
/// found by a scan, which is faster than hashing and allocates nothing; past it a hash index is built.
public struct ValueMap: Sendable, Hashable {
    /// The entries in insertion order.
    public private(set) var entries: [(key: Value, value: Value)]
    /// Each key's position in `entries`, kept only past `indexThreshold` entries.
    private var index: [Value: Int]?
    /// The most entries looked up by a scan.
    static let indexThreshold = 32

    /// An empty map.
    public init() {
        entries = []
        index = nil
    }

    /// A map with string keys, in the given order (a later duplicate wins).
    public init(_ pairs: [(String, Value)]) {
        self.init()
        entries.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[.string(k)] = v }
    }

    /// A map with string keys, in the given order, that the caller knows are distinct (a parsed object's fields):
    /// no key is looked up while the map is built.
    public init(distinctKeys pairs: [(String, Value)]) {
        entries = pairs.map { (key: Value.string($0.0), value: $0.1) }
        index = nil
        if entries.count > Self.indexThreshold {
            index = Dictionary(entries.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { _, last in last })
        }
    }

    /// The number of entries.
    public var count: Int { entries.count }

    /// The keys in insertion order.
    public var keys: [Value] { entries.map(\.key) }

    /// The position of a string key.
    private func position(of key: String) -> Int? {
        if let index { return index[.string(key)] }
        // Comparing lengths first (stored, for both small and large strings) skips most full comparisons.
        let length = key.utf8.count
        for i in entries.indices {
            if case .string(let k) = entries[i].key, k.utf8.count == length, k == key { return i }
        }
        return nil
    }

    /// The position of any key.
    private func position(of key: Value) -> Int? {
        if let index { return index[key] }
        if case .string(let k) = key { return position(of: k) }
        return entries.firstIndex { $0.key == key }
    }

    /// The value for a string key.
    public subscript(key: String) -> Value? {
        get { position(of: key).map { entries[$0].value } }
        set { set(.string(key), at: position(of: key), to: newValue) }
    }

    /// The value for any key.
    public subscript(key: Value) -> Value? {
        get { position(of: key).map { entries[$0].value } }
        set { set(key, at: position(of: key), to: newValue) }
    }

    /// Sets, adds or (with nil) removes the entry of `key`, found at `position`.
    private mutating func set(_ key: Value, at position: Int?, to newValue: Value?) {
        if let newValue {
            if let position {
                entries[position].value = newValue
                return
            }
            if index != nil {
                index?[key] = entries.count
            } else if entries.count == Self.indexThreshold {
                var built = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
                built[key] = entries.count
                index = built
            }
            entries.append((key, newValue))
        } else if let position {
            entries.remove(at: position)
            guard var positions = index else { return }
            index = nil
            guard entries.count > Self.indexThreshold else { return }
            // The entries after the removed one moved up by one: their positions are updated in place, without the
            // hashing of a rebuilt index (a workload's view removes each role from a values map of a hundred keys).
            positions.removeValue(forKey: key)
            index = positions.mapValues { $0 > position ? $0 - 1 : $0 }
        }
    }

    public static func == (lhs: ValueMap, rhs: ValueMap) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (k, v) in lhs.entries where rhs[k] != v { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        var combined = 0
        for (k, v) in entries {
            var h = Hasher()
            h.combine(k)
            h.combine(v)
            combined ^= h.finalize()
        }
        hasher.combine(combined)
    }
}
