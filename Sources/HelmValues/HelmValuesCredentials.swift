import PolicyModel
import TextCore

extension HelmValuesLanguage {
    /// Key fragments that may name a credential; the rule pack decides which of them hold one.
    static let credentialKeyFragments = [
        "password", "passwd", "secret", "token", "apikey", "api_key", "api-key", "privatekey", "private_key",
        "credential",
    ]

    /// A `helm.credential` subject for every non-empty string whose key may name a credential, written in `file`.
    ///
    /// The value is `{key, value, path}`; `value` points at the scalar, so a finding lands on the literal.
    /// Template expressions (`{{ … }}`) are left out: they are rendered, not literal.
    func credentialSubjects(_ tree: ValuesTree, file: String, prefix: String, context: [String: Value]) -> [Subject] {
        var out: [Subject] = []
        func walk(_ value: Value, _ path: ValuePath) {
            switch value {
            case .map(let m):
                for (k, v) in m.entries {
                    guard case .string(let key) = k else { continue }
                    let p = path.appending(key: key)
                    if case .string(let text) = v, !text.isEmpty, !text.contains("{{"),
                        HelmValuesLanguage.credentialKeyFragments.contains(where: key.lowercased().contains),
                        let origin = tree.origins[p], origin.file == file
                    {
                        let name = p.description
                        out.append(
                            Subject(
                                type: "helm.credential", name: name, address: "\(prefix):credential:\(name)", language: id, file: file,
                                headerRange: origin.keyRange ?? origin.range,
                                value: .map(ValueMap([("key", .string(key)), ("value", v), ("path", .string(name))])),
                                origins: ["value": origin, "key": Origin(file: file, range: origin.keyRange ?? origin.range)], path: p,
                                context: context))
                    }
                    walk(v, p)
                }
            case .list(let items):
                for (i, v) in items.enumerated() { walk(v, path.appending(.index(i))) }
            default:
                break
            }
        }
        walk(tree.value, .root)
        return out
    }
}
