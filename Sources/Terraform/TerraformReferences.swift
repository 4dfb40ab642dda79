import HCLSyntax

/// The variables (`var.x`) and locals (`local.y`) that expressions name, read from their syntax trees.
///
/// A superset of what an evaluation reads: a name is counted wherever it is written (a branch not taken, a
/// for-variable that happens to be called `var` included), which is what deciding that a value cannot depend on
/// a variable needs.
struct TerraformReferences {
    /// The variables named.
    var variables: Set<String> = []
    /// The locals named.
    var locals: Set<String> = []

    /// The names in a block's body.
    init(naming body: HCLBody) {
        add(body)
    }

    /// The names in an expression.
    init(naming expression: HCLExpression) {
        add(expression)
    }

    /// No names.
    init() {}

    /// Adds the names in a block's body: attributes and nested blocks (`dynamic` ones included).
    mutating func add(_ body: HCLBody) {
        for item in body.items {
            switch item {
            case .attribute(let a): add(a.expression)
            case .block(let b): add(b.body)
            }
        }
    }

    /// Adds the names in an expression.
    mutating func add(_ e: HCLExpression) {
        switch e.kind {
        case .number, .bool, .null, .variable, .invalid:
            break
        case .template(let t):
            add(t.parts)
        case .getAttribute(let base, let name, _):
            if case .variable(let ns) = base.kind {
                if ns == "var" { variables.insert(name) }
                if ns == "local" { locals.insert(name) }
            }
            add(base)
        case .index(let base, let index):
            add(base)
            add(index)
        case .legacyIndex(let base, _):
            add(base)
        case .splat(let base, _, let steps):
            add(base)
            for case .index(let i) in steps { add(i) }
        case .call(_, _, let arguments, _):
            for a in arguments { add(a) }
        case .tuple(let items):
            for i in items { add(i) }
        case .object(let items):
            for i in items {
                add(i.key)
                add(i.value)
            }
        case .forTuple(let intro, let value, let condition):
            add(intro.collection)
            add(value)
            if let condition { add(condition) }
        case .forObject(let intro, let key, let value, _, let condition):
            add(intro.collection)
            add(key)
            add(value)
            if let condition { add(condition) }
        case .unary(_, let x), .parenthesized(let x):
            add(x)
        case .binary(_, let a, let b):
            add(a)
            add(b)
        case .conditional(let c, let a, let b):
            add(c)
            add(a)
            add(b)
        }
    }

    private mutating func add(_ parts: [HCLTemplatePart]) {
        for part in parts {
            switch part {
            case .literal: break
            case .interpolation(let e): add(e)
            case .ifDirective(let condition, let then, let otherwise):
                add(condition)
                add(then)
                if let otherwise { add(otherwise) }
            case .forDirective(_, _, let collection, let body):
                add(collection)
                add(body)
            }
        }
    }
}

extension TerraformModule {
    /// The variables and locals that values naming `refs` can read: the locals followed through locals (a cycle ends
    /// where it meets a local already followed). `memo` keeps each local's own references for the next call.
    func closure(of refs: TerraformReferences, memo: inout [String: TerraformReferences]) -> (
        variables: Set<String>, locals: Set<String>
    ) {
        var variables = refs.variables
        var locals: Set<String> = []
        var pending = Array(refs.locals)
        while let name = pending.popLast() {
            guard locals.insert(name).inserted, let entry = self.locals[name] else { continue }
            let inner = memo[name] ?? TerraformReferences(naming: entry.attribute.expression)
            memo[name] = inner
            variables.formUnion(inner.variables)
            pending += inner.locals
        }
        return (variables, locals)
    }
}
