import PolicyModel
import SQLSyntax
import TextCore

/// Turns a parsed statement's details into a CEL value and the origin of every path in it.
struct SQLValues {
    let file: String
    /// Where a fact with an empty range (a flag that was not written) points instead.
    let fallback: SourceRange

    func value(_ object: SQLObject, at path: ValuePath, origins: inout [ValuePath: Origin]) -> ValueMap {
        var pairs: [(String, Value)] = []
        for (key, field) in object.fields {
            let p = path.appending(key: key)
            pairs.append((key, value(field, at: p, origins: &origins)))
        }
        return ValueMap(pairs)
    }

    func value(_ field: SQLField, at path: ValuePath, origins: inout [ValuePath: Origin]) -> Value {
        origins[path] = Origin(file: file, range: field.range.isEmpty ? fallback : field.range)
        switch field.value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let n): return .int(Int64(n))
        case .string(let s): return .string(s)
        case .list(let items):
            return .list(items.enumerated().map { value($0.element, at: path.appending(.index($0.offset)), origins: &origins) })
        case .object(let o):
            return .map(value(o, at: path, origins: &origins))
        }
    }
}

extension ValueMap {
    /// This map with every key of `facts` set, in one pass.
    func setting(_ facts: [(String, Value)]) -> ValueMap {
        guard !facts.isEmpty else { return self }
        let new = Dictionary(facts, uniquingKeysWith: { _, b in b })
        var pairs: [(String, Value)] = []
        pairs.reserveCapacity(entries.count + facts.count)
        var seen = Set<String>()
        for e in entries {
            guard let k = e.key.stringValue else { continue }
            pairs.append((k, new[k] ?? e.value))
            seen.insert(k)
        }
        for (k, value) in facts where !seen.contains(k) {
            pairs.append((k, value))
            seen.insert(k)
        }
        return ValueMap(pairs)
    }

    /// This map with `key` set (replacing an existing entry).
    func setting(_ key: String, _ value: Value) -> ValueMap {
        var pairs: [(String, Value)] = []
        var replaced = false
        for e in entries {
            guard let k = e.key.stringValue else { continue }
            if k == key {
                pairs.append((k, value))
                replaced = true
            } else {
                pairs.append((k, e.value))
            }
        }
        if !replaced { pairs.append((key, value)) }
        return ValueMap(pairs)
    }
}
