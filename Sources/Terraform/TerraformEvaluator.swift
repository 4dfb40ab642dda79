import HCLSyntax
import PolicyModel
import TextCore

/// Evaluates HCL expressions statically: variables (defaults and tfvars), locals,
/// templates with known parts, operators, conditionals, for expressions, splats
/// and common pure functions. Anything that needs a plan or apply is
/// `unknown` with the reason; references to other objects stay `reference`s.
final class TerraformEvaluator {
    let module: TerraformModule
    private var localCache: [String: Value] = [:]
    private var variableCache: [String: (value: Value, definition: Origin.Definition?)] = [:]
    private var inProgress: Set<String> = []
    private var scopes: [[String: Value]] = []
    private static let maxDepth = 200
    private var depth = 0

    init(module: TerraformModule) { self.module = module }

    // MARK: Variables and locals

    /// The value of `var.name` and where it was defined, worked out once per evaluator: a module's resources read the
    /// same variables many times, and a value (an input, a tfvars entry, a default) refers to nothing in scope.
    func variable(_ name: String) -> (value: Value, definition: Origin.Definition?) {
        if let known = variableCache[name] { return known }
        let saved = scopes
        scopes = []
        let resolved = resolveVariable(name)
        scopes = saved
        variableCache[name] = resolved
        return resolved
    }

    private func resolveVariable(_ name: String) -> (value: Value, definition: Origin.Definition?) {
        if let input = module.inputs[name] { return (typed(input.value, as: name), input.definition) }
        if let assigned = module.tfvars[name] {
            let file = assigned.file.lastPathComponent
            return (
                typed(evaluate(assigned.attribute.expression), as: name),
                Origin.Definition(
                    file: assigned.file, range: assigned.attribute.expression.range, description: "\(file) (\(name) = …)")
            )
        }
        if let declared = module.variables[name], let def = declared.block.body.attribute("default") {
            return (
                typed(evaluate(def.expression), as: name),
                Origin.Definition(
                    file: declared.file, range: def.expression.range, description: "the default of variable \"\(name)\"")
            )
        }
        if module.variables[name] != nil { return (.unknown("depends on module input var.\(name)"), nil) }
        return (.unknown("var.\(name) is not declared"), nil)
    }

    /// A variable's value converted to its declared `type` (optional attributes' defaults filled in).
    private func typed(_ value: Value, as name: String) -> Value {
        guard let type = module.variables[name]?.block.body.attribute("type")?.expression else { return value }
        return TerraformTypeDefaults(evaluate: { self.evaluate($0) }).apply(type, to: value)
    }

    /// A collection written as a literal: where `expression` (a `for_each`) comes from when it is a tuple or object
    /// literal, directly or through `var.x` (tfvars or default) or `local.y`.
    struct LiteralCollection {
        var file: String
        var expression: HCLExpression
        var description: String

        /// An object literal's key as written: a bare name or a literal string.
        static func keyName(_ key: HCLExpression) -> String? {
            if let name = key.kind.variableName { return name }
            if case .template(let t) = key.kind { return t.literal }
            return nil
        }

        /// The element a `for_each` instance takes: the `n`th of a tuple, the item with key `key` of an object.
        func element(_ n: Int, key: Value) -> BodyLowering.LiteralElement? {
            switch expression.kind {
            case .tuple(let items) where n < items.count:
                return BodyLowering.LiteralElement(file: file, expression: items[n], description: "\(description)[\(n)]")
            case .object(let items):
                guard case .string(let k) = key, let item = items.first(where: { Self.keyName($0.key) == k }) else { return nil }
                return BodyLowering.LiteralElement(file: file, expression: item.value, description: "\(description)[\(Value.quote(k))]")
            default:
                return nil
            }
        }
    }

    func literalCollection(of e: HCLExpression, file: String) -> LiteralCollection? {
        switch e.kind {
        case .tuple, .object: return LiteralCollection(file: file, expression: e, description: "the for_each")
        case .getAttribute(let base, let name, _):
            guard case .variable(let ns) = base.kind else { return nil }
            if ns == "local", let entry = module.locals[name] {
                return literalCollection(of: entry.attribute.expression, file: entry.file).map {
                    LiteralCollection(file: $0.file, expression: $0.expression, description: "local.\(name)")
                }
            }
            if ns == "var" {
                if module.inputs[name] != nil { return nil }
                if let assigned = module.tfvars[name] {
                    return literalCollection(of: assigned.attribute.expression, file: assigned.file).map {
                        LiteralCollection(file: $0.file, expression: $0.expression, description: "var.\(name)")
                    }
                }
                if let def = module.variables[name].flatMap({ d in d.block.body.attribute("default").map { (d.file, $0) } }) {
                    return literalCollection(of: def.1.expression, file: def.0).map {
                        LiteralCollection(file: $0.file, expression: $0.expression, description: "var.\(name)")
                    }
                }
            }
            return nil
        default:
            return nil
        }
    }

    /// The value of `local.name` (cycles are unknown).
    func local(_ name: String) -> Value {
        if let v = localCache[name] { return v }
        guard let entry = module.locals[name] else { return .unknown("local.\(name) is not defined") }
        guard inProgress.insert(name).inserted else { return .unknown("local.\(name) refers to itself") }
        let saved = scopes
        scopes = []
        let v = evaluate(entry.attribute.expression)
        scopes = saved
        inProgress.remove(name)
        localCache[name] = v
        return v
    }

    /// Where the value of an expression was defined, when it is a plain `var.x` or `local.y` (followed through locals).
    func definition(of e: HCLExpression, seen: Set<String> = []) -> Origin.Definition? {
        var inner = e
        while case .parenthesized(let p) = inner.kind { inner = p }
        if case .template(let t) = inner.kind, t.parts.count == 1, case .interpolation(let i) = t.parts[0] { inner = i }
        guard case .getAttribute(let base, let name, _) = inner.kind, case .variable(let ns) = base.kind else { return nil }
        switch ns {
        case "var": return variable(name).definition
        case "local":
            guard !seen.contains(name), let entry = module.locals[name] else { return nil }
            return definition(of: entry.attribute.expression, seen: seen.union([name]))
                ?? Origin.Definition(
                    file: entry.file, range: entry.attribute.expression.range, description: "local.\(name)")
        default: return nil
        }
    }

    // MARK: Expressions

    /// Evaluates with extra names in scope (for-expression and dynamic-block iterators).
    func evaluate(_ e: HCLExpression, with bindings: [String: Value]) -> Value {
        scopes.append(bindings)
        defer { scopes.removeLast() }
        return evaluate(e)
    }

    private func lookup(_ name: String) -> Value? {
        for scope in scopes.reversed() { if let v = scope[name] { return v } }
        return nil
    }

    /// The work one module's evaluation may do (expressions evaluated), and the largest string or collection a
    /// value may hold: hostile input (strings doubled through locals, nested `for` over large lists) ends as an
    /// unknown value naming the limit instead of exhausting memory or time.
    static let maxSteps = 1_000_000
    static let maxStringBytes = 1 << 20
    static let maxElements = 100_000
    private var steps = 0

    func evaluate(_ e: HCLExpression) -> Value {
        steps += 1
        if steps > TerraformEvaluator.maxSteps { return .unknown("the module's evaluation budget (1,000,000 steps) is spent") }
        let value = evaluateUnbounded(e)
        switch value {
        case .string(let s) where s.utf8.count > TerraformEvaluator.maxStringBytes:
            return .unknown("a string over 1 MiB")
        case .list(let l) where l.count > TerraformEvaluator.maxElements:
            return .unknown("a list over 100,000 elements")
        case .map(let m) where m.count > TerraformEvaluator.maxElements:
            return .unknown("a map over 100,000 entries")
        default:
            return value
        }
    }

    private func evaluateUnbounded(_ e: HCLExpression) -> Value {
        depth += 1
        defer { depth -= 1 }
        if depth > TerraformEvaluator.maxDepth { return .unknown("expression too deep to evaluate") }
        switch e.kind {
        case .number(let t): return TerraformValue.number(t)
        case .bool(let b): return .bool(b)
        case .null: return .null
        case .template(let t): return template(t.parts, unwrap: true)
        case .variable(let name):
            if let v = lookup(name) { return v }
            return .reference(name)
        case .getAttribute(let base, let name, _):
            if case .variable(let ns) = base.kind, lookup(ns) == nil {
                switch ns {
                case "var": return variable(name).value
                case "local": return local(name)
                case "count": return .unknown("depends on count.\(name)")
                case "each": return .unknown("depends on each.\(name)")
                case "path": return .unknown("depends on path.\(name)")
                case "terraform": return .unknown("depends on terraform.\(name)")
                case "self": return .unknown("depends on self.\(name)")
                default: return .reference("\(ns).\(name)")
                }
            }
            return attribute(evaluate(base), name)
        case .index(let base, let index):
            return self.index(evaluate(base), evaluate(index))
        case .legacyIndex(let base, let i):
            return self.index(evaluate(base), .int(Int64(i)))
        case .splat(let base, _, let steps):
            let source = evaluate(base)
            if let u = unknownOf(source) { return u }
            let items: [Value]
            switch source {
            case .list(let l): items = l
            case .null: items = []
            default: items = [source]
            }
            return .list(
                items.map { item in
                    steps.reduce(item) { value, step in
                        switch step {
                        case .attribute(let name, _): return attribute(value, name)
                        case .index(let i): return index(value, evaluate(i))
                        }
                    }
                })
        case .call(let name, _, let argExprs, let expand):
            if name == "try" || name == "can" { return tryCall(name, argExprs) }
            var args = argExprs.map(evaluate)
            if expand, let last = args.last {
                guard case .list(let spread) = last else { return unknownOf(last) ?? .unknown("cannot expand a non-list argument") }
                args.removeLast()
                args += spread
            }
            return TerraformFunctions.call(name, args)
        case .tuple(let items):
            let values = items.map(evaluate)
            return .list(values)
        case .object(let items):
            var m = ValueMap()
            for item in items {
                let key: Value
                if item.keyIsIdentifier, case .variable(let name) = item.key.kind {
                    key = .string(name)
                } else {
                    key = evaluate(item.key)
                }
                guard let k = TerraformValue.string(key) else { return unknownOf(key) ?? .unknown("object key is not a string") }
                m[k] = evaluate(item.value)
            }
            return .map(m)
        case .forTuple(let intro, let value, let condition):
            return forEach(intro, condition: condition) { bindings in [self.evaluate(value, with: bindings)] }.map { .list($0) }
                ?? .unknown("depends on a for expression over unknown values")
        case .forObject(let intro, let keyExpr, let valueExpr, let group, let condition):
            var m = ValueMap()
            var ok = true
            _ = forEach(intro, condition: condition) { bindings -> [Value] in
                let k = self.evaluate(keyExpr, with: bindings)
                let v = self.evaluate(valueExpr, with: bindings)
                guard let key = TerraformValue.string(k) else {
                    ok = false
                    return []
                }
                if group {
                    m[key] = .list((m[key]?.listValue ?? []) + [v])
                } else {
                    m[key] = v
                }
                return []
            }
            return ok ? .map(m) : .unknown("depends on a for expression over unknown values")
        case .unary(let op, let operand):
            let v = evaluate(operand)
            if let u = unknownOf(v) { return u }
            switch (op, v) {
            case ("-", .int(let i)): return .int(-i)
            case ("-", .double(let d)): return .double(-d)
            case ("!", .bool(let b)): return .bool(!b)
            default: return .unknown("cannot apply \(op) to \(v.typeName)")
            }
        case .binary(let op, let l, let r):
            return binary(op, evaluate(l), evaluate(r))
        case .conditional(let c, let t, let f):
            let cond = evaluate(c)
            switch cond {
            case .bool(true): return evaluate(t)
            case .bool(false): return evaluate(f)
            default: return unknownOf(cond) ?? .unknown("the condition is not a bool")
            }
        case .parenthesized(let inner):
            return evaluate(inner)
        case .invalid:
            return .unknown("the expression does not parse")
        }
    }

    private func unknownOf(_ v: Value) -> Value? {
        switch v {
        case .unknown: return v
        case .reference(let r): return .unknown("depends on \(r)")
        default: return nil
        }
    }

    private func attribute(_ base: Value, _ name: String) -> Value {
        switch base {
        case .map(let m): return m[name] ?? .unknown("no attribute \(name)")
        case .reference(let r): return .reference("\(r).\(name)")
        case .unknown: return base
        default: return .unknown("cannot read .\(name) of \(base.typeName)")
        }
    }

    private func index(_ base: Value, _ key: Value) -> Value {
        switch (base, key) {
        case (.reference(let r), _):
            if let k = TerraformValue.string(key) {
                return .reference(key.stringValue != nil ? "\(r)[\"\(k)\"]" : "\(r)[\(k)]")
            }
            return .unknown("depends on \(r)")
        case (.unknown, _): return base
        case (_, .unknown): return key
        case (.list(let l), .int(let i)): return i >= 0 && i < l.count ? l[Int(i)] : .unknown("index \(i) out of range")
        case (.list(let l), .string(let s)):
            if let i = Int(s), i >= 0, i < l.count { return l[i] }
            return .unknown("invalid index \(s)")
        case (.map(let m), _):
            guard let k = TerraformValue.string(key) else { return .unknown("invalid key") }
            return m[k] ?? .unknown("no key \(k)")
        default: return unknownOf(key) ?? .unknown("cannot index \(base.typeName)")
        }
    }

    private func binary(_ op: String, _ l: Value, _ r: Value) -> Value {
        switch op {
        case "&&", "||":
            // A decided side decides, even when the other is unknown.
            if op == "&&", l == .bool(false) || r == .bool(false) { return .bool(false) }
            if op == "||", l == .bool(true) || r == .bool(true) { return .bool(true) }
            if let u = unknownOf(l) ?? unknownOf(r) { return u }
            guard case .bool(let a) = l, case .bool(let b) = r else { return .unknown("\(op) needs bools") }
            return .bool(op == "&&" ? a && b : a || b)
        default: break
        }
        if let u = unknownOf(l) ?? unknownOf(r) { return u }
        switch op {
        case "==": return .bool(equal(l, r))
        case "!=": return .bool(!equal(l, r))
        default: break
        }
        guard let a = number(l), let b = number(r) else { return .unknown("\(op) needs numbers") }
        switch op {
        case "<": return .bool(a < b)
        case "<=": return .bool(a <= b)
        case ">": return .bool(a > b)
        case ">=": return .bool(a >= b)
        case "+": return numberValue(a + b)
        case "-": return numberValue(a - b)
        case "*": return numberValue(a * b)
        case "/": return b == 0 ? .unknown("division by zero") : numberValue(a / b)
        case "%": return b == 0 ? .unknown("modulo by zero") : numberValue(a.truncatingRemainder(dividingBy: b))
        default: return .unknown("unknown operator \(op)")
        }
    }

    private func equal(_ l: Value, _ r: Value) -> Bool {
        if let a = number(l), let b = number(r) { return a == b }
        return l == r
    }

    private func number(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .string(let s): return Double(s)
        default: return nil
        }
    }

    private func numberValue(_ d: Double) -> Value {
        d == d.rounded() && abs(d) < 9e15 ? .int(Int64(d)) : .double(d)
    }

    private func template(_ parts: [HCLTemplatePart], unwrap: Bool) -> Value {
        if unwrap, parts.count == 1, case .interpolation(let e) = parts[0] { return evaluate(e) }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let s, _): out += s
            case .interpolation(let e):
                let v = evaluate(e)
                if let u = unknownOf(v) { return u }
                guard let s = TerraformValue.string(v) else { return .unknown("cannot convert \(v.typeName) to a string") }
                out += s
            case .ifDirective(let c, let then, let otherwise):
                switch evaluate(c) {
                case .bool(true):
                    guard case .string(let s) = template(then, unwrap: false) else { return .unknown("depends on a template directive") }
                    out += s
                case .bool(false):
                    if let otherwise {
                        guard case .string(let s) = template(otherwise, unwrap: false) else {
                            return .unknown("depends on a template directive")
                        }
                        out += s
                    }
                default: return .unknown("depends on a template condition")
                }
            case .forDirective(let keyName, let valueName, let collection, let body):
                guard
                    let pieces = forEach(
                        HCLForIntro(keyName: keyName, valueName: valueName, collection: collection), condition: nil,
                        { bindings in
                            self.scopes.append(bindings)
                            defer { self.scopes.removeLast() }
                            return [self.template(body, unwrap: false)]
                        })
                else { return .unknown("depends on a template for directive") }
                for p in pieces {
                    guard case .string(let s) = p else { return .unknown("depends on a template for directive") }
                    out += s
                }
            }
        }
        return .string(out)
    }

    /// Runs `body` for each element of a known collection; nil when the collection or a condition is unknown.
    private func forEach(_ intro: HCLForIntro, condition: HCLExpression?, _ body: ([String: Value]) -> [Value]) -> [Value]? {
        let collection = evaluate(intro.collection)
        var pairs: [(Value, Value)] = []
        switch collection {
        case .list(let l): pairs = l.enumerated().map { (.int(Int64($0.offset)), $0.element) }
        case .map(let m):
            pairs = m.entries.sorted { (TerraformValue.string($0.key) ?? "") < (TerraformValue.string($1.key) ?? "") }.map {
                ($0.key, $0.value)
            }
        default: return nil
        }
        var out: [Value] = []
        for (k, v) in pairs {
            // Nested loops over large collections stop when the module's budget is spent (the result is unknown).
            guard steps <= TerraformEvaluator.maxSteps else { return nil }
            var bindings: [String: Value] = [intro.valueName: v]
            if let keyName = intro.keyName { bindings[keyName] = k }
            if let condition {
                switch evaluate(condition, with: bindings) {
                case .bool(true): break
                case .bool(false): continue
                default: return nil
                }
            }
            out += body(bindings)
        }
        return out
    }

    /// `try(a, b, ...)`: the first argument that evaluates to a known value; `can(x)`: whether it does.
    private func tryCall(_ name: String, _ args: [HCLExpression]) -> Value {
        for a in args {
            let v = evaluate(a)
            if case .unknown(let why) = v, why.hasPrefix("depends on") { return v }
            if !v.isUnknown && !TerraformValue.isReference(v) { return name == "can" ? .bool(true) : v }
            if TerraformValue.isReference(v) { return name == "can" ? .unknown("depends on a reference") : v }
        }
        return name == "can" ? .bool(false) : .unknown("no argument of try() has a known value")
    }
}

extension String {
    /// The last path component.
    var lastPathComponent: String { split(separator: "/").last.map(String.init) ?? self }
}
