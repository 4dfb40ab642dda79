import Foundation
import PolicyModel
import TextCore

/// What a chart's templates render that the lowering judges: its containers and its RBAC roles.
struct ChartTemplates: Sendable {
    /// The containers, one shape each.
    var workloads: [WorkloadShape] = []
    /// The Roles and ClusterRoles.
    var rbacRoles: [RBACRole] = []
}

/// A Role or ClusterRole a chart's template renders.
struct RBACRole: Sendable {
    /// `Role` or `ClusterRole`, each under the condition that renders that kind; the first that holds is rendered.
    var kinds: [(String, TemplateCondition)]
    /// The template that renders it, relative to the chart.
    var template: String
    /// It is rendered only when this holds.
    var gate: TemplateCondition
    /// What its `rules` are rendered from.
    var rules: RoleSource
}

/// The templates' findings by the templates' text, so re-checking a chart after a fix does not re-read its templates.
final class ShapeCache: @unchecked Sendable {
    private let lock = NSLock()
    private var shapes: [SourceTextsKey: ChartTemplates] = [:]
    private let limit = 64

    func shapes(_ key: SourceTextsKey, _ compute: () -> ChartTemplates) -> ChartTemplates {
        if let hit = lock.withLock({ shapes[key] }) { return hit }
        let computed = compute()
        lock.withLock {
            if shapes.count >= limit { shapes.removeAll(keepingCapacity: true) }
            shapes[key] = computed
        }
        return computed
    }
}

extension HelmValuesLanguage {
    /// Whether a context file is one of the chart's templates (its own, or a vendored subchart's helpers).
    static func isTemplate(_ path: String) -> Bool {
        (path.hasPrefix("templates/") || path.containsBytes("/templates/")) && !path.hasSuffix(".txt")
    }

    /// The containers and RBAC roles the chart's own templates render; empty when the chart has no templates.
    func chartTemplates(_ unit: AnalysisUnit) -> ChartTemplates {
        let templates = unit.contextFiles.filter { HelmValuesLanguage.isTemplate($0.path) }
        guard !templates.isEmpty else { return ChartTemplates() }
        return shapeCache.shapes(SourceTextsKey(templates)) {
            let scanner = ChartTemplateScanner(templates)
            let chartDir = unit.name.isEmpty ? "" : unit.name + "/"
            var out: [WorkloadShape] = []
            let scans = templates.map { ($0, TemplateKinds.mustScan($0.text) ? scanner.scan($0) : .nothing) }
            let serviceAccount = scans.flatMap(\.1.serviceAccountAutomount)
            let bindings = scans.flatMap(\.1.serviceAccountBindings)
            // A chart's own templates first, so a container is attributed to the object that renders it, not to the helper.
            for (file, scan) in scans.sorted(by: { !$0.0.path.fileName.hasPrefix("_") && $1.0.path.fileName.hasPrefix("_") }) {
                let relative = file.path.hasPrefix(chartDir) ? String(file.path.dropFirst(chartDir.count)) : file.path
                guard relative.hasPrefix("templates/") else { continue }
                for var shape in scan.workloads
                where !out.contains(where: { $0.base == shape.base && $0.roles == shape.roles }) {
                    if !serviceAccount.isEmpty { shape.roles["serviceAccountAutomount"] = serviceAccount }
                    // The chart grants the pod's ServiceAccount RBAC rules: the workload calls the Kubernetes API.
                    let bound = bindings.filter { $0.account == shape.serviceAccount }
                    if !bound.isEmpty {
                        shape.roles["serviceAccountRBAC"] = bound.map { RoleSource(gate: $0.gate, content: .literal(.bool(true))) }
                    }
                    out.append(shape)
                }
            }
            // A container inside a named template is rendered where the template is included: the copy inlined there
            // (with the conditions around it) stands for it, and one that nothing includes is never rendered.
            let referenced = ChartTemplateScanner.referencedTemplates(in: templates.map(\.text))
            let inlined = out.filter { $0.definedIn == nil }
            out.removeAll { shape in
                guard let name = shape.definedIn else { return false }
                return !referenced.contains(name) || inlined.contains { $0.container == shape.container && $0.base == shape.base }
            }
            var roles: [RBACRole] = []
            for (file, scan) in scans {
                let relative = file.path.hasPrefix(chartDir) ? String(file.path.dropFirst(chartDir.count)) : file.path
                guard relative.hasPrefix("templates/") else { continue }
                roles += scan.rbacRoles.map {
                    RBACRole(kinds: $0.kinds, template: relative, gate: $0.gate, rules: RoleSource(gate: $0.gate, content: $0.rules))
                }
            }
            let workloads = HelmValuesLanguage.matchPodPolicies(scans.flatMap(\.1.podPolicies), to: out).map { shape in
                var shape = shape
                shape.unreadPaths = shape.ignoredPaths()
                return shape
            }
            return ChartTemplates(workloads: workloads, rbacRoles: roles)
        }
    }

    /// Gives each pod the PodDisruptionBudgets and NetworkPolicies the chart renders for it, as the roles
    /// `podDisruptionBudget` and `networkPolicy`: true under the object's condition, else false.
    ///
    /// A policy belongs to the pods of the workload whose values map holds its switch: the condition's path with a key
    /// naming the kind (`pdb`, `podDisruptionBudget`, `networkPolicy`) directly under a workload's map
    /// (`primary.pdb.create` → `primary`, `pdb.create` → the root; `alertmanager.networkPolicy.enabled` → no pod when no
    /// workload is at `alertmanager`). A policy whose condition names no such switch, or a switch at the root of a chart
    /// with no workload there, belongs to every pod.
    static func matchPodPolicies(_ policies: [(kind: String, gate: TemplateCondition)], to shapes: [WorkloadShape]) -> [WorkloadShape] {
        guard !policies.isEmpty else { return shapes }
        let bases = Set(shapes.map(\.base))
        var podBases: [String: Set<ValuePath>] = [:]
        for s in shapes { if let pod = s.pod { podBases[pod, default: []].insert(s.base) } }
        let keywords = ["PodDisruptionBudget": ["pdb", "disruption"], "NetworkPolicy": ["networkpolicy"]]
        /// `nil`: every pod; `.some(nil)`: no pod.
        func owner(_ kind: String, _ gate: TemplateCondition) -> ValuePath?? {
            let words = keywords[kind] ?? []
            let switches = gate.paths.filter { path in
                path.components.contains { c in
                    guard case .key(let k) = c else { return false }
                    return words.contains { k.lowercased().contains($0) }
                }
            }
            guard let path = switches.max(by: { $0.components.count < $1.components.count }) else { return .none }
            let base = bases.filter { path.hasPrefix($0) && path != $0 }.max { $0.components.count < $1.components.count }
            guard let base, case .key(let next) = path.components[base.components.count],
                words.contains(where: { next.lowercased().contains($0) })
            else { return .some(nil) }
            // A switch at the values root of a chart with no workload there is the chart's, for every pod.
            if base.isRoot, !bases.contains(.root) { return .none }
            return base
        }
        let owned = policies.map { (kind: $0.kind, gate: $0.gate, owner: owner($0.kind, $0.gate)) }
        return shapes.map { shape in
            guard let pod = shape.pod, let mine = podBases[pod] else { return shape }
            var shape = shape
            for (kind, role) in [("PodDisruptionBudget", "podDisruptionBudget"), ("NetworkPolicy", "networkPolicy")] {
                let matched = owned.filter { policy in
                    guard policy.kind == kind else { return false }
                    guard let owner = policy.owner else { return true }
                    return owner.map(mine.contains) ?? false
                }
                guard !matched.isEmpty else { continue }
                shape.roles[role] =
                    matched.map { RoleSource(gate: $0.gate, content: .literal(.bool(true))) }
                    + [RoleSource(gate: .always, content: .literal(.bool(false)))]
            }
            return shape
        }
    }

    /// The workloads of one configuration: the templates' when they render any, else the chart layout's; then those of
    /// each enabled dependency's section, found with the layout its values look like and judged only on what they set.
    func shapes(_ templateShapes: [WorkloadShape], layout: ChartLayout?, chart: HelmChart, values: Value) -> [(String, WorkloadShape)] {
        let sections = chart.dependencies.map { ValuePath([.key($0.valuesKey)]) }
        var shapes = templateShapes.isEmpty ? (layout?.shapes(in: values, skipping: Set(sections)) ?? []) : templateShapes
        for dependency in chart.dependencies where HelmValuesLanguage.isEnabled(dependency, in: values) {
            let section = ValuePath([.key(dependency.valuesKey)])
            guard let sectionValues = values.value(at: section), sectionValues.mapValue != nil,
                let sectionLayout = layouts.layout(for: dependency, values: sectionValues)
            else { continue }
            for var shape in sectionLayout.shapes(in: values, section: section) {
                shape.partial = true
                shape.origin = "the \(dependency.name) subchart (\(sectionLayout.name) layout)"
                shapes.append(shape)
            }
        }
        var used: Set<String> = []
        var out: [(String, WorkloadShape)] = []
        for shape in shapes {
            // A container the template names is part of the subject's name, so a finding says which container it is about.
            var name = shape.base.isRoot ? "root" : shape.base.description
            if let container = shape.container { name += "/" + container }
            var n = 2
            let stem = name
            while used.contains(name) {
                name = "\(stem)#\(n)"
                n += 1
            }
            used.insert(name)
            out.append((name, shape))
        }
        return out
    }

    /// Whether a dependency is enabled: Helm reads the first path of its `condition` that is set; none set means enabled.
    static func isEnabled(_ dependency: HelmChart.Dependency, in values: Value) -> Bool {
        for path in (dependency.condition ?? "").split(separator: ",") {
            let p = ValuePath(parsing: path.trimmingCharacters(in: .whitespaces))
            if let v = values.value(at: p), v != .null { return TemplateCondition.isTruthy(v) }
        }
        return true
    }

    /// The `helm.workload` subject of one container in one configuration.
    func workloadSubject(
        _ name: String, _ shape: WorkloadShape, _ view: WorkloadView, tree: ValuesTree, file: String, prefix: String, header: SourceRange,
        context: [String: Value]
    ) -> Subject {
        var header = header
        var subjectFile = file
        if shape.base.isRoot {
            let imagePath = shape.roles["image"]?.lazy.compactMap(\.writePath).first ?? ValuePath([.key("image")])
            let image = tree.origins[imagePath]
            if let image, let key = image.keyRange {
                header = key
                subjectFile = image.file
            }
        } else if let origin = tree.origins[shape.base] {
            header = origin.keyRange ?? origin.range
            subjectFile = origin.file
        }
        var context = context
        context["workload"] = .map(
            ValueMap([
                ("from", .string(shape.origin)), ("container", shape.container.map(Value.string) ?? .null),
                ("kind", .string(shape.kind ?? "")),
                ("init", .bool(shape.isInit)), ("partial", .bool(shape.partial)),
                ("appVersionTag", .bool(shape.appVersionTag)),
                ("templates", .bool(shape.rolesAreComplete)),
            ]))
        var subject = Subject(
            type: "helm.workload", name: name, address: "\(prefix):\(name)", language: id, file: subjectFile, headerRange: header,
            value: view.value, origins: view.origins, path: shape.base, context: context)
        subject.documentPaths = view.documentPaths
        subject.unreadPaths = shape.unreadPaths
        return subject
    }

    /// The parts of a pod every container's subject shares (its volumes, say) that the template writes itself have no
    /// line in the values; they are anchored at the header of the pod's first main container, so a finding about one
    /// is reported once for the pod rather than once per container.
    static func anchorPodParts(_ workloads: [(WorkloadShape, Subject)]) -> [Subject] {
        var anchors: [String: Origin] = [:]
        for (shape, subject) in workloads where !shape.isInit {
            if let pod = shape.pod, anchors[pod] == nil {
                anchors[pod] = Origin(file: subject.file, range: subject.headerRange, keyRange: subject.headerRange)
            }
        }
        return workloads.map { shape, subject in
            guard let pod = shape.pod, let anchor = anchors[pod] else { return subject }
            var subject = subject
            for role in WorkloadShape.podRoles where subject.origins[ValuePath([.key(role)])] == nil {
                guard subject.value.mapValue?[role] != nil else { continue }
                subject.origins[ValuePath([.key(role)])] = anchor
            }
            return subject
        }
    }
}
