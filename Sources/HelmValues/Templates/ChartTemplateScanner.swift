import PolicyModel
import TextCore
import YAMLSyntax

/// Finds the containers a chart's templates render and the values each of their parts is read from.
///
/// Every `containers:` / `initContainers:` list item in a template is a
/// container; its `image`, `securityContext`, `resources` and probes, and its
/// pod's `securityContext`, host namespaces and service account, are traced to
/// the `.Values` paths on their lines (directly, through `with`, or through an
/// `include` of a named template defined in the chart) and to the `if`/`with`
/// conditions around them.
struct ChartTemplateScanner {
    /// A named template's body: the values paths it reads and the templates it includes with the root context.
    private struct Definition {
        var refs: [ValuePath]
        var includes: [String]
        var mentionsAppVersion = false
    }

    /// One `key:` line of the outline.
    private struct KeyEntry {
        var name: String
        var column: Int
        var parent: Int?
        var document: Int
        var gate: TemplateCondition
        var refs: [ValuePath] = []
        /// Whether any of `refs` was read on the key's own line (rather than in its block).
        var refsOnKeyLine = false
        var literal: String
        var blockLiteral: [String] = []
        var blockHasActions = false
        /// Whether the line renders the chart's appVersion (an image tag that defaults to it).
        var mentionsAppVersion = false
        /// The output actions written on the key's own line (`name: {{ include "x.serviceAccountName" . }}`).
        var keyLineActions: [String] = []
    }

    /// How `.` reads inside the current block.
    private enum Dot: Equatable {
        case root
        case values(ValuePath)
        case unknown
    }

    /// One open control block.
    private struct Control {
        enum Kind { case branch, with, range, define, other }
        var kind: Kind
        var earlier: [TemplateCondition] = []
        var current: TemplateCondition = .always
        var dot: Dot?

        var gate: TemplateCondition {
            earlier.reduce(current) { $0.and(.not($1)) }
        }
    }

    private var definitions: [String: Definition] = [:]
    /// Named templates whose whole body is `if C` around a literal (`true`): including one is as truthy as C.
    private var switches: [String: TemplateCondition] = [:]
    private let inliner: TemplateInliner

    /// Reads the named templates of every file (`_helpers.tpl`, a vendored library chart's helpers).
    init(_ files: [SourceText]) {
        inliner = TemplateInliner(files)
        for file in files where TemplateKinds.definesTemplate(file.text) { collectDefinitions(TemplateText(file.text)) }
    }

    /// A Role or ClusterRole a template renders.
    struct RBACRoleScan {
        /// `Role` or `ClusterRole`, each under the condition that renders that kind; the first that holds is rendered.
        var kinds: [(String, TemplateCondition)]
        /// The role is rendered only when this holds.
        var gate: TemplateCondition
        /// What its `rules` are rendered from.
        var rules: RoleSource.Content
    }

    /// What one template renders that the lowering reads, from a single pass over its outline.
    struct Scan {
        /// The containers it renders.
        var workloads: [WorkloadShape]
        /// What the `automountServiceAccountToken` of the ServiceAccounts it renders is read from.
        var serviceAccountAutomount: [RoleSource]
        /// The ServiceAccounts it binds RBAC roles to (the `subjects` of its RoleBindings and ClusterRoleBindings), each as
        /// the identity of its name (see `accountIdentity`) and the condition under which the binding is rendered.
        var serviceAccountBindings: [(gate: TemplateCondition, account: String)]
        /// The PodDisruptionBudgets and NetworkPolicies it renders (by literal `kind`), each with its condition.
        var podPolicies: [(kind: String, gate: TemplateCondition)]
        /// The Roles and ClusterRoles it renders.
        var rbacRoles: [RBACRoleScan]

        /// The scan of a template that renders nothing the lowering reads.
        static let nothing = Scan(workloads: [], serviceAccountAutomount: [], serviceAccountBindings: [], podPolicies: [], rbacRoles: [])
    }

    /// Reads one template.
    func scan(_ file: SourceText) -> Scan {
        let (entries, skipped, definitions) = outline(of: file)
        return Scan(
            workloads: shapes(entries, skipping: skipped, file: file.path).map { shape in
                var shape = shape
                shape.definedIn = shape.pod.flatMap { pod in Int(pod.split(separator: "#").last ?? "").flatMap { definitions[$0] } }
                return shape
            },
            serviceAccountAutomount: serviceAccountAutomount(entries, skipping: skipped),
            serviceAccountBindings: serviceAccountBindings(entries),
            podPolicies: entries.compactMap { e in
                guard e.name == "kind", e.parent == nil, !skipped.contains(e.document),
                    ["PodDisruptionBudget", "NetworkPolicy"].contains(e.literal)
                else { return nil }
                return (e.literal, e.gate)
            },
            rbacRoles: rbacRoles(entries, skipping: skipped))
    }

    private func serviceAccountAutomount(_ entries: [KeyEntry], skipping skipped: Set<Int>) -> [RoleSource] {
        var out: [RoleSource] = []
        for (i, e) in entries.enumerated()
        where e.name == "automountServiceAccountToken" && e.parent == nil && !skipped.contains(e.document) {
            guard kind(of: e.document, in: entries) == "ServiceAccount" else { continue }
            out.append(RoleSource(gate: e.gate, content: content(i, role: "serviceAccountAutomount", entries: entries)))
        }
        return out
    }

    private func serviceAccountBindings(_ entries: [KeyEntry]) -> [(gate: TemplateCondition, account: String)] {
        var out: [(gate: TemplateCondition, account: String)] = []
        for (i, e) in entries.enumerated() where e.name == "name" {
            guard let item = e.parent, entries[item].name == "-", let list = entries[item].parent, entries[list].name == "subjects",
                entries[list].parent == nil, isRoleBinding(e.document, in: entries),
                entries.contains(where: { $0.parent == item && $0.name == "kind" && $0.literal.unquoted == "ServiceAccount" }),
                let account = accountIdentity(entries[i])
            else { continue }
            out.append((e.gate, account))
        }
        return out
    }

    private func rbacRoles(_ entries: [KeyEntry], skipping skipped: Set<Int>) -> [RBACRoleScan] {
        var out: [RBACRoleScan] = []
        for (i, e) in entries.enumerated() where e.name == "rules" && e.parent == nil && !skipped.contains(e.document) {
            // The template may pick the kind with `if`/`else` around `kind:` lines, or in one action
            // (`ternary "ClusterRole" "Role" .Values.rbac.clusterWide`, read as the wider one).
            let kinds: [(String, TemplateCondition)] = entries.filter {
                $0.document == e.document && $0.name == "kind" && $0.parent == nil
            }.compactMap { kind in
                let written = [kind.literal] + kind.keyLineActions
                if written.contains(where: { $0 == "ClusterRole" || $0.containsBytes("\"ClusterRole\"") }) {
                    return ("ClusterRole", kind.gate)
                }
                if written.contains(where: { $0 == "Role" || $0.containsBytes("\"Role\"") }) { return ("Role", kind.gate) }
                return nil
            }
            guard !kinds.isEmpty else { continue }
            out.append(RBACRoleScan(kinds: kinds, gate: e.gate, rules: content(i, role: "rules", entries: entries)))
        }
        return out
    }

    /// Whether a document renders a RoleBinding or ClusterRoleBinding, also when the template picks between them
    /// (`kind: {{ ternary "ClusterRoleBinding" "RoleBinding" .Values.rbac.clusterWideAccess }}`).
    private func isRoleBinding(_ document: Int, in entries: [KeyEntry]) -> Bool {
        guard let kind = entries.first(where: { $0.document == document && $0.name == "kind" && $0.parent == nil }) else { return false }
        return ([kind.literal] + kind.keyLineActions).contains { $0.hasSuffix("RoleBinding") || $0.containsBytes("RoleBinding\"") }
    }

    /// The named templates the texts include (`include "x"`, `template "x"`).
    static func referencedTemplates(in texts: [String]) -> Set<String> {
        var out: Set<String> = []
        for text in texts {
            for verb in ["include \"", "template \""] {
                var rest = text[...]
                while let start = rest.firstByteRange(of: verb) {
                    rest = rest[start.upperBound...]
                    if let end = rest.closingQuote { out.insert(String(rest[..<end])) }
                }
            }
        }
        return out
    }

    /// The condition of a named template's body that is `if C`, a literal (`true`, or text), `end`; nil for any other body.
    static func switchCondition(_ body: [String]) -> String? {
        guard body.count == 3, body[0].hasPrefix("if "), body[1] == "true", body[2] == "end" else { return nil }
        return String(body[0].dropFirst(3))
    }

    /// What names a ServiceAccount on a key line, comparable between a pod and a binding: the named template that
    /// renders the name (`include` or `template`), else the values paths it reads, else the literal name.
    private func accountIdentity(_ e: KeyEntry) -> String? {
        if !e.literal.isEmpty { return "name " + e.literal.unquoted }
        for action in e.keyLineActions {
            for verb in ["include \"", "template \""] {
                guard let start = action.firstByteRange(of: verb) else { continue }
                let rest = action[start.upperBound...]
                if let end = rest.firstIndex(of: "\"") { return "template " + rest[..<end] }
            }
        }
        let paths = e.refs.map(\.description)
        return paths.isEmpty ? nil : "values " + paths.joined(separator: ",")
    }

    /// The outline of a template's key lines, the documents that are `helm test` pods, and the named template whose
    /// body each `define` document is.
    private func outline(of file: SourceText) -> (entries: [KeyEntry], skipped: Set<Int>, definitions: [Int: String]) {
        var definitions: [Int: String] = [:]
        let text = TemplateText(inliner.inline(file.text))
        var entries: [KeyEntry] = []
        var outline: [Int] = []
        var controls: [Control] = []
        var document = 0
        var testDocuments: Set<Int> = []
        var variables: [String: TemplateCondition] = [:]
        var blockScalar: Int?
        for line in text.lines where !line.continuation {
            // The text of a `|` or `>` block (a config file in a ConfigMap) is not part of the outline.
            if let column = blockScalar {
                if line.outside.trimmingSpaces.isEmpty && line.actions.isEmpty || line.indent > column { continue }
                blockScalar = nil
            }
            // `helm test` pods are run by hand, not deployed.
            if line.outside.containsBytes("helm.sh/hook"), line.outside.containsBytes("test") { testDocuments.insert(document) }
            if line.actions.isEmpty && line.outside.trimmingSpaces == "---" {
                document += 1
                outline = []
                continue
            }
            let key = line.key
            var owner: Int?
            if let key {
                // The conditions this line is under (the line's own actions come after its key).
                let current = gate(controls)
                if let dash = key.dash {
                    // A sequence may sit at its key's own indentation (`containers:` then `- name:` below it).
                    while let top = outline.last,
                        entries[top].column > dash || (entries[top].column == dash && !opensSequence(entries[top]))
                    {
                        outline.removeLast()
                    }
                } else {
                    while let top = outline.last, entries[top].column >= key.column { outline.removeLast() }
                    // A key after the `end` of a list item the template writes only under a condition (a sidecar)
                    // belongs, when that item is not rendered, to the item before it that is rendered whenever this key is.
                    if let top = outline.last, entries[top].name == "-", entries[top].gate != current,
                        let sibling = entries.indices.last(where: {
                            $0 < top && entries[$0].name == "-" && entries[$0].parent == entries[top].parent
                                && entries[$0].column == entries[top].column && entries[$0].gate == current
                        })
                    {
                        outline[outline.count - 1] = sibling
                    }
                }
                if let dash = key.dash {
                    entries.append(
                        KeyEntry(name: "-", column: dash, parent: outline.last, document: document, gate: current, literal: ""))
                    outline.append(entries.count - 1)
                }
                let literal = line.literalAfterKey
                entries.append(
                    KeyEntry(
                        name: key.name, column: key.column, parent: outline.last, document: document, gate: current,
                        literal: line.actions.isEmpty ? literal : ""))
                outline.append(entries.count - 1)
                owner = entries.count - 1
                if let first = literal.first, first == "|" || first == ">" { blockScalar = key.dash ?? key.column }
            } else if !line.outside.trimmingSpaces.isEmpty {
                while let top = outline.last, entries[top].column >= line.indent { outline.removeLast() }
                if let top = outline.last { entries[top].blockLiteral.append(line.outside) }
            }
            for action in line.actions {
                // A named template's body is read as a document of its own (a pod spec in a helper).
                let entersDefinition = action.text.hasPrefix("define ")
                let leavesDefinition = action.text == "end" && controls.last?.kind == .define
                if apply(control: action.text, to: &controls, variables: variables) {
                    if entersDefinition || leavesDefinition {
                        document += 1
                        outline = []
                    }
                    if entersDefinition, let name = TemplateConditionParser.tokens(action.text).dropFirst().first {
                        definitions[document] = String(name.dropFirst().dropLast())
                    }
                    continue
                }
                if let (name, expression) = assignment(action.text) {
                    // `$needsInit := and .Values.a.enabled .Values.b` is a condition a later `if $needsInit` reads.
                    variables[name] = parser(controls, variables).parse(expression)
                    continue
                }
                // Tokenised once: the place it writes at, what it reads and whether it renders the app version.
                let tokens = TemplateConditionParser.tokens(action.text)
                let target: Int? = owner ?? owning(outline, entries, column: nindent(tokens) ?? line.indent)
                guard let target else { continue }
                let found = refs(of: action.text, tokens: tokens, dot: dot(controls))
                if owner != nil { entries[target].keyLineActions.append(action.text) }
                if mentionsAppVersion(action.text, tokens: tokens) { entries[target].mentionsAppVersion = true }
                entries[target].refs += found
                if owner == nil { entries[target].blockHasActions = true } else if !found.isEmpty { entries[target].refsOnKeyLine = true }
                for ancestor in ancestors(of: target, in: entries) where ancestor != target {
                    entries[ancestor].blockHasActions = true
                }
            }
            if key == nil, line.actions.contains(where: { !isControl($0.text) }) {
                for open in outline { entries[open].blockHasActions = true }
            }
        }
        return (entries, testDocuments, definitions)
    }

    // MARK: - Shapes

    private func shapes(_ entries: [KeyEntry], skipping skipped: Set<Int>, file: String) -> [WorkloadShape] {
        var out: [WorkloadShape] = []
        for (index, list) in entries.enumerated()
        where (list.name == "containers" || list.name == "initContainers") && !skipped.contains(list.document)
            && ChartTemplateScanner.rendersPods(kind(of: list.document, in: entries))
        {
            let podKeys = entries.indices.filter { entries[$0].parent == list.parent && entries[$0].document == list.document }
            var podRoles: [String: [RoleSource]] = [:]
            var serviceAccount: String?
            for k in podKeys {
                let e = entries[k]
                if e.name == "serviceAccountName" || e.name == "serviceAccount" { serviceAccount = accountIdentity(e) }
                let role: String? =
                    switch e.name {
                    case "securityContext": "podSecurityContext"
                    case "hostNetwork", "hostPID", "hostIPC", "automountServiceAccountToken", "serviceAccountName", "volumes",
                        "affinity", "topologySpreadConstraints":
                        e.name
                    default: nil
                    }
                guard let role else { continue }
                podRoles[role, default: []].append(RoleSource(gate: e.gate, content: content(k, role: role, entries: entries)))
            }
            // The controller's `replicas` (`spec.replicas` beside the pod template) of a Deployment or StatefulSet.
            for k in entries.indices
            where entries[k].name == "replicas" && entries[k].document == list.document
                && entries[k].parent.map({ entries[$0].name == "spec" && entries[$0].parent == nil }) == true
            {
                podRoles["replicas", default: []].append(
                    RoleSource(gate: entries[k].gate, content: content(k, role: "replicas", entries: entries)))
            }
            for item in entries.indices where entries[item].parent == index && entries[item].name == "-" {
                var roles = podRoles
                var name: String?
                var appVersionTag = false
                for k in entries.indices where entries[k].parent == item {
                    let e = entries[k]
                    if e.name == "name", !e.literal.isEmpty { name = e.literal.unquoted }
                    if e.name == "image", e.mentionsAppVersion { appVersionTag = true }
                    guard
                        ["image", "securityContext", "resources", "livenessProbe", "readinessProbe", "startupProbe", "ports"].contains(
                            e.name)
                    else {
                        continue
                    }
                    roles[e.name, default: []].append(RoleSource(gate: e.gate, content: content(k, role: e.name, entries: entries)))
                }
                guard roles["image"] != nil else { continue }
                // A preset's explicit values are the `resources` the same container reads (`initResources`, say).
                if let sources = roles["resources"],
                    let explicit = sources.lazy.compactMap({ s -> ValuePath? in
                        if case .values(let p) = s.content { return p }
                        return nil
                    }).first
                {
                    roles["resources"] = sources.map { s in
                        guard case .preset(let p, _) = s.content else { return s }
                        return RoleSource(gate: s.gate, content: .preset(p, write: explicit))
                    }
                }
                let own = ["securityContext", "resources", "livenessProbe", "readinessProbe", "startupProbe"].flatMap { roles[$0] ?? [] }
                var base = commonPrefix(own.compactMap(\.writePath).map(\.parent))
                if base == nil || base!.isRoot, let image = roles["image"]?.compactMap(\.writePath).first {
                    base = base ?? image.parent
                }
                out.append(
                    WorkloadShape(
                        base: base ?? .root, container: name, origin: file, kind: kind(of: list.document, in: entries),
                        isInit: list.name == "initContainers",
                        gate: list.gate.and(entries[item].gate), roles: roles, rolesAreComplete: true, appVersionTag: appVersionTag,
                        serviceAccount: serviceAccount, pod: "\(file)#\(list.document)"))
            }
        }
        return out
    }

    /// Whether objects of a kind run containers: the workload kinds, and a kind the template computes.
    static func rendersPods(_ kind: String?) -> Bool {
        guard let kind else { return true }
        return ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod", "ReplicationController"].contains(kind)
    }

    /// The literal `kind:` of a template document (nil when the template computes it).
    private func kind(of document: Int, in entries: [KeyEntry]) -> String? {
        let kind = entries.first { $0.document == document && $0.name == "kind" && $0.parent == nil }?.literal
        return kind?.isEmpty == false ? kind : nil
    }

    /// What a key line renders for a role: the values it reads, a preset, a structure the template writes, or a literal.
    private func content(_ index: Int, role: String?, entries: [KeyEntry]) -> RoleSource.Content {
        let e = entries[index]
        var refs: [ValuePath] = []
        for r in e.refs where r.components.first != .key("global") && !refs.contains(r) { refs.append(r) }
        if role == "resources", let preset = refs.first(where: { $0.lastKey?.containsBytes("Preset") == true }) {
            return .preset(preset, write: preset.parent.appending(key: "resources"))
        }
        if role == "image" {
            refs = refs.map {
                ["repository", "tag", "registry", "digest", "sha", "name", "pullPolicy"].contains($0.lastKey ?? "") ? $0.parent : $0
            }
            refs = refs.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        }
        let children = entries.indices.filter { entries[$0].parent == index }
        if role != "image", !e.refsOnKeyLine, !children.isEmpty {
            // The template writes the structure itself (`livenessProbe:` then `tcpSocket:` and templated fields).
            if children.contains(where: { entries[$0].name == "-" }) {
                // A list the template writes: its items, and the values lists it splices in (`extraVolumes`).
                var items: [RoleSource.Field] = children.filter { entries[$0].name == "-" }.map { item in
                    let fields = entries.indices.filter { entries[$0].parent == item }
                    return RoleSource.Field(
                        key: "-", gate: entries[item].gate,
                        content: .fields(
                            fields.map {
                                RoleSource.Field(
                                    key: entries[$0].name, gate: entries[$0].gate, content: content($0, role: nil, entries: entries))
                            }))
                }
                items += refs.map { RoleSource.Field(key: "+", gate: e.gate, content: .values($0)) }
                return .items(items)
            }
            return .fields(
                children.map {
                    RoleSource.Field(key: entries[$0].name, gate: entries[$0].gate, content: content($0, role: nil, entries: entries))
                })
        }
        if refs.isEmpty {
            // A value written after the key (`verbs: ["*"]`) is the whole value: later action lines are not its block.
            if !e.literal.isEmpty, let v = literalValue(e) { return .literal(v) }
            if e.blockHasActions { return .unknown }
            return literalValue(e).map(RoleSource.Content.literal) ?? .unknown
        }
        if refs.count == 1 { return .values(refs[0]) }
        if let prefix = commonPrefix(refs), !prefix.isRoot { return .values(prefix) }
        return .unknown
    }

    /// A value the template writes literally: a scalar after the key, or a block of plain YAML.
    private func literalValue(_ e: KeyEntry) -> Value? {
        if !e.literal.isEmpty {
            let doc = YAMLParser().parse(SourceText(path: "", text: "v: " + e.literal))
            return doc.root?["v"].map { ValuesTree.reader.value(of: $0) }
        }
        guard !e.blockLiteral.isEmpty else { return nil }
        let doc = YAMLParser().parse(SourceText(path: "", text: e.blockLiteral.joined(separator: "\n")))
        guard doc.diagnostics.isEmpty, let root = doc.root else { return nil }
        return ValuesTree.reader.value(of: root)
    }

    private func commonPrefix(_ paths: [ValuePath]) -> ValuePath? {
        guard var prefix = paths.first?.components else { return nil }
        for p in paths.dropFirst() {
            var n = 0
            while n < prefix.count, n < p.components.count, prefix[n] == p.components[n] { n += 1 }
            prefix = Array(prefix.prefix(n))
        }
        return ValuePath(prefix)
    }

    private func ancestors(of index: Int, in entries: [KeyEntry]) -> [Int] {
        var out: [Int] = []
        var i: Int? = index
        while let j = i {
            out.append(j)
            i = entries[j].parent
        }
        return out
    }

    /// Whether a key can hold a sequence written at its own indentation: a key with nothing after its colon.
    private func opensSequence(_ e: KeyEntry) -> Bool { e.name != "-" && e.literal.isEmpty }

    /// The innermost open key a block line at `column` belongs to.
    private func owning(_ outline: [Int], _ entries: [KeyEntry], column: Int) -> Int? {
        outline.last { entries[$0].column < column }
    }

    // MARK: - Actions

    private func gate(_ controls: [Control]) -> TemplateCondition {
        controls.reduce(TemplateCondition.always) { $0.and($1.gate) }
    }

    private func dot(_ controls: [Control]) -> Dot {
        controls.last { $0.dot != nil }?.dot ?? .root
    }

    private func parser(_ controls: [Control], _ variables: [String: TemplateCondition]) -> TemplateConditionParser {
        if case .values(let p) = dot(controls) { return TemplateConditionParser(dotPath: p, variables: variables, switches: switches) }
        return TemplateConditionParser(dotPath: nil, variables: variables, switches: switches)
    }

    /// Applies a control action (`if`, `else`, `with`, `range`, `define`, `end`); false for any other action.
    private func apply(control text: String, to controls: inout [Control], variables: [String: TemplateCondition]) -> Bool {
        let word = text.firstWord
        let rest = String(text[word.endIndex...]).trimmingSpaces
        switch word {
        case "if":
            controls.append(Control(kind: .branch, current: parser(controls, variables).parse(rest)))
        case "with":
            let p = parser(controls, variables)
            var control = Control(kind: .with, current: p.parse(rest))
            let tokens = TemplateConditionParser.tokens(rest)
            control.dot = tokens.count == 1 ? (p.path(tokens[0]).map(Dot.values) ?? .unknown) : .unknown
            controls.append(control)
        case "range":
            // A range over an empty list renders nothing: `range .Values.extraMounts` (or `range $i, $m := …`) is gated on it.
            let expression = rest.firstByteRange(of: ":=").map { String(rest[$0.upperBound...]).trimmingSpaces } ?? rest
            controls.append(Control(kind: .range, current: parser(controls, variables).parse(expression), dot: .unknown))
        case "define":
            controls.append(Control(kind: .define))
        case "block":
            controls.append(Control(kind: .other))
        case "else":
            guard var top = controls.popLast() else { return true }
            let condition: TemplateCondition
            if rest.hasPrefix("if ") {
                condition = parser(controls, variables).parse(String(rest.dropFirst(3)))
            } else if rest.hasPrefix("with ") {
                let p = parser(controls, variables)
                let expression = String(rest.dropFirst(5))
                condition = p.parse(expression)
                let tokens = TemplateConditionParser.tokens(expression)
                top.dot = tokens.count == 1 ? (p.path(tokens[0]).map(Dot.values) ?? .unknown) : .unknown
            } else {
                condition = .always
                top.dot = nil
            }
            top.earlier.append(top.current)
            top.current = condition
            controls.append(top)
        case "end":
            _ = controls.popLast()
        default:
            return false
        }
        return true
    }

    private func isControl(_ text: String) -> Bool {
        let word = text.firstWord
        return ["if", "with", "range", "define", "block", "else", "end"].contains(word) || assignment(text) != nil
    }

    /// The variable and expression of `$name := expression`.
    private func assignment(_ text: String) -> (String, String)? {
        guard text.hasPrefix("$"), let r = text.firstByteRange(of: ":=") ?? text.firstByteRange(of: " = ") else { return nil }
        let name = text[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
        guard !name.containsBytes(" ") else { return nil }
        return (name, String(text[r.upperBound...]).trimmingSpaces)
    }

    /// The column an `nindent N` / `indent N` pipeline (an action's tokens) writes its output at.
    private func nindent(_ tokens: [String]) -> Int? {
        guard let i = tokens.firstIndex(where: { $0 == "nindent" || $0 == "indent" }), i + 1 < tokens.count else { return nil }
        return Int(tokens[i + 1])
    }

    /// The values paths an output action (its text and tokens) reads, following `include` of the chart's named templates.
    private func refs(of text: String, tokens: [String], dot: Dot, depth: Int = 0) -> [ValuePath] {
        var out = ChartTemplateScanner.valuesPaths(in: text)
        if case .values(let p) = dot {
            let parser = TemplateConditionParser(dotPath: p)
            for t in tokens where t.hasPrefix(".") && !t.containsBytes(".Values.") {
                if let path = parser.path(t) { out.append(path) }
            }
        }
        for (i, t) in tokens.enumerated() where (t == "include" || t == "template") && i + 2 < tokens.count {
            let name = tokens[i + 1]
            let arg = tokens[i + 2]
            guard name.hasPrefix("\""), arg == "$" || arg == "$root" || (arg == "." && dot == .root) else { continue }
            out += expand(String(name.dropFirst().dropLast()), depth: depth)
        }
        return out
    }

    /// Whether an action renders `.Chart.AppVersion`, directly or through a named template of the chart; `tokens` are
    /// the action's, when they are at hand.
    private func mentionsAppVersion(_ text: String, tokens known: [String]? = nil, depth: Int = 0) -> Bool {
        if text.containsBytes("AppVersion") || text.containsBytes("\"chart\" .Chart") || text.containsBytes("\"chart\" $.Chart") {
            return true
        }
        guard depth < 6 else { return false }
        let tokens = known ?? TemplateConditionParser.tokens(text)
        for (i, t) in tokens.enumerated() where (t == "include" || t == "template") && i + 1 < tokens.count {
            guard let d = definitions[String(tokens[i + 1].dropFirst().dropLast())] else { continue }
            if d.mentionsAppVersion || d.includes.contains(where: { mentionsAppVersion("include \"\($0)\" .", depth: depth + 1) }) {
                return true
            }
        }
        return false
    }

    private func expand(_ name: String, depth: Int) -> [ValuePath] {
        guard depth < 6, let d = definitions[name] else { return [] }
        return d.refs + d.includes.flatMap { expand($0, depth: depth + 1) }
    }

    /// `.Values.a.b` paths written anywhere in an action.
    static func valuesPaths(in text: String) -> [ValuePath] {
        var out: [ValuePath] = []
        var rest = Substring(text)
        while let r = rest.firstByteRange(of: ".Values.") {
            let tail = rest[r.upperBound...]
            let path = tail.asciiPathPrefix ?? tail.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }
            var trimmed = path
            while trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
            if !trimmed.isEmpty { out.append(ValuePath(parsing: String(trimmed))) }
            rest = tail.dropFirst(path.count)
        }
        return out
    }

    private mutating func collectDefinitions(_ text: TemplateText) {
        var stack: [(name: String?, depth: Int)] = []
        var open: [String: Definition] = [:]
        var bodies: [String: [String]] = [:]
        var depth = 0
        for line in text.lines {
            if let name = stack.last?.name, line.actions.isEmpty, !line.outside.trimmingSpaces.isEmpty {
                bodies[name, default: []].append("true")
            }
            for action in line.actions {
                let word = action.text.firstWord
                let tokens = TemplateConditionParser.tokens(action.text)
                switch word {
                case "define":
                    let name = tokens.count > 1 ? String(tokens[1].dropFirst().dropLast()) : ""
                    stack.append((name, depth))
                    open[name] = Definition(refs: [], includes: [])
                    depth += 1
                case "if", "with", "range", "block":
                    depth += 1
                case "end":
                    depth -= 1
                    if let last = stack.last, last.depth == depth, let name = last.name {
                        stack.removeLast()
                        definitions[name] = open.removeValue(forKey: name)
                        if let condition = ChartTemplateScanner.switchCondition(bodies[name] ?? []) {
                            switches[name] = TemplateConditionParser(dotPath: nil).parse(condition)
                        }
                        continue
                    }
                default:
                    break
                }
                guard let name = stack.last?.name else { continue }
                if word != "define" { bodies[name, default: []].append(action.text) }
                open[name]?.refs += ChartTemplateScanner.valuesPaths(in: action.text)
                if action.text.containsBytes("AppVersion") || action.text.containsBytes("\"chart\" .Chart")
                    || action.text.containsBytes("\"chart\" $.Chart")
                {
                    open[name]?.mentionsAppVersion = true
                }
                for (i, t) in tokens.enumerated() where (t == "include" || t == "template") && i + 2 < tokens.count {
                    if tokens[i + 1].hasPrefix("\""), [".", "$", "$root"].contains(tokens[i + 2]) {
                        open[name]?.includes.append(String(tokens[i + 1].dropFirst().dropLast()))
                    }
                }
            }
        }
    }
}

extension RoleSource {
    /// The values path a fix for this role writes under.
    var writePath: ValuePath? {
        switch content {
        case .values(let p): return p
        case .preset(_, let write): return write
        default: return nil
        }
    }
}

extension String {
    var trimmingSpaces: String {
        // By bytes: spaces and tabs are ASCII, and Character-wise dropping showed up in profiles.
        var text = self
        return text.withUTF8 { b in
            var lo = 0
            var hi = b.count
            while lo < hi, b[lo] == 0x20 || b[lo] == 0x09 { lo += 1 }
            while lo < hi, b[hi - 1] == 0x20 || b[hi - 1] == 0x09 { hi -= 1 }
            return lo == 0 && hi == b.count ? self : String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self)
        }
    }

    /// The text up to its first whitespace, as `prefix { !$0.isWhitespace }` reads it; by bytes while the text is ASCII
    /// (an action's first word is read for every action of every template).
    fileprivate var firstWord: Substring {
        var text = self
        let end = text.withUTF8 { b -> Int? in
            for i in 0..<b.count {
                let c = b[i]
                if c >= 0x80 { return nil }
                if c == 0x20 || (c >= 0x09 && c <= 0x0D) { return i }
            }
            return b.count
        }
        guard let end else { return prefix { !$0.isWhitespace } }
        return self[..<utf8.index(startIndex, offsetBy: end)]
    }

    fileprivate var unquoted: String {
        if count >= 2, let f = first, f == "\"" || f == "'", last == f { return String(dropFirst().dropLast()) }
        return self
    }
}

extension Substring {
    /// The index of the first `"` Character: found by bytes, unless a byte past ASCII is next to the quote byte (a
    /// combining mark, say, would make it part of another Character).
    fileprivate var closingQuote: Index? {
        guard let quote = utf8.firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        let next = utf8.index(after: quote)
        let asciiAfter = next == utf8.endIndex || utf8[next] < 0x80
        let asciiBefore = quote == utf8.startIndex || utf8[utf8.index(before: quote)] < 0x80
        return asciiAfter && asciiBefore ? quote : firstIndex(of: "\"")
    }

    /// The leading run of ASCII letters, digits, `_`, `.` and `-`, or nil when a byte past ASCII ends it (then
    /// Unicode letters and digits count too, and the caller reads it by Characters).
    fileprivate var asciiPathPrefix: Substring? {
        var end = utf8.startIndex
        while end < utf8.endIndex {
            let c = utf8[end]
            if c >= 0x80 { return nil }
            let isPathByte =
                (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2E || c == 0x2D
            if !isPathByte { break }
            end = utf8.index(after: end)
        }
        return self[..<end]
    }
}
