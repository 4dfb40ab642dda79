import PolicyModel
import TextCore

/// CEL's operators over ``Value``: arithmetic with overflow checks, heterogeneous
/// numeric equality and ordering, membership and indexing.
enum CELOperations {
    /// A rough size of a value, charged against the cost limit by functions that scan it.
    static func weight(_ v: Value) -> Int {
        switch v {
        case .string(let s): return s.utf8.count / 16
        case .bytes(let b): return b.count / 16
        case .list(let l): return l.count
        case .map(let m): return m.count
        default: return 0
        }
    }

    static func negate(_ v: Value, range: SourceRange) throws(CELEvalError) -> Value {
        switch v {
        case .int(let i):
            guard i != Int64.min else { throw CELEvalError(.overflow, "return error for overflow", at: range) }
            return .int(-i)
        case .double(let d): return .double(-d)
        case .unknown: return v
        default: throw CELEvalError(.noSuchOverload, "no such overload: -\(v.typeName)", at: range)
        }
    }

    static func binary(_ op: String, _ l: Value, _ r: Value, range: SourceRange) throws(CELEvalError) -> Value {
        if l.isUnknown { return l }
        if r.isUnknown { return r }
        switch op {
        case "==": return .bool(equals(l, r))
        case "!=": return .bool(!equals(l, r))
        case "<", "<=", ">", ">=":
            guard let c = compare(l, r) else {
                if isNaNComparison(l, r) { return .bool(false) }
                throw CELEvalError(.noSuchOverload, "no such overload: \(l.typeName) \(op) \(r.typeName)", at: range)
            }
            switch op {
            case "<": return .bool(c < 0)
            case "<=": return .bool(c <= 0)
            case ">": return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        case "in":
            switch r {
            case .list(let items): return .bool(items.contains { equals(l, $0) })
            case .map(let m):
                if m[l] != nil { return .bool(true) }
                return .bool(m.keys.contains { equals(l, $0) })
            default: throw CELEvalError(.noSuchOverload, "no such overload: \(l.typeName) in \(r.typeName)", at: range)
            }
        default:
            return try arithmetic(op, l, r, range: range)
        }
    }

    private static func isNaNComparison(_ l: Value, _ r: Value) -> Bool {
        if case .double(let d) = l, d.isNaN { return isNumber(r) }
        if case .double(let d) = r, d.isNaN { return isNumber(l) }
        return false
    }

    private static func isNumber(_ v: Value) -> Bool {
        switch v {
        case .int, .uint, .double: return true
        default: return false
        }
    }

    static func arithmetic(_ op: String, _ l: Value, _ r: Value, range: SourceRange) throws(CELEvalError) -> Value {
        switch (l, r) {
        case (.int(let a), .int(let b)): return .int(try integer(op, a, b, range: range))
        case (.uint(let a), .uint(let b)): return .uint(try integer(op, a, b, range: range))
        case (.double(let a), .double(let b)):
            switch op {
            case "+": return .double(a + b)
            case "-": return .double(a - b)
            case "*": return .double(a * b)
            case "/": return .double(a / b)
            default: throw CELEvalError(.noSuchOverload, "no such overload: double \(op) double", at: range)
            }
        case (.string(let a), .string(let b)) where op == "+": return .string(a + b)
        case (.bytes(let a), .bytes(let b)) where op == "+": return .bytes(a + b)
        case (.list(let a), .list(let b)) where op == "+": return .list(a + b)
        default:
            throw CELEvalError(.noSuchOverload, "no such overload: \(l.typeName) \(op) \(r.typeName)", at: range)
        }
    }

    /// Integer arithmetic with CEL's errors: overflow, and division or modulus by zero.
    static func integer<T: FixedWidthInteger>(_ op: String, _ a: T, _ b: T, range: SourceRange) throws(CELEvalError) -> T {
        let result: (partialValue: T, overflow: Bool)
        switch op {
        case "+": result = a.addingReportingOverflow(b)
        case "-": result = a.subtractingReportingOverflow(b)
        case "*": result = a.multipliedReportingOverflow(by: b)
        case "/", "%":
            guard b != 0 else { throw CELEvalError(.divideByZero, op == "/" ? "divide by zero" : "modulus by zero", at: range) }
            result = op == "/" ? a.dividedReportingOverflow(by: b) : a.remainderReportingOverflow(dividingBy: b)
        default:
            throw CELEvalError(
                .noSuchOverload, "no such overload: \(T.isSigned ? "int" : "uint") \(op) \(T.isSigned ? "int" : "uint")", at: range)
        }
        if result.overflow { throw CELEvalError(.overflow, "return error for overflow", at: range) }
        return result.partialValue
    }

    /// CEL equality: numbers compare by value across int, uint and double; other types must match.
    static func equals(_ l: Value, _ r: Value) -> Bool {
        switch (l, r) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.bytes(let a), .bytes(let b)): return a == b
        case (.list(let a), .list(let b)): return a.count == b.count && zip(a, b).allSatisfy { equals($0, $1) }
        case (.map(let a), .map(let b)):
            guard a.count == b.count else { return false }
            for (k, v) in a.entries {
                guard let other = lookup(b, k), equals(v, other) else { return false }
            }
            return true
        case (.reference(let a), .reference(let b)): return a == b
        default:
            if isNumber(l) && isNumber(r) { return compare(l, r) == 0 }
            return false
        }
    }

    /// A map lookup that also finds numerically equal keys of another numeric type.
    static func lookup(_ m: ValueMap, _ key: Value) -> Value? {
        if let v = m[key] { return v }
        guard isNumber(key) else { return nil }
        for (k, v) in m.entries where isNumber(k) && compare(k, key) == 0 { return v }
        return nil
    }

    /// Ordering: -1, 0, 1, or nil when the values are not comparable (or NaN is involved).
    static func compare(_ l: Value, _ r: Value) -> Int? {
        func sign<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a > b ? 1 : 0) }
        switch (l, r) {
        case (.int(let a), .int(let b)): return sign(a, b)
        case (.uint(let a), .uint(let b)): return sign(a, b)
        case (.double(let a), .double(let b)):
            if a.isNaN || b.isNaN { return nil }
            return sign(a, b)
        case (.int(let a), .uint(let b)):
            if a < 0 { return -1 }
            return sign(UInt64(a), b)
        case (.uint, .int): return compare(r, l).map { -$0 }
        case (.int(let a), .double(let b)): return compareIntDouble(a, b)
        case (.double, .int): return compare(r, l).map { -$0 }
        case (.uint(let a), .double(let b)):
            // CEL compares mixed numbers as doubles (lossy above 2^53, as the conformance suite expects).
            if b.isNaN { return nil }
            return sign(Double(a), b)
        case (.double, .uint): return compare(r, l).map { -$0 }
        case (.string(let a), .string(let b)):
            if a.unicodeScalars.elementsEqual(b.unicodeScalars) { return 0 }
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? -1 : 1
        case (.bytes(let a), .bytes(let b)):
            if a == b { return 0 }
            return a.lexicographicallyPrecedes(b) ? -1 : 1
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        default: return nil
        }
    }

    private static func compareIntDouble(_ a: Int64, _ b: Double) -> Int? {
        if b.isNaN { return nil }
        let x = Double(a)
        return x < b ? -1 : (x > b ? 1 : 0)
    }

    static func index(_ base: Value, _ index: Value, range: SourceRange) throws(CELEvalError) -> Value {
        if base.isUnknown { return base }
        if index.isUnknown { return index }
        switch base {
        case .list(let items):
            let i: Int64
            switch index {
            case .int(let v): i = v
            case .uint(let v): i = v > UInt64(Int64.max) ? Int64.max : Int64(v)
            case .double(let d) where d.rounded() == d && abs(d) < 9.2e18: i = Int64(d)
            default: throw CELEvalError(.noSuchOverload, "no such overload: list index of type \(index.typeName)", at: range)
            }
            guard i >= 0 && i < Int64(items.count) else {
                throw CELEvalError(.invalidArgument, "index out of bounds: \(i)", at: range)
            }
            return items[Int(i)]
        case .map(let m):
            switch index {
            case .string, .int, .uint, .bool, .double: break
            default: throw CELEvalError(.noSuchOverload, "no such overload: map key of type \(index.typeName)", at: range)
            }
            guard let v = lookup(m, index) else { throw CELEvalError(.noSuchKey, "no such key: \(index.canonical)", at: range) }
            return v
        case .reference:
            return .unknown("depends on \(base.canonical)")
        default:
            throw CELEvalError(.noSuchOverload, "no such overload: index into \(base.typeName)", at: range)
        }
    }
}
