import PolicyModel
import TextCore
import YAMLSyntax

/// The one reader of YAML nodes into ``Value``s: rule packs, the config and Helm values all go through it.
///
/// Scalars are typed by `resolver` (YAML 1.2 core, or with YAML 1.1 booleans as Helm reads values); maps
/// keep their order; a complex key becomes its canonical text. With `origins`, where every path's value
/// was written is recorded too (a value reached through an alias at the alias, not at the shared anchor).
public struct YAMLValueReader: Sendable {
    /// How scalars are typed.
    public var resolver: YAMLScalarResolver

    /// Creates a reader.
    public init(resolver: YAMLScalarResolver = YAMLScalarResolver()) { self.resolver = resolver }

    /// The value of a node.
    public func value(of node: YAMLNode) -> Value {
        var none: [ValuePath: Origin]?
        return read(node, path: .root, file: "", origins: &none)
    }

    /// The value of a node written in `file`, with the origin of every path below `path` recorded.
    public func value(of node: YAMLNode, at path: ValuePath = .root, file: String, origins: inout [ValuePath: Origin]) -> Value {
        var recorded: [ValuePath: Origin]? = origins
        let value = read(node, path: path, file: file, origins: &recorded)
        origins = recorded ?? origins
        return value
    }

    private func read(_ node: YAMLNode, path: ValuePath, file: String, origins: inout [ValuePath: Origin]?) -> Value {
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
            var out: [Value] = []
            for (i, item) in items.enumerated() {
                let p = path.appending(.index(i))
                origins?[p] = Origin(file: file, range: item.range)
                out.append(read(item, path: p, file: file, origins: &origins))
            }
            return .list(out)
        case .mapping(let entries, _):
            var m = ValueMap()
            for e in entries {
                var none: [ValuePath: Origin]?
                let key = e.key.scalar?.value ?? read(e.key, path: .root, file: file, origins: &none).canonical
                let p = path.appending(key: key)
                origins?[p] = Origin(file: file, range: e.value.aliasRange ?? e.value.range, keyRange: e.key.range)
                m[.string(key)] = read(e.value, path: p, file: file, origins: &origins)
            }
            return .map(m)
        }
    }
}

/// The value of a node with the YAML 1.2 core schema (rule packs, the config).
public enum YAMLValues {
    /// The value of a node (maps keep their order).
    public static func value(of node: YAMLNode) -> Value { YAMLValueReader().value(of: node) }
}
