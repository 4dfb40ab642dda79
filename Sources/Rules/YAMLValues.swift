import PolicyModel
import YAMLSyntax

/// Converts YAML nodes to ``Value`` with the YAML 1.2 core schema.
public enum YAMLValues {
    /// The value of a node (maps keep their order).
    public static func value(of node: YAMLNode, resolver: YAMLScalarResolver = YAMLScalarResolver()) -> Value {
        switch node.content {
        case .scalar(let s):
            switch resolver.resolve(s, tag: node.tag) {
            case .null: return .null
            case .bool(let b): return .bool(b)
            case .int(let i): return .int(i)
            case .double(let d): return .double(d)
            case .string(let t): return .string(t)
            }
        case .sequence(let items, _):
            return .list(items.map { value(of: $0, resolver: resolver) })
        case .mapping(let entries, _):
            var m = ValueMap()
            for e in entries {
                let key: Value
                if let s = e.key.scalar {
                    key = .string(s.value)
                } else {
                    key = .string(YAMLValues.value(of: e.key, resolver: resolver).canonical)
                }
                m[key] = value(of: e.value, resolver: resolver)
            }
            return .map(m)
        }
    }
}
