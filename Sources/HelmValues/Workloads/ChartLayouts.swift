import PolicyModel
import TextCore
import YAMLSyntax
import YAMLValues

/// How a family of charts lays out a workload in its values, for charts whose templates are not at hand.
///
/// Layouts are data in the same YAML a team writes under `helm.layouts` in
/// `.goldpath.yaml` (see the README); the built-in ones describe `helm create`,
/// bitnami and prometheus-community charts. A chart is read with the first
/// layout whose `detect` paths occur anywhere in its base values.
struct ChartLayout: Sendable, Hashable {
    /// The layout's name, shown as the origin of its workloads.
    var name: String
    /// Paths that mark a chart of this layout when any map in the values holds one; empty matches every chart.
    var detect: [ValuePath]
    /// Chart repositories (substrings of a dependency's `repository`) whose charts use this layout, so a subchart's
    /// section is read with it whatever the parent happens to set there.
    var repositories: [String] = []
    /// A map is a workload when it holds one of these keys (`image` only when it is a string or names a repository).
    var workloads: [String]
    /// A key that switches a workload or a context off when it is `false` (bitnami's `enabled`).
    var switchKey: String?
    /// For each role, the paths it is read from, relative to the workload (first one present wins); `/` starts from the values root.
    var roles: [String: [String]]

    /// Whether the chart's base values look like this layout.
    func detects(_ values: Value) -> Bool {
        detect.isEmpty || detect.contains { ChartLayout.occurs($0, in: values) }
    }

    private static func occurs(_ path: ValuePath, in value: Value) -> Bool {
        if value.value(at: path) != nil { return true }
        switch value {
        case .map(let m): return m.entries.contains { occurs(path, in: $0.value) }
        case .list(let l): return l.contains { occurs(path, in: $0) }
        default: return false
        }
    }

    /// The workloads of a values tree in this layout, under `section` (a subchart's values; `/` paths start there),
    /// leaving out the sections in `skipping`.
    func shapes(in values: Value, section: ValuePath = .root, skipping: Set<ValuePath> = []) -> [WorkloadShape] {
        var out: [WorkloadShape] = []
        guard let start = values.value(at: section) else { return [] }
        collect(start, at: section, values: values, section: section, skipping: skipping, into: &out)
        return out
    }

    private func collect(
        _ value: Value, at path: ValuePath, values: Value, section: ValuePath, skipping: Set<ValuePath>, into out: inout [WorkloadShape]
    ) {
        guard !skipping.contains(path) else { return }
        switch value {
        case .map(let m):
            if isWorkload(m) { out.append(shape(at: path, map: m, values: values, section: section)) }
            for (k, v) in m.entries {
                guard case .string(let key) = k, !WorkloadShape.roles.contains(key), !roleKeys.contains(key) else { continue }
                collect(v, at: path.appending(key: key), values: values, section: section, skipping: skipping, into: &out)
            }
        case .list(let items):
            for (i, v) in items.enumerated() {
                collect(v, at: path.appending(.index(i)), values: values, section: section, skipping: skipping, into: &out)
            }
        default:
            break
        }
    }

    private var roleKeys: Set<String> { Set(roles.values.flatMap { $0 }.filter { !$0.hasPrefix("/") }) }

    private func isWorkload(_ m: ValueMap) -> Bool {
        workloads.contains { key in
            guard let v = m[key] else { return false }
            guard key == "image" else { return v.mapValue != nil }
            switch v {
            case .string: return true
            case .map(let im): return im["repository"] != nil || im["name"] != nil
            default: return false
            }
        }
    }

    private func shape(at base: ValuePath, map: ValueMap, values root: Value, section: ValuePath) -> WorkloadShape {
        var gate = TemplateCondition.always
        if let switchKey { gate = .not(.equals(base.appending(key: switchKey), .bool(false))) }
        var sources: [String: [RoleSource]] = [:]
        for (role, candidates) in roles {
            let paths = candidates.map {
                $0.hasPrefix("/") ? ValuePath(parsing: String($0.dropFirst())) : base.appending(ValuePath(parsing: $0))
            }
            let chosen = paths.first { root.value(at: $0) != nil } ?? paths.first!
            var roleGate = TemplateCondition.always
            if let switchKey, role != "resourcesPreset", role != "image" {
                roleGate = .not(.equals(chosen.appending(key: switchKey), .bool(false)))
            }
            if role == "resourcesPreset" { continue }
            sources[role] = [RoleSource(gate: roleGate, content: .values(chosen))]
        }
        if let preset = roles["resourcesPreset"]?.first {
            let presetPath = base.appending(ValuePath(parsing: preset))
            let write = sources["resources"]?.first?.writePath ?? base.appending(key: "resources")
            sources["resources"] = [
                RoleSource(gate: .truthy(write), content: .values(write)),
                RoleSource(gate: .not(.equals(presetPath, .string("none"))), content: .preset(presetPath, write: write)),
            ]
        }
        return WorkloadShape(
            base: base, container: nil, origin: name, kind: nil, isInit: false, gate: gate, roles: sources, rolesAreComplete: false,
            appVersionTag: (sources["image"]?.first?.writePath ?? base.appending(key: "image")) == ValuePath([.key("image")]))
    }
}

/// The chart layouts and resource presets in force: the built-in ones, after any a team declares.
struct ChartLayouts: Sendable, Hashable {
    /// Layouts in the order they are tried.
    var layouts: [ChartLayout]
    /// What a named `resourcesPreset` renders (bitnami's `common.resources.preset`).
    var presets: [String: Value]

    /// The layout a chart's base values are read with.
    func layout(for values: Value) -> ChartLayout? { layouts.first { $0.detects(values) } }

    /// The layout a dependency's section is read with: the one its chart repository names, else the one its values look like.
    func layout(for dependency: HelmChart.Dependency, values: Value) -> ChartLayout? {
        let repository = dependency.repository
        return layouts.first { layout in !repository.isEmpty && layout.repositories.contains { repository.contains($0) } }
            ?? layout(for: values)
    }

    /// Reads layouts written as YAML (the built-in document, or a team's `helm:` section).
    static func read(_ value: Value) -> ChartLayouts {
        var layouts: [ChartLayout] = []
        for item in value.value(at: "layouts")?.listValue ?? [] {
            guard let m = item.mapValue, let name = m["name"]?.stringValue else { continue }
            var roles: [String: [String]] = [:]
            for (k, v) in m["roles"]?.mapValue?.entries ?? [] {
                guard let role = k.stringValue else { continue }
                roles[role] = v.stringValue.map { [$0] } ?? (v.listValue ?? []).compactMap(\.stringValue)
            }
            layouts.append(
                ChartLayout(
                    name: name, detect: (m["detect"]?.listValue ?? []).compactMap(\.stringValue).map { ValuePath(parsing: $0) },
                    repositories: (m["repositories"]?.listValue ?? []).compactMap(\.stringValue),
                    workloads: (m["workloads"]?.listValue ?? []).compactMap(\.stringValue), switchKey: m["switch"]?.stringValue,
                    roles: roles))
        }
        var presets: [String: Value] = [:]
        for (k, v) in value.value(at: "resource_presets")?.mapValue?.entries ?? [] {
            if let name = k.stringValue { presets[name] = v }
        }
        return ChartLayouts(layouts: layouts, presets: presets)
    }

    /// The team's layouts first, then the built-in ones; presets merge, the team's winning.
    func preceded(by team: ChartLayouts) -> ChartLayouts {
        ChartLayouts(layouts: team.layouts + layouts, presets: presets.merging(team.presets) { _, t in t })
    }

    /// The built-in layouts.
    static let builtin: ChartLayouts = {
        let doc = YAMLParser().parse(SourceText(path: "builtin-chart-layouts.yaml", text: builtinDocument))
        return read(doc.root.map { YAMLValueReader().value(of: $0) } ?? .null)
    }()

    /// The built-in layouts as a team would write them.
    static let builtinDocument = """
        layouts:
          # bitnami: contexts under containerSecurityContext / podSecurityContext, each switched by `enabled`;
          # a workload without its own image (primary, readReplicas) runs the image at the values root.
          - name: bitnami
            detect: [containerSecurityContext.enabled, podSecurityContext.enabled, resourcesPreset]
            repositories: [bitnamicharts, charts.bitnami.com]
            workloads: [containerSecurityContext, podSecurityContext, resourcesPreset]
            switch: enabled
            roles:
              image: [image, /image]
              securityContext: containerSecurityContext
              podSecurityContext: podSecurityContext
              resources: resources
              resourcesPreset: resourcesPreset
              serviceAccountAutomount: /serviceAccount.automountServiceAccountToken
              volumes: extraVolumes
              replicas: [replicaCount, replicas]
              podDisruptionBudget: [pdb.create, /pdb.create]
              networkPolicy: [networkPolicy.enabled, /networkPolicy.enabled]
          # prometheus-community: the pod's context is `securityContext`, the container's `containerSecurityContext`.
          - name: prometheus-community
            detect: [containerSecurityContext]
            workloads: [image]
            roles:
              securityContext: containerSecurityContext
              podSecurityContext: securityContext
              serviceAccountAutomount: [/serviceAccount.automountServiceAccountToken, /serviceAccount.automount]
              replicas: [replicaCount, replicas]
              podDisruptionBudget: podDisruptionBudget
              networkPolicy: [networkPolicy.enabled, networkPolicy]
          # helm create: every map holding an image; `securityContext` is the container's, `podSecurityContext` the pod's.
          - name: helm-create
            workloads: [image]
            roles:
              serviceAccountAutomount: /serviceAccount.automount
              replicas: [replicaCount, replicas]
        resource_presets:
          nano: {requests: {cpu: 100m, memory: 128Mi, ephemeral-storage: 50Mi}, limits: {cpu: 150m, memory: 192Mi, ephemeral-storage: 2Gi}}
          micro: {requests: {cpu: 250m, memory: 256Mi, ephemeral-storage: 50Mi}, limits: {cpu: 375m, memory: 384Mi, ephemeral-storage: 2Gi}}
          small: {requests: {cpu: 500m, memory: 512Mi, ephemeral-storage: 50Mi}, limits: {cpu: 750m, memory: 768Mi, ephemeral-storage: 2Gi}}
          medium: {requests: {cpu: 500m, memory: 1024Mi, ephemeral-storage: 50Mi}, limits: {cpu: 750m, memory: 1536Mi, ephemeral-storage: 2Gi}}
          large: {requests: {cpu: "1.0", memory: 2048Mi, ephemeral-storage: 50Mi}, limits: {cpu: "1.5", memory: 3072Mi, ephemeral-storage: 2Gi}}
          xlarge: {requests: {cpu: "1.0", memory: 3072Mi, ephemeral-storage: 50Mi}, limits: {cpu: "3.0", memory: 6144Mi, ephemeral-storage: 2Gi}}
          2xlarge: {requests: {cpu: "1.0", memory: 3072Mi, ephemeral-storage: 50Mi}, limits: {cpu: "6.0", memory: 12288Mi, ephemeral-storage: 2Gi}}
        """
}

extension HelmValuesLanguage {
    /// The roles a chart layout may map (`.goldpath.yaml` `helm.layouts[].roles`).
    public static let layoutRoles: [String] = WorkloadShape.roles + ["resourcesPreset"]
}
