import PolicyModel
import SQLSyntax
import TextCore

/// Turns a parsed statement's details into a CEL value and the origin of every path in it.
struct SQLValues {
    let file: String
    /// Where a fact with an empty range (a flag that was not written) points instead.
    let fallback: SourceRange

    /// How many origins `value(_:at:origins:)` records for an object: one per field, nested fields included (a
    /// subject's origins are reserved at once rather than grown a few at a time).
    static func pathCount(_ object: SQLObject) -> Int {
        object.fields.reduce(0) { $0 + pathCount($1.field) }
    }

    static func pathCount(_ field: SQLField) -> Int {
        switch field.value {
        case .list(let items): return 1 + items.reduce(0) { $0 + pathCount($1) }
        case .object(let o): return 1 + pathCount(o)
        default: return 1
        }
    }

    func value(_ object: SQLObject, at path: ValuePath, origins: inout [ValuePath: Origin]) -> ValueMap {
        var pairs: [(String, Value)] = []
        pairs.reserveCapacity(object.fields.count)
        for (key, field) in object.fields {
            let p = path.appending(key: key)
            pairs.append((key, value(field, at: p, origins: &origins)))
        }
        // An object's fields are distinct (setting one replaces it).
        return ValueMap(distinctKeys: pairs)
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
    /// Sets every key of `facts` (replacing existing entries), in place.
    mutating func set(_ facts: [(String, Value)]) {
        for (key, value) in facts { self[key] = value }
    }

    /// This map with `key` set (replacing an existing entry).
    func setting(_ key: String, _ value: Value) -> ValueMap {
        var copy = self
        copy[key] = value
        return copy
    }
}
