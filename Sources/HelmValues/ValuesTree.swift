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

/// The origins of a values tree sorted by path, so the origins at and below any path are one run of them; sorted
/// once per set of origins, on first use.
///
/// Paths are ordered component by component, a path before its extensions: the paths under a prefix then follow
/// it without a gap. A map from every prefix to its descendants cost a new path and a hash insert per prefix of
/// every origin, on every lowering of a re-checked values file.
final class DescendantIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var sorted: [(path: ValuePath, origin: Origin)]?

    /// The entries of `origins` whose path `path` is a prefix of.
    func origins(under path: ValuePath, of origins: [ValuePath: Origin]) -> [(path: ValuePath, origin: Origin)] {
        lock.withLock {
            if sorted == nil { sorted = origins.map { ($0.key, $0.value) }.sorted { Self.precedes($0.path, $1.path) } }
            let all = sorted!
            var low = 0
            var high = all.count
            while low < high {
                let middle = (low + high) / 2
                if Self.precedes(all[middle].path, path) { low = middle + 1 } else { high = middle }
            }
            var end = low
            while end < all.count, all[end].path.hasPrefix(path) { end += 1 }
            return Array(all[low..<end])
        }
    }

    /// Whether `a` comes before `b`: at the first component where they differ an index before a key, indices by
    /// number and keys by text; when one is a prefix of the other, the shorter first.
    static func precedes(_ a: ValuePath, _ b: ValuePath) -> Bool {
        let n = min(a.components.count, b.components.count)
        for i in 0..<n {
            switch (a.components[i], b.components[i]) {
            case (.index(let x), .index(let y)): if x != y { return x < y }
            case (.key(let x), .key(let y)): if x != y { return x < y }
            case (.index, .key): return true
            case (.key, .index): return false
            }
        }
        return a.components.count < b.components.count
    }
}
