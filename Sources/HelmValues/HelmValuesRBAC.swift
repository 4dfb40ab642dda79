import PolicyModel
import TextCore

extension HelmValuesLanguage {
    /// A `helm.rbac` subject for every Role and ClusterRole the chart renders with these values.
    ///
    /// The value is `{kind, template, rules}`: `rules` as rendered, from the template's own text and the values lists it
    /// splices in (`rbac.rules`). Rules the values write point at their lines; the subject's header is the switch that
    /// renders the role (`rbac.create`), else the values file's first key, since the template itself is not judged.
    func rbacSubjects(
        _ roles: [RBACRole], tree: ValuesTree, file: String, prefix: String, header: SourceRange, context: [String: Value]
    ) -> [Subject] {
        var out: [Subject] = []
        var used: Set<String> = []
        for role in roles where role.gate.evaluate(tree.value) != false {
            guard let kind = role.kinds.first(where: { $0.1.evaluate(tree.value) != false })?.0 else { continue }
            var origins: [ValuePath: Origin] = [:]
            let key = ValuePath([.key("rules")])
            let rules = WorkloadView.resolve(
                role.rules.content, at: key, tree: tree, presets: [:], origins: &origins, from: role.template, within: role.rules.gate)
            var name = "\(kind.lowercased()):\(role.template)"
            var n = 2
            while used.contains(name) {
                name = "\(kind.lowercased()):\(role.template)#\(n)"
                n += 1
            }
            used.insert(name)
            // The RBAC switch of a condition such as `and .Values.controller.enabled .Values.controller.rbac.create`.
            func rank(_ p: ValuePath) -> (Int, Int) { (p.description.lowercased().contains("rbac") ? 0 : 1, -p.components.count) }
            let switchOrigin = role.gate.paths.sorted { rank($0) < rank($1) }.lazy.compactMap { tree.origins[$0] }.first
            var subjectFile = file
            var subjectHeader = header
            if let switchOrigin {
                subjectFile = switchOrigin.file
                subjectHeader = switchOrigin.keyRange ?? switchOrigin.range
            }
            out.append(
                Subject(
                    type: "helm.rbac", name: name, address: "\(prefix):\(name)", language: id, file: subjectFile,
                    headerRange: subjectHeader,
                    value: .map(
                        ValueMap([("kind", .string(kind)), ("template", .string(role.template)), ("rules", rules ?? .list([]))])),
                    origins: origins, path: .root, context: context))
        }
        return out
    }
}
