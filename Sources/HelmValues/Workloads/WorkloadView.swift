import PolicyModel
import TextCore

/// A workload's value in goldpath's vocabulary for one configuration, with the origin of every part and where each role is written.
struct WorkloadView {
    /// What rules see as `self`.
    var value: Value
    /// Origins relative to the workload.
    var origins: [ValuePath: Origin]
    /// For each resolved role, the values path a fix writes it under.
    var documentPaths: [ValuePath: ValuePath]

    /// Roles whose `enabled` switch is the chart's, not a Kubernetes field.
    private static let switchedRoles: Set<String> = [
        "securityContext", "podSecurityContext", "livenessProbe", "readinessProbe", "startupProbe",
    ]

    /// Roles that say whether the chart renders an object for the pod; a fix turns one on at its switch.
    private static let switchedObjects: Set<String> = ["podDisruptionBudget", "networkPolicy"]

    /// The view of `shape` over a merged values tree, or nil when the chart does not render the container.
    init?(_ shape: WorkloadShape, tree: ValuesTree, presets: [String: Value]) {
        let values = tree.value
        guard shape.gate.evaluate(values) != false else { return nil }
        var map = values.value(at: shape.base)?.mapValue ?? ValueMap()
        var origins: [ValuePath: Origin] = [:]
        if shape.base.isRoot {
            origins = tree.origins
        } else {
            for (p, o) in tree.origins(under: shape.base) {
                origins[ValuePath(Array(p.components.dropFirst(shape.base.components.count)))] = o
            }
        }
        // A finding about something missing goes to the subject's header, not to the whole values document.
        if shape.base.isRoot { origins[.root] = nil }
        // The origins under each role's key, found once: every role is removed (and rewritten) below.
        var underRole: [PathComponent: [ValuePath]] = [:]
        for p in origins.keys { if let first = p.components.first { underRole[first, default: []].append(p) } }
        var documentPaths: [ValuePath: ValuePath] = [:]
        for role in WorkloadShape.roles {
            let key = ValuePath([.key(role)])
            guard let sources = shape.roles[role] else {
                if shape.rolesAreComplete { WorkloadView.remove(key, from: &map, origins: &origins, paths: underRole[.key(role)] ?? []) }
                continue
            }
            WorkloadView.remove(key, from: &map, origins: &origins, paths: underRole[.key(role)] ?? [])
            let chosen = sources.first { $0.gate.evaluate(values) != false }
            // An object the chart renders under a switch (a NetworkPolicy) is turned on by writing `true` to the switch.
            let write =
                chosen?.writePath ?? sources.lazy.compactMap(\.writePath).first
                ?? (WorkloadView.switchedObjects.contains(role)
                    ? sources.lazy.compactMap { $0.gate.failingSwitches(values).first ?? $0.gate.switchPath }.first : nil)
            if let write { documentPaths[key] = write }
            guard let content = chosen?.content else {
                // Not rendered: findings about it point at the switch that turned it off, else at where it would be written.
                if let write,
                    let o = WorkloadView.switchOrigin(write, tree) ?? WorkloadView.presetOrigin(sources, tree) ?? tree.origins[write]
                {
                    origins[key] = o
                }
                continue
            }
            if var v = WorkloadView.resolve(
                content, at: key, tree: tree, presets: presets, origins: &origins, from: shape.origin, within: chosen?.gate ?? .always)
            {
                if WorkloadView.switchedRoles.contains(role), var m = v.mapValue {
                    m["enabled"] = nil
                    v = .map(m)
                }
                map[role] = v
            }
            // A value the template writes itself under a switch of its own (`{{ if .Values.operator.hostNetwork }}`, not
            // the condition that renders the whole container) is the doing of the innermost one.
            if let chosen, origins[key] == nil, case .literal = chosen.content,
                let o = chosen.gate.paths.reversed().lazy.filter({ !shape.gate.paths.contains($0) }).compactMap({ tree.origins[$0] }).first
            {
                origins[key] = Origin(file: o.file, range: o.keyRange ?? o.range, keyRange: o.keyRange)
            }
            // A part rendered from a later source because the conditions of the earlier ones failed (`pdb.create: false`)
            // points at the first of those conditions that the values write.
            if let chosen, origins[key] == nil, let index = sources.firstIndex(of: chosen),
                let o = sources[..<index].lazy.flatMap({ $0.gate.failingSwitches(values) + $0.gate.paths }).compactMap({ tree.origins[$0] })
                    .first
            {
                origins[key] = Origin(file: o.file, range: o.keyRange ?? o.range, keyRange: o.keyRange)
            }
        }
        value = .map(map)
        self.origins = origins
        self.documentPaths = documentPaths
    }

    /// The value a role's content renders, recording where each part of it was written; `within` is the condition the
    /// whole part is rendered under (an item's own switches are the ones beyond it).
    static func resolve(
        _ content: RoleSource.Content, at key: ValuePath, tree: ValuesTree, presets: [String: Value], origins: inout [ValuePath: Origin],
        from origin: String, within: TemplateCondition = .always
    ) -> Value? {
        switch content {
        case .values(let path):
            for (p, o) in tree.origins(under: path) {
                origins[key.appending(ValuePath(Array(p.components.dropFirst(path.components.count))))] = o
            }
            return tree.value.value(at: path)
        case .preset(let path, _):
            guard let name = tree.value.value(at: path)?.stringValue, let preset = presets[name] else { return nil }
            if let o = tree.origins[path] { point(preset, at: key, to: o, into: &origins) }
            return preset
        case .literal(let v):
            return v
        case .fields(let fields):
            var m = ValueMap()
            for f in fields where f.gate.evaluate(tree.value) != false {
                m[f.key] = resolve(
                    f.content, at: key.appending(key: f.key), tree: tree, presets: presets, origins: &origins, from: origin, within: within)
            }
            return .map(m)
        case .items(let items):
            var list: [Value] = []
            for item in items where item.gate.evaluate(tree.value) != false {
                if item.key == "+", case .values(let path) = item.content {
                    // The list's findings point at the values list spliced in (`extraVolumes:`), the part a user writes,
                    // when it renders something.
                    if origins[key] == nil, tree.value.value(at: path)?.listValue?.isEmpty == false, let o = tree.origins[path] {
                        origins[key] = o
                    }
                    for (i, v) in (tree.value.value(at: path)?.listValue ?? []).enumerated() {
                        let element = key.appending(.index(list.count))
                        let from = path.appending(.index(i))
                        for (p, o) in tree.origins(under: from) {
                            origins[element.appending(ValuePath(Array(p.components.dropFirst(from.components.count))))] = o
                        }
                        list.append(v)
                    }
                } else {
                    let element = key.appending(.index(list.count))
                    // An item the template writes under a values switch of its own (`if .Values.mounts.varlog`, not the
                    // condition of the whole part) is the doing of the innermost one.
                    if let o = item.gate.paths.reversed().lazy.filter({ !within.paths.contains($0) }).compactMap({ tree.origins[$0] }).first
                    {
                        origins[element] = Origin(file: o.file, range: o.keyRange ?? o.range, keyRange: o.keyRange)
                    }
                    list.append(
                        resolve(item.content, at: element, tree: tree, presets: presets, origins: &origins, from: origin, within: within)
                            ?? .unknown("\(element) is rendered by \(origin)"))
                }
            }
            return .list(list)
        case .unknown:
            return .unknown("\(key) is rendered by \(origin) from several values")
        }
    }

    /// The origin of an `enabled: false` that switches a part off.
    private static func switchOrigin(_ path: ValuePath, _ tree: ValuesTree) -> Origin? {
        let flag = path.appending(key: "enabled")
        guard tree.value.value(at: flag) == .bool(false), let o = tree.origins[flag] else { return nil }
        return Origin(file: o.file, range: o.keyRange ?? o.range, keyRange: o.keyRange)
    }

    /// The origin of a `resourcesPreset: none` that leaves a container without resources.
    private static func presetOrigin(_ sources: [RoleSource], _ tree: ValuesTree) -> Origin? {
        for case .preset(let path, _) in sources.map(\.content) where tree.value.value(at: path) == .string("none") {
            if let o = tree.origins[path] { return Origin(file: o.file, range: o.keyRange ?? o.range, keyRange: o.keyRange) }
        }
        return nil
    }

    /// Removes a role's value and its origins (`paths`: the origins' paths under the role's key).
    private static func remove(_ key: ValuePath, from map: inout ValueMap, origins: inout [ValuePath: Origin], paths: [ValuePath]) {
        map[key.lastKey!] = nil
        for p in paths { origins[p] = nil }
    }

    /// Every path of a rendered preset points at the preset's name.
    private static func point(_ value: Value, at path: ValuePath, to origin: Origin, into origins: inout [ValuePath: Origin]) {
        origins[path] = origin
        for (k, v) in value.mapValue?.entries ?? [] {
            if let key = k.stringValue { point(v, at: path.appending(key: key), to: origin, into: &origins) }
        }
    }
}
