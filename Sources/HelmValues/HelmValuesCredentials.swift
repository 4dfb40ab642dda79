import PolicyModel
import TextCore

extension HelmValuesLanguage {
    /// Key fragments that may name a credential; the rule pack decides which of them hold one.
    static let credentialKeyFragments = [
        "password", "passwd", "secret", "token", "apikey", "api_key", "api-key", "privatekey", "private_key",
        "credential",
    ]

    /// The fragments as UTF-8 bytes, for keys in ASCII.
    private static let credentialKeyFragmentBytes = credentialKeyFragments.map { Array($0.utf8) }

    /// Whether a key contains one of `credentialKeyFragments`, in any case. Values files have thousands of keys:
    /// an ASCII key is compared by bytes, without lowercasing it into a new string.
    static func mayNameCredential(_ key: String) -> Bool {
        guard key.utf8.allSatisfy({ $0 < 0x80 }) else {
            let lower = key.lowercased()
            return credentialKeyFragments.contains { lower.containsBytes($0) }
        }
        let lower = key.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
        return credentialKeyFragmentBytes.contains { fragment in
            guard fragment.count <= lower.count else { return false }
            return (0...(lower.count - fragment.count)).contains { start in
                fragment.indices.allSatisfy { lower[start + $0] == fragment[$0] }
            }
        }
    }

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
                    if case .string(let text) = v, !text.isEmpty, HelmValuesLanguage.mayNameCredential(key), !text.containsBytes("{{"),
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
