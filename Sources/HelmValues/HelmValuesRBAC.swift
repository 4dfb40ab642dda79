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
            var origins: [ValuePath: Origin] = [:]
            let key = ValuePath([.key("rules")])
            let rules = WorkloadView.resolve(role.rules.content, at: key, tree: tree, presets: [:], origins: &origins, from: role.template)
            var name = "\(role.kind.lowercased()):\(role.template)"
            var n = 2
            while used.contains(name) {
                name = "\(role.kind.lowercased()):\(role.template)#\(n)"
                n += 1
            }
            used.insert(name)
            let switchOrigin = role.gate.paths.lazy.compactMap { tree.origins[$0] }.first
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
                        ValueMap([("kind", .string(role.kind)), ("template", .string(role.template)), ("rules", rules ?? .list([]))])),
                    origins: origins, path: .root, context: context))
        }
        return out
    }
}
