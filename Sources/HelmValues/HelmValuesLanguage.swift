import PolicyModel
import TextCore
import YAMLSyntax

/// Helm chart values files: lowering into `helm.values`, `helm.workload`, `helm.credential` and `helm.rbac` subjects, and
/// the fix writer.
///
/// A unit is one chart: its `values.yaml` first, then override files, with
/// `Chart.yaml` as context. The base file is judged alone and each override
/// merged over it (one deployable configuration each); a finding points at
/// the file and line its value came from.
public struct HelmValuesLanguage: Language {
    /// The language id used in rule packs.
    public static let id = "helm-values"

    public var id: String { HelmValuesLanguage.id }
    public var commentPrefix: String { "#" }

    /// The chart layouts used when a chart's templates are not at hand.
    let layouts: ChartLayouts
    /// Workload shapes of charts' templates, by their text.
    let shapeCache = ShapeCache()
    /// The parse of each values file's latest versions: a chart's lowering and every fix planned on it read one text.
    let parsedFiles = RecentVersions<String, YAMLFile>(depth: 1, limit: 4)

    /// Creates the language; a team's `layouts` (the `helm:` section of `.goldpath.yaml`) come before the built-in ones.
    public init(layouts: Value? = nil) {
        self.layouts = layouts.map { ChartLayouts.builtin.preceded(by: ChartLayouts.read($0)) } ?? ChartLayouts.builtin
    }

    /// One deployable configuration: the base file plus at most one override.
    struct Configuration {
        var label: String?
        var tree: ValuesTree
        var file: String
    }

    /// The file's parse, shared by the lowering and the fix writer while its text is unchanged.
    func parsed(_ file: SourceText) -> YAMLFile {
        parsedFiles.value(file.path, text: file.text) { before in
            before.map { YAMLParser().parse(file, editing: $0.value) } ?? YAMLParser().parse(file)
        }
    }

    /// Parses every file and builds the configurations.
    func configurations(_ unit: AnalysisUnit) -> (configs: [Configuration], parsed: [String: YAMLFile], diagnostics: [SyntaxDiagnostic]) {
        var parsed: [String: YAMLFile] = [:]
        var diagnostics: [SyntaxDiagnostic] = []
        var trees: [(String, ValuesTree)] = []
        for file in unit.files {
            let yaml = self.parsed(file)
            parsed[file.path] = yaml
            for d in yaml.diagnostics {
                diagnostics.append(
                    SyntaxDiagnostic(
                        file: file.path, range: d.range, message: d.message, severity: d.kind == .duplicateKey ? .warning : .error))
            }
            if yaml.documents.count > 1 {
                diagnostics.append(
                    SyntaxDiagnostic(
                        file: file.path, range: yaml.documents[1].range,
                        message: "a values file holds one document; Helm reads only the first", severity: .warning))
            }
            if yaml.diagnostics.contains(where: { [.syntaxError, .aliasExpansionLimit, .nestingLimit].contains($0.kind) }) {
                // A file that does not parse judges nothing; its syntax error is reported.
                continue
            }
            if let root = yaml.root, root.entries == nil, !(root.scalar?.value.isEmpty ?? false) {
                diagnostics.append(
                    SyntaxDiagnostic(file: file.path, range: root.range, message: "a values file must be a mapping at the top level"))
                continue
            }
            trees.append((file.path, ValuesTree(file: file.path, root: yaml.root)))
        }
        guard let base = trees.first else { return ([], parsed, diagnostics) }
        var configs = [Configuration(label: nil, tree: base.1, file: base.0)]
        for (path, tree) in trees.dropFirst() {
            var merged = base.1
            merged.merge(tree)
            configs.append(Configuration(label: path.fileName, tree: merged, file: path))
        }
        return (configs, parsed, diagnostics)
    }

    public func lower(_ unit: AnalysisUnit) -> LoweredUnit {
        let (configs, parsed, diagnostics) = configurations(unit)
        let chart = HelmChart(unit.contextFiles.first { $0.path.fileName == "Chart.yaml" })
        var subjects: [Subject] = []
        let templates = chartTemplates(unit)
        let layout = layouts.layout(for: configs.first?.tree.value ?? .map(ValueMap()))
        for config in configs {
            let first = subjects.count
            defer {
                // A finding of a merged configuration whose value and subject sit in different files names the override.
                if let label = config.label {
                    for i in first..<subjects.count {
                        subjects[i].crossFileNote = "this holds when \(label) is merged over the base values"
                    }
                }
            }
            let prefix = config.label.map { "\(unit.name)@\($0)" } ?? unit.name
            let context: [String: Value] = ["chart": chart.value, "configuration": .string(config.label ?? "values.yaml")]
            let rootOrigin = config.tree.origins[.root] ?? Origin(file: config.file, range: .empty(at: 0))
            let header = firstKeyRange(parsed[config.file]) ?? rootOrigin.range
            subjects.append(
                Subject(
                    type: "helm.values", name: config.label ?? "values.yaml", address: prefix, language: id, file: config.file,
                    headerRange: header, value: config.tree.value, origins: config.tree.origins, path: .root, context: context))
            subjects += credentialSubjects(config.tree, file: config.file, prefix: prefix, context: context)
            subjects += rbacSubjects(
                templates.rbacRoles, tree: config.tree, file: config.file, prefix: prefix, header: header, context: context)
            var workloads: [(WorkloadShape, Subject)] = []
            for (name, shape) in shapes(templates.workloads, layout: layout, chart: chart, values: config.tree.value) {
                guard let view = WorkloadView(shape, tree: config.tree, presets: layouts.presets) else { continue }
                workloads.append(
                    (
                        shape,
                        workloadSubject(
                            name, shape, view, tree: config.tree, file: config.file, prefix: prefix, header: header, context: context)
                    ))
            }
            subjects += HelmValuesLanguage.anchorPodParts(workloads)
        }
        var comments: [SuppressionComment] = []
        for file in unit.files {
            guard let yaml = parsed[file.path] else { continue }
            comments += suppressionComments(yaml)
        }
        return LoweredUnit(subjects: subjects, diagnostics: diagnostics, comments: comments)
    }

    private func firstKeyRange(_ yaml: YAMLFile?) -> SourceRange? { yaml?.root?.entries?.first?.key.range }

    /// Comments that may be suppressions, each aimed at the line they govern.
    func suppressionComments(_ yaml: YAMLFile) -> [SuppressionComment] {
        SuppressionComment.targeting(yaml.comments.map { ($0.text, $0.range, $0.ownLine) }, in: yaml.source, file: yaml.source.path)
    }

    public func edits(for plan: FixPlan, subject: Subject, atPath: ValuePath?, in unit: AnalysisUnit) throws(FixWriteError) -> [FileEdits] {
        try HelmValuesFixWriter(language: self).edits(for: plan, subject: subject, at: atPath, in: unit)
    }
}
