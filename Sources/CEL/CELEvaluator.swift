import Foundation
import PolicyModel
import TextCore

/// Local variables bound by comprehensions, as a linked list (cheap to extend).
final class CELScope: @unchecked Sendable {
    // Immutable after construction; only read while evaluating one expression.
    let name: String
    let value: Value
    let parent: CELScope?

    init(name: String, value: Value, parent: CELScope?) {
        self.name = name
        self.value = value
        self.parent = parent
    }

    func lookup(_ n: String) -> Value? {
        var s: CELScope? = self
        while let c = s {
            if c.name == n { return c.value }
            s = c.parent
        }
        return nil
    }
}

/// Evaluates a checked expression with CEL's semantics: errors and unknowns are
/// absorbed by `&&`, `||`, `?:` and the quantifier macros where the result is
/// decided anyway; every other operation on an unknown is unknown.
struct CELEvaluator {
    let program: CELProgram
    let activation: CELActivation
    /// Whether a variable's name is qualified (`a.b`): only then is a selection looked up as a whole name.
    let hasQualifiedVariables: Bool
    var cost = 0

    init(program: CELProgram, activation: CELActivation) {
        self.program = program
        self.activation = activation
        hasQualifiedVariables = activation.hasQualifiedVariables
    }

    private mutating func charge(_ n: Int, _ range: SourceRange) throws(CELEvalError) {
        cost += n
        if cost > program.environment.costLimit {
            throw CELEvalError(
                .costLimitExceeded, "evaluation exceeded the cost limit of \(program.environment.costLimit) steps", at: range)
        }
    }

    /// Evaluates a node, capturing an error as a value for the logical operators.
    private mutating func attempt(_ node: CELNode, scope: CELScope?) -> Result<Value, CELEvalError> {
        do {
            return .success(try eval(node, scope: scope))
        } catch {
            if error.kind == .costLimitExceeded { return .failure(error) }
            return .failure(error)
        }
    }

    mutating func eval(_ node: CELNode, scope: CELScope?) throws(CELEvalError) -> Value {
        try charge(1, node.range)
        switch node.expr {
        case .literal(let v):
            return v
        case .ident(let name):
            if let v = scope?.lookup(name) ?? activation.variables[name] { return v }
            if activation.variables.keys.contains(where: { $0.hasPrefix(name + ".") }) {
                throw CELEvalError(.noSuchKey, "'\(name)' is only the prefix of a qualified name", at: node.range)
            }
            if CELBuiltins.typeNames.contains(name) { return .string("type:" + name) }
            throw CELEvalError(.unknownIdentifier, "no value for '\(name)'", at: node.range)
        case .select(let operandNode, let field, let testOnly):
            // A qualified name such as `a.b.c` may itself be a declared variable (longest name first).
            if !testOnly, hasQualifiedVariables, let name = CELEvaluator.qualifiedName(node), let root = name.split(separator: ".").first,
                scope?.lookup(String(root)) == nil, let v = activation.variables[name]
            {
                return v
            }
            if testOnly && program.environment.absentIsFalse {
                switch attempt(operandNode, scope: scope) {
                case .success(.null): return .bool(false)
                case .success(let operand): return try select(operand, field, testOnly: true, range: node.range)
                case .failure(let e) where e.kind == .noSuchKey: return .bool(false)
                case .failure(let e): throw e
                }
            }
            let operand = try eval(operandNode, scope: scope)
            return try select(operand, field, testOnly: testOnly, range: node.range)
        case .index(let baseNode, let indexNode):
            let base = try eval(baseNode, scope: scope)
            let index = try eval(indexNode, scope: scope)
            return try CELOperations.index(base, index, range: node.range)
        case .list(let items):
            var out: [Value] = []
            out.reserveCapacity(items.count)
            var unknown: Value?
            for item in items {
                let v = try eval(item, scope: scope)
                if v.isUnknown { unknown = v }
                out.append(v)
            }
            return unknown ?? .list(out)
        case .map(let entries):
            var out = ValueMap()
            for e in entries {
                let k = try eval(e.key, scope: scope)
                let v = try eval(e.value, scope: scope)
                if k.isUnknown { return k }
                switch k {
                case .string, .int, .uint, .bool: break
                default: throw CELEvalError(.invalidArgument, "unsupported key type \(k.typeName)", at: e.key.range)
                }
                if CELOperations.lookup(out, k) != nil { throw CELEvalError(.invalidArgument, "Failed with repeated key", at: e.key.range) }
                out[k] = v
            }
            return .map(out)
        case .conditional(let c, let t, let f):
            let cond = try eval(c, scope: scope)
            switch cond {
            case .bool(true): return try eval(t, scope: scope)
            case .bool(false): return try eval(f, scope: scope)
            case .unknown: return cond
            default: throw CELEvalError(.noSuchOverload, "no such overload: condition is \(cond.typeName), not bool", at: c.range)
            }
        case .not(let operandNode):
            let v = try eval(operandNode, scope: scope)
            switch v {
            case .bool(let b): return .bool(!b)
            case .unknown: return v
            default: throw CELEvalError(.noSuchOverload, "no such overload: !\(v.typeName)", at: node.range)
            }
        case .negate(let operandNode):
            let v = try eval(operandNode, scope: scope)
            return try CELOperations.negate(v, range: node.range)
        case .and(let l, let r):
            return try logical(l, r, scope: scope, decisive: false, range: node.range)
        case .or(let l, let r):
            return try logical(l, r, scope: scope, decisive: true, range: node.range)
        case .binary(let op, let l, let r):
            let lv = try eval(l, scope: scope)
            let rv = try eval(r, scope: scope)
            return try CELOperations.binary(op, lv, rv, range: node.range)
        case .call(let targetNode, let function, let argNodes):
            if targetNode == nil, let custom = activation.functions[function] {
                var args: [Value] = []
                for a in argNodes { args.append(try eval(a, scope: scope)) }
                return try custom(args)
            }
            var args: [Value] = []
            if let targetNode { args.append(try eval(targetNode, scope: scope)) }
            for a in argNodes { args.append(try eval(a, scope: scope)) }
            if let u = args.first(where: \.isUnknown) { return u }
            try charge(args.reduce(0) { $0 + CELOperations.weight($1) }, node.range)
            return try CELBuiltins.call(function, args, receiver: targetNode != nil, program: program, range: node.range)
        case .comprehension(let macro, let rangeNode, let variable, let filter, let body):
            return try comprehension(macro, rangeNode, variable, filter, body, scope: scope, range: node.range)
        }
    }

    /// The dotted name of an identifier or a chain of field selections on one.
    static func qualifiedName(_ node: CELNode) -> String? {
        switch node.expr {
        case .ident(let n): return n
        case .select(let operand, let field, false): return qualifiedName(operand).map { $0 + "." + field }
        default: return nil
        }
    }

    /// `&&` (decisive value false) and `||` (decisive value true), commutative over errors and unknowns.
    private mutating func logical(_ l: CELNode, _ r: CELNode, scope: CELScope?, decisive: Bool, range: SourceRange) throws(CELEvalError)
        -> Value
    {
        let lv = attempt(l, scope: scope)
        if case .success(.bool(let b)) = lv, b == decisive { return .bool(decisive) }
        if case .failure(let e) = lv, e.kind == .costLimitExceeded { throw e }
        let rv = attempt(r, scope: scope)
        if case .success(.bool(let b)) = rv, b == decisive { return .bool(decisive) }
        if case .failure(let e) = rv, e.kind == .costLimitExceeded { throw e }
        for v in [lv, rv] { if case .success(let x) = v, x.isUnknown { return x } }
        for v in [lv, rv] { if case .failure(let e) = v { throw e } }
        for (v, n) in [(lv, l), (rv, r)] {
            if case .success(let x) = v, x.boolValue == nil {
                throw CELEvalError(.noSuchOverload, "no such overload: \(decisive ? "||" : "&&") on \(x.typeName)", at: n.range)
            }
        }
        return .bool(!decisive)
    }

    private func select(_ operand: Value, _ field: String, testOnly: Bool, range: SourceRange) throws(CELEvalError) -> Value {
        switch operand {
        case .map(let m):
            if testOnly { return .bool(m[field] != nil) }
            guard let v = m[field] else { throw CELEvalError(.noSuchKey, "no such key: \(field)", at: range) }
            return v
        case .null where program.environment.absentIsFalse:
            if testOnly { return .bool(false) }
            throw CELEvalError(.noSuchKey, "no such key: \(field) (the value is null)", at: range)
        case .unknown, .reference:
            return operand.isUnknown ? operand : .unknown("depends on \(operand.canonical)")
        default:
            throw CELEvalError(.noSuchOverload, "no such overload: field selection '.\(field)' on \(operand.typeName)", at: range)
        }
    }

    private mutating func comprehension(
        _ macro: CELMacro, _ rangeNode: CELNode, _ variable: String, _ filter: CELNode?, _ body: CELNode,
        scope: CELScope?, range: SourceRange
    ) throws(CELEvalError) -> Value {
        let collection = try eval(rangeNode, scope: scope)
        let elements: [Value]
        switch collection {
        case .list(let l): elements = l
        case .map(let m): elements = m.keys
        case .unknown: return collection
        default: throw CELEvalError(.noSuchOverload, "no such overload: \(macro.rawValue)() over \(collection.typeName)", at: range)
        }
        switch macro {
        case .all, .exists:
            let decisive = macro == .exists
            var pendingError: CELEvalError?
            var pendingUnknown: Value?
            for e in elements {
                try charge(1, range)
                let r = attempt(body, scope: CELScope(name: variable, value: e, parent: scope))
                switch r {
                case .success(.bool(let b)): if b == decisive { return .bool(decisive) }
                case .success(let v) where v.isUnknown: pendingUnknown = v
                case .success(let v):
                    pendingError = CELEvalError(.noSuchOverload, "no such overload: predicate is \(v.typeName)", at: body.range)
                case .failure(let err):
                    if err.kind == .costLimitExceeded { throw err }
                    pendingError = err
                }
            }
            if let pendingUnknown { return pendingUnknown }
            if let pendingError { throw pendingError }
            return .bool(!decisive)
        case .existsOne:
            var count = 0
            for e in elements {
                try charge(1, range)
                let v = try eval(body, scope: CELScope(name: variable, value: e, parent: scope))
                switch v {
                case .bool(let b): if b { count += 1 }
                case .unknown: return v
                default: throw CELEvalError(.noSuchOverload, "no such overload: predicate is \(v.typeName)", at: body.range)
                }
            }
            return .bool(count == 1)
        case .map, .filter:
            var out: [Value] = []
            for e in elements {
                try charge(1, range)
                let inner = CELScope(name: variable, value: e, parent: scope)
                if let filter {
                    let keep = try eval(filter, scope: inner)
                    if keep.isUnknown { return keep }
                    guard case .bool(let k) = keep else {
                        throw CELEvalError(.noSuchOverload, "no such overload: filter is \(keep.typeName)", at: filter.range)
                    }
                    if !k { continue }
                }
                let v = try eval(body, scope: inner)
                if v.isUnknown { return v }
                if macro == .filter {
                    guard case .bool(let k) = v else {
                        throw CELEvalError(.noSuchOverload, "no such overload: filter predicate is \(v.typeName)", at: body.range)
                    }
                    if k { out.append(e) }
                } else {
                    out.append(v)
                }
            }
            return .list(out)
        }
    }
}
