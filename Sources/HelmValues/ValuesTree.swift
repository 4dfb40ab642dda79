import Foundation
import PolicyModel
import TextCore
import YAMLSyntax
import YAMLValues

/// A values document as a ``Value`` plus the origin of every path, merged the way Helm merges `-f` files.
struct ValuesTree {
    var value: Value
    var origins: [ValuePath: Origin] {
        didSet { descendants = DescendantIndex() }
    }
    /// The origins' paths under each path, built on first use and dropped whenever `origins` changes.
    private var descendants = DescendantIndex()

    /// The origins at `path` and below it, as (path, origin) pairs in no particular order.
    ///
    /// A workload's view asks this for every role of every container; scanning all origins each time cost a lowering
    /// pass over the whole values file per role.
    func origins(under path: ValuePath) -> [(path: ValuePath, origin: Origin)] {
        if path.isRoot { return origins.map { ($0.key, $0.value) } }
        return descendants.origins(under: path, of: origins)
    }

    /// Values are typed as Helm reads them: YAML 1.1 booleans (`yes`, `on`) included.
    static let reader = YAMLValueReader(resolver: YAMLScalarResolver(yaml11Booleans: true))

    /// Reads one parsed values file.
    init(file: String, root: YAMLNode?) {
        origins = [:]
        value = .map(ValueMap())
        guard let root else { return }
        origins[.root] = Origin(file: file, range: root.range)
        value = ValuesTree.reader.value(of: root, file: file, origins: &origins)
    }

    /// Deep-merges `override` over this tree: maps merge, a `null` deletes the key, anything else replaces.
    ///
    /// A deleted key keeps the origin of the `null` that deleted it, so a rule
    /// that needs the key points at the line that removed it.
    mutating func merge(_ override: ValuesTree) {
        guard case .map(let over) = override.value else { return }
        value = merged(value, over, at: .root, override)
    }

    private mutating func merged(_ base: Value, _ over: ValueMap, at path: ValuePath, _ source: ValuesTree) -> Value {
        var result = base.mapValue ?? ValueMap()
        for (k, v) in over.entries {
            guard case .string(let key) = k else { continue }
            let p = path.appending(key: key)
            if case .map(let sub) = v, case .map(let existing) = result[key] ?? .null {
                // An empty map (`resources: {}`) says nothing: the map the override writes is where its content comes from.
                if existing.entries.isEmpty, !sub.entries.isEmpty, let o = source.origins[p] {
                    origins[p] = o
                } else if let o = source.origins[p] {
                    origins[p] = Origin(
                        file: origins[p]?.file ?? o.file, range: origins[p]?.range ?? o.range, keyRange: origins[p]?.keyRange ?? o.keyRange)
                }
                result[key] = merged(result[key]!, sub, at: p, source)
                continue
            }
            removeOrigins(under: p)
            if v == .null {
                result[key] = nil
                if let o = source.origins[p] { origins[p] = o }
            } else {
                result[key] = v
                for (op, o) in source.origins where op.hasPrefix(p) { origins[op] = o }
            }
        }
        return .map(result)
    }

    private mutating func removeOrigins(under p: ValuePath) {
        for key in origins.keys where key.hasPrefix(p) { origins[key] = nil }
    }
}

/// For each path that has origins at or below it, those origins' paths; computed once per set of origins.
final class DescendantIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var index: [ValuePath: [(path: ValuePath, origin: Origin)]]?

    /// The entries of `origins` whose path `path` is a prefix of.
    func origins(under path: ValuePath, of origins: [ValuePath: Origin]) -> [(path: ValuePath, origin: Origin)] {
        lock.withLock {
            if index == nil {
                var built: [ValuePath: [(path: ValuePath, origin: Origin)]] = [:]
                for (p, o) in origins {
                    for depth in 0..<p.components.count {
                        built[ValuePath(Array(p.components.prefix(depth + 1))), default: []].append((p, o))
                    }
                }
                index = built
            }
            return index?[path] ?? []
        }
    }
}
