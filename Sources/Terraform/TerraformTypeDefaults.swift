import HCLSyntax
import PolicyModel

/// A variable's value converted to its declared type the way Terraform converts it: an `object({...})` attribute
/// declared `optional(T, D)` and absent from the value gets `D`, one declared `optional(T)` gets `null`; lists,
/// sets, maps and tuples of objects are converted element by element. Without this, a module's
/// `var.encryption_config.resources` (declared `optional(list(string), ["secrets"])`, default `{}`) would not exist.
struct TerraformTypeDefaults {
    /// Evaluates a default's expression (`D` in `optional(T, D)`).
    let evaluate: (HCLExpression) -> Value

    /// `value` converted to the type `type` (a type constraint expression).
    func apply(_ type: HCLExpression, to value: Value, depth: Int = 0) -> Value {
        guard depth < 64 else { return value }
        guard case .call(let name, _, let arguments, _) = type.kind else { return value }
        switch (name, value) {
        case ("optional", _):
            guard let inner = arguments.first else { return value }
            return apply(inner, to: value, depth: depth + 1)
        case ("object", .map(var map)):
            guard let spec = arguments.first, case .object(let attributes) = spec.kind else { return value }
            for attribute in attributes {
                guard let key = attribute.key.kind.variableName ?? literalKey(attribute.key) else { continue }
                if let present = map[key] {
                    map[key] = apply(attribute.value, to: present, depth: depth + 1)
                } else if case .call("optional", _, let optional, _) = attribute.value.kind, let inner = optional.first {
                    map[key] = optional.count > 1 ? apply(inner, to: evaluate(optional[1]), depth: depth + 1) : .null
                }
            }
            return .map(map)
        case ("list", .list(let items)), ("set", .list(let items)):
            guard let element = arguments.first else { return value }
            return .list(items.map { apply(element, to: $0, depth: depth + 1) })
        case ("map", .map(let map)):
            guard let element = arguments.first else { return value }
            var out = ValueMap()
            for (k, v) in map.entries { out[k] = apply(element, to: v, depth: depth + 1) }
            return .map(out)
        case ("tuple", .list(let items)):
            guard let spec = arguments.first, case .tuple(let types) = spec.kind else { return value }
            return .list(items.enumerated().map { i, v in i < types.count ? apply(types[i], to: v, depth: depth + 1) : v })
        default:
            return value
        }
    }

    private func literalKey(_ e: HCLExpression) -> String? {
        if case .template(let t) = e.kind, let s = t.literal { return s }
        return nil
    }
}
