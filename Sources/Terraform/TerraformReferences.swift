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
    /// The variables a value written in `body` can read: those it names, and those of the locals it names,
    /// followed through locals. `memo` keeps each local's variables for the next block.
    func variablesRead(by body: HCLBody, memo: inout [String: Set<String>]) -> Set<String> {
        var refs = TerraformReferences()
        refs.add(body)
        var out = refs.variables
        for name in refs.locals { out.formUnion(variablesRead(byLocal: name, memo: &memo, visiting: []).variables) }
        return out
    }

    /// A local's variables, and whether they are complete: a local met again while it is being followed (a cycle)
    /// adds nothing there, and what was found under it is not kept in `memo`.
    private func variablesRead(byLocal name: String, memo: inout [String: Set<String>], visiting: Set<String>) -> (
        variables: Set<String>, complete: Bool
    ) {
        if let known = memo[name] { return (known, true) }
        guard let entry = locals[name] else { return ([], true) }
        guard !visiting.contains(name) else { return ([], false) }
        var refs = TerraformReferences()
        refs.add(entry.attribute.expression)
        var out = refs.variables
        var complete = true
        for other in refs.locals {
            let found = variablesRead(byLocal: other, memo: &memo, visiting: visiting.union([name]))
            out.formUnion(found.variables)
            complete = complete && found.complete
        }
        if complete || visiting.isEmpty { memo[name] = out }
        return (out, complete)
    }
}
