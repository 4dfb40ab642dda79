import CEL
import Foundation
import PolicyModel
import TextCore

/// The golden-path engine: judges subjects against rule packs.
///
/// The engine knows no language: it receives lowered subjects, evaluates
/// golden paths, reports first-of-a-kind subjects, applies governed
/// suppressions and (through ``FixVerifier``) offers only verified fixes.
public struct Engine: Sendable {
    /// The loaded packs.
    public let packs: [RulePack]
    /// Settings from the config.
    public let config: EngineConfig

    /// Every golden path of every pack (computed once: subjects are matched against them millions of times).
    public let goldenPaths: [GoldenPath]
    /// Rules by id (the first pack defining an id wins).
    private let rulesById: [String: Rule]
    /// Positions in `goldenPaths` by id (the first path with an id wins).
    private let goldenPathPositions: [String: Int]
    /// The `params` value in force for each golden path, by its position in `goldenPaths` (built once, not per subject).
    private let paramValues: [Value]
    /// The golden paths that select a subject type, by language and type, filled in as types are met.
    private let selection = SelectionCache()
    /// Whether findings are made without fingerprints (empty), where nothing reads them: a fix's re-check
    /// compares findings by identity. A waiver is matched by fingerprint, so with waivers they are computed.
    public var skipsFingerprints = false

    /// Whether this engine's findings carry fingerprints.
    private var makesFingerprints: Bool { !skipsFingerprints || config.waivers != nil || !config.waivedFingerprints.isEmpty }

    /// Creates an engine.
    public init(packs: [RulePack], config: EngineConfig = EngineConfig()) {
        self.packs = packs
        self.config = config
        goldenPaths = packs.flatMap(\.goldenPaths)
        var rules: [String: Rule] = [:]
        for path in goldenPaths { for rule in path.rules where rules[rule.id] == nil { rules[rule.id] = rule } }
        rulesById = rules
        var positions: [String: Int] = [:]
        for (i, path) in goldenPaths.enumerated() where positions[path.id] == nil { positions[path.id] = i }
        goldenPathPositions = positions
        paramValues = goldenPaths.map { path in
            let params = path.params.merging(config.params[path.id] ?? [:]) { _, new in new }
            var map = ValueMap()
            for k in params.keys.sorted() { map[k] = params[k] }
            return .map(map)
        }
    }

    /// The rule with `id`, if any pack defines it.
    public func rule(_ id: String) -> Rule? { rulesById[id] }

    /// The first golden path with `id`, if any pack defines it.
    public func goldenPath(_ id: String) -> GoldenPath? { goldenPathPositions[id].map { goldenPaths[$0] } }

    /// Indices into `goldenPaths` of the paths that select `type` in `language`.
    func selecting(type: String, language: String) -> [Int] {
        selection.indices(type: type, language: language) {
            goldenPaths.indices.filter { goldenPaths[$0].selects(type: type, language: language) }
        }
    }

    /// The parameters in force for a golden path (pack defaults overridden by the config).
    public func params(for path: GoldenPath) -> [String: Value] {
        path.params.merging(config.params[path.id] ?? [:]) { _, new in new }
    }

    /// The severity in force for a rule, or nil when the config switched it off.
    public func severity(of rule: Rule) -> Severity? {
        if let override = config.severities[rule.id] { return override }
        return rule.severity
    }

    /// Evaluates the lowered unit: syntax findings, rule findings, FOAK findings, then suppressions (in
    /// `language`'s dialects).
    public func evaluate(_ lowered: LoweredUnit, unit: AnalysisUnit, language: any Language) -> [Finding] {
        var findings: [Finding] = lowered.diagnostics.map { d in
            Finding(
                ruleId: "syntax-error", kind: .syntax, severity: d.severity, message: d.message, file: d.file, range: d.range,
                fingerprint: makesFingerprints ? Fingerprint.of(ruleId: "syntax-error", file: d.file, text: d.message) : "")
        }
        // Configurations of one unit share files: a finding on the same token is reported once.
        var seen = Set<FindingPlace>()
        let index = SubjectIndex(lowered.subjects)
        let judgements = judgements(of: lowered.subjects, index: index, remembered: language.reusesUnchangedSubjects)
        for (subject, judged) in zip(lowered.subjects, judgements) {
            let calledFrom = subject.context["called_from"]?.stringValue
            for f in judged where seen.insert(FindingPlace(ruleId: f.ruleId, file: f.file, range: f.range)).inserted {
                if let calledFrom, f.file != calledFrom || (f.kind != .rule && f.kind != .cannotVerify) { continue }
                findings.append(f)
            }
        }
        // A reviewer's waiver removes one finding until its date; after it, the finding returns.
        findings.removeAll { f in config.waivedFingerprints[f.fingerprint].map { $0 >= config.today } ?? false }
        return SuppressionFilter(engine: self, unit: unit, lowered: lowered, language: language).apply(to: findings)
    }

    /// A rule's finding on a token: what makes two findings of one unit the same report.
    private struct FindingPlace: Hashable {
        let ruleId: String
        let file: String
        let range: SourceRange
    }

    /// The most subjects a unit may have and still be judged on one core: past it, slices of subjects are judged
    /// on all cores (a long migration history); below it the threads would cost more than they save, and a fix's
    /// re-check, judged on a core of its own already, stays on it.
    static let judgedOnOneCore = 512

    /// Each subject's findings before suppressions and the unit's deduplication, in the subjects' order.
    /// `remembered`: through the memo of judgements (see `Language.reusesUnchangedSubjects`).
    private func judgements(of subjects: [Subject], index: SubjectIndex, remembered: Bool) -> [[Finding]] {
        let judge = { @Sendable (subject: Subject) -> [Finding] in
            // A subject of a module this unit calls (`subject.called_from` names the calling file) is judged here only
            // for what the call's arguments set: its other findings are the module's own, reported where it is judged.
            // A finding is located at one of the subject's origins or its header: with none in the calling file, every
            // finding of it would be dropped.
            if let calledFrom = subject.context["called_from"]?.stringValue, !subject.isLocated(in: calledFrom) { return [] }
            return remembered ? memoized(subject, index: index) : evaluate(subject, index: index)
        }
        guard subjects.count > Self.judgedOnOneCore else { return subjects.map(judge) }
        let slice = Self.judgedOnOneCore / 4
        let slices = stride(from: 0, to: subjects.count, by: slice).map { $0..<min($0 + slice, subjects.count) }
        return Array(slices.concurrentMap { range in subjects[range].map(judge) }.joined())
    }

    /// A subject's findings before suppressions, from the memo when an equal subject with the same relations was
    /// judged by this kind of engine before.
    func memoized(_ subject: Subject, index: SubjectIndex) -> [Finding] {
        // The memo keeps each file's subjects apart: within one, a subject is its address.
        let key = "\(makesFingerprints ? "f" : "-")\u{0}\(subject.address)"
        let found = selection.memo.findings(key, for: subject) { relations in
            relations.allSatisfy { Self.related(to: subject, type: $0.type, attribute: $0.attribute, index: index) == $0.result }
        }
        if let found { return found }
        let log = RelationLog()
        let findings = evaluate(subject, index: index, log: log)
        selection.memo.remember(key, JudgementMemo.Entry(subject: subject, relations: log.relations, findings: findings))
        return findings
    }

    /// How many judgements of subjects in `file` the engine (and its copies) remember.
    public func rememberedJudgements(inFile file: String) -> Int {
        selection.memo.count(inFile: file)
    }

    /// Forgets the judgements of the subjects in `files`, which no analysis is going to repeat (a unit that was
    /// analysed and its fixes verified), so the memo holds only what a judgement may still reuse.
    public func forgetJudgements(inFiles files: [String]) {
        selection.memo.forget(files: files)
    }

    /// The golden paths that apply to a subject (selected, and `when` holds).
    public func applicablePaths(for subject: Subject, all: [Subject]) -> (selected: Bool, applicable: [GoldenPath]) {
        applicablePaths(for: subject, index: SubjectIndex(all))
    }

    func applicablePaths(for subject: Subject, index: SubjectIndex) -> (selected: Bool, applicable: [GoldenPath]) {
        let (selected, positions) = applicablePositions(for: subject, activation: subjectActivation(for: subject, index: index))
        return (selected, positions.map { goldenPaths[$0] })
    }

    /// The positions in `goldenPaths` of the paths that apply to a subject, given its activation without `params`.
    private func applicablePositions(for subject: Subject, activation: CELActivation) -> (selected: Bool, applicable: [Int]) {
        var selected = false
        var applicable: [Int] = []
        var act = activation
        for position in selecting(type: subject.type, language: subject.language) {
            selected = true
            if let when = goldenPaths[position].when {
                act.variables["params"] = paramValues[position]
                guard case .success(.bool(true)) = when.program.evaluate(act) else { continue }
            }
            applicable.append(position)
        }
        return (selected, applicable)
    }

    /// The findings of one subject, before suppressions.
    public func evaluate(_ subject: Subject, all: [Subject]) -> [Finding] {
        evaluate(subject, index: SubjectIndex(all))
    }

    func evaluate(_ subject: Subject, index: SubjectIndex, log: RelationLog? = nil) -> [Finding] {
        // A subject no golden path selects (first of a kind) needs no activation.
        let selected = !selecting(type: subject.type, language: subject.language).isEmpty
        let activation = selected ? subjectActivation(for: subject, index: index, log: log) : CELActivation(variables: [:])
        let (_, positions) = applicablePositions(for: subject, activation: activation)
        if !positions.contains(where: { !goldenPaths[$0].baseline }) {
            guard let severity = config.foakSeverity else { return evaluate(subject, positions: positions, activation: activation) }
            return [
                Finding(
                    ruleId: "needs-review", kind: .needsReview, severity: severity,
                    message: "No golden path covers \(subject.type) \(subject.name): this first-of-a-kind change needs a human review.",
                    file: subject.file, range: subject.headerRange, subjectAddress: subject.address, subjectType: subject.type,
                    fingerprint: makesFingerprints ? Fingerprint.of(ruleId: "needs-review", subject: subject, path: nil) : "")
            ] + evaluate(subject, positions: positions, activation: activation)
        }
        return evaluate(subject, positions: positions, activation: activation)
    }

    /// The findings of the golden paths at `positions` on a subject, given its activation without `params`.
    private func evaluate(_ subject: Subject, positions: [Int], activation: CELActivation) -> [Finding] {
        var findings: [Finding] = []
        var act = activation
        for position in positions {
            let path = goldenPaths[position]
            act.variables["params"] = paramValues[position]
            for rule in path.rules {
                guard let severity = severity(of: rule) else { continue }
                if let when = rule.when {
                    switch when.program.evaluate(act) {
                    case .success(.bool(true)): break
                    case .success(.unknown(let reason)) where Self.languagesReportingUnknowns.contains(subject.language):
                        // Whether the rule applies is known only at plan time: that is said, not passed over.
                        findings.append(cannotVerify(rule, path: path, subject: subject, activation: act, because: reason))
                        continue
                    default: continue
                    }
                }
                let outcome = rule.require.program.evaluate(act)
                switch outcome {
                case .success(.bool(true)): continue
                case .success(.unknown(let reason)):
                    // A value known only at plan time (a variable without a default, another resource's attribute):
                    // the rule cannot be verified here, which is said, never reported as a violation.
                    guard Self.languagesReportingUnknowns.contains(subject.language) else { continue }
                    findings.append(cannotVerify(rule, path: path, subject: subject, activation: act, because: reason))
                case .success(.bool(false)):
                    findings.append(finding(rule, path: path, severity: severity, subject: subject, activation: act, detail: nil))
                case .success(let v):
                    findings.append(
                        cannotVerify(
                            rule, path: path, subject: subject, activation: act, because: "the condition gave \(v.typeName), not bool"))
                case .failure(let e) where e.kind == .noSuchKey:
                    // A missing key means the required setting is absent: the rule is not met.
                    findings.append(finding(rule, path: path, severity: severity, subject: subject, activation: act, detail: nil))
                case .failure(let e):
                    findings.append(cannotVerify(rule, path: path, subject: subject, activation: act, because: e.message))
                }
            }
        }
        return findings
    }

    /// The languages whose unknown values are reported as "cannot verify". Terraform's are few and each names what
    /// it waits for (a variable without a default, a data source); a chart's are values its templates render
    /// from several settings, which the Helm lowering already judges where it can, so there they pass silently.
    static let languagesReportingUnknowns: Set<String> = ["terraform"]

    /// A rule whose condition could not be decided for this subject: an info finding of kind `cannotVerify` under the
    /// rule's id (so its suppressions and baselines apply) that says why, with no fix.
    private func cannotVerify(_ rule: Rule, path: GoldenPath, subject: Subject, activation: CELActivation, because reason: String)
        -> Finding
    {
        var f = finding(rule, path: path, severity: .info, subject: subject, activation: activation, detail: nil)
        f.message = "Cannot verify \"\(rule.title)\": \(reason)."
        f.kind = .cannotVerify
        return f
    }

    private func finding(_ rule: Rule, path: GoldenPath, severity: Severity, subject: Subject, activation: CELActivation, detail: String?)
        -> Finding
    {
        let computed = rule.atTemplates.compactMap { interpolate($0, activation, scalarsOnly: true) { nil } }.map { ValuePath(parsing: $0) }
        let target = (computed + [rule.at ?? .root] + rule.alsoAt).first { subject.locate($0).exact } ?? rule.at ?? .root
        let origin = subject.locate(target).origin
        let range = origin.keyRange ?? origin.range
        var message = render(rule.message, activation)
        if let detail { message += " (\(detail))" }
        var related: [RelatedLocation] = []
        if let definition = origin.definition, definition.file != origin.file || definition.range != origin.range {
            related.append(
                RelatedLocation(file: definition.file, range: definition.range, message: "the value comes from \(definition.description)"))
        }
        if origin.file != subject.file, let note = subject.crossFileNote {
            related.append(RelatedLocation(file: subject.file, range: subject.headerRange, message: note))
        }
        return Finding(
            ruleId: rule.id, goldenPath: path.id, kind: .rule, severity: severity, message: message, file: origin.file, range: range,
            subjectAddress: subject.address, subjectType: subject.type,
            fingerprint: makesFingerprints ? Fingerprint.of(ruleId: rule.id, subject: subject, path: rule.at) : "", related: related)
    }

    /// Renders a message template; an interpolation that fails renders as `?`.
    public func render(_ template: MessageTemplate, _ activation: CELActivation) -> String {
        interpolate(template, activation, scalarsOnly: false) { "?" } ?? ""
    }

    /// Renders a template whose every interpolation evaluates to a scalar; nil when one does not (a fix is
    /// then not proposed).
    func renderExactly(_ template: MessageTemplate, _ activation: CELActivation) -> String? {
        interpolate(template, activation, scalarsOnly: true) { nil }
    }

    private func interpolate(
        _ template: MessageTemplate, _ activation: CELActivation, scalarsOnly: Bool, failed: () -> String?
    ) -> String? {
        var out = ""
        for part in template.parts {
            switch part {
            case .text(let t): out += t
            case .expression(let p):
                switch p.evaluate(activation) {
                case .success(.string(let s)): out += s
                case .success(let v) where !v.isUnknown && !(scalarsOnly && (v.mapValue != nil || v.listValue != nil)):
                    out += v.canonical
                default:
                    guard let replacement = failed() else { return nil }
                    out += replacement
                }
            }
        }
        return out
    }

    /// The CEL activation for a subject: `self`, `params`, `subject` and `related()`.
    public func activation(for subject: Subject, params: [String: Value], all: [Subject]) -> CELActivation {
        activation(for: subject, params: params, index: SubjectIndex(all))
    }

    func activation(for subject: Subject, params: [String: Value], index: SubjectIndex) -> CELActivation {
        var act = subjectActivation(for: subject, index: index)
        var paramMap = ValueMap()
        for k in params.keys.sorted() { paramMap[k] = params[k] }
        act.variables["params"] = .map(paramMap)
        return act
    }

    /// The activation for a subject without `params`, which each golden path sets to its own.
    func subjectActivation(for subject: Subject, index: SubjectIndex, log: RelationLog? = nil) -> CELActivation {
        var info = ValueMap([
            ("type", .string(subject.type)), ("name", .string(subject.name)), ("address", .string(subject.address)),
            ("file", .string(subject.file)),
        ])
        for (k, v) in subject.context { info[k] = v }
        let related: @Sendable ([Value]) throws(CELEvalError) -> Value = { args throws(CELEvalError) -> Value in
            guard args.count == 2, case .string(let type) = args[0], case .string(let attribute) = args[1] else {
                throw CELEvalError(.noSuchOverload, "related(type, attribute) takes two strings", at: .empty(at: 0))
            }
            let result = Self.related(to: subject, type: type, attribute: attribute, index: index)
            log?.record(JudgementMemo.Relation(type: type, attribute: attribute, result: result))
            return result
        }
        return CELActivation(variables: ["self": subject.value, "subject": .map(info)], functions: ["related": related])
    }

    /// `related(type, attribute)` for a subject: the values of the subjects of `type` whose `attribute` refers to it.
    static func related(to subject: Subject, type: String, attribute: String, index: SubjectIndex) -> Value {
        let address = subject.address
        // A subject that exists with the default inputs is related only to others that do too.
        let present = subject.context["absent_by_default"] != .bool(true)
        let path = ValuePath(parsing: attribute)
        return .list(
            (index.subjects(ofType: type) + index.subjects(ofType: "resource." + type)).filter { other in
                // A bare resource type names the managed resource: related("aws_s3_bucket_versioning", "bucket").
                guard case .reference(let r)? = other.value.value(at: path),
                    !present || other.context["absent_by_default"] != .bool(true)
                else { return false }
                return r == address || r.hasPrefix(address + ".")
            }.map(\.value))
    }

    /// The fix plan a rule proposes for a subject (its `alternative`th fix, preferred first), with `set_expr` values computed.
    public func fixPlan(for rule: Rule, subject: Subject, all: [Subject], alternative: Int = 0) -> FixPlan? {
        guard rule.fixes.indices.contains(alternative), let path = goldenPath(rule.goldenPath) else {
            return nil
        }
        let act = activation(for: subject, params: params(for: path), all: all)
        let template = rule.fixes[alternative]
        var ops: [FixOperation] = []
        for op in template.operations {
            switch op {
            case .set(let p, let v): ops.append(.set(p, v))
            case .remove(let p): ops.append(.remove(p))
            case .transform(let t):
                guard let name = renderExactly(t, act) else { return nil }
                ops.append(.transform(name))
            case .setExpression(let p, let program):
                guard case .success(let v) = program.evaluate(act), !v.isUnknown else { return nil }
                ops.append(.set(p, v))
            case .insertSibling(let type, let program):
                guard case .success(let v) = program.evaluate(act), v.mapValue != nil else { return nil }
                ops.append(.insertSibling(type: type, name: subject.name, value: v))
            }
        }
        return ops.isEmpty ? nil : FixPlan(ops, label: template.title)
    }
}

/// What an engine and its copies learn as they judge: the golden paths that select each subject type met so far,
/// and the memo of judgements (shared by copies of an engine, safe across threads).
final class SelectionCache: @unchecked Sendable {
    private let lock = NSLock()
    /// The findings of the subjects the engine (and its copies) judged, for judging an unchanged subject again.
    let memo = JudgementMemo()
    private var byType: [String: [Int]] = [:]

    /// The cached indices for `type` in `language`, computed by `compute` the first time.
    func indices(type: String, language: String, compute: () -> [Int]) -> [Int] {
        let key = language + "\u{0}" + type
        lock.lock()
        if let hit = byType[key] {
            lock.unlock()
            return hit
        }
        lock.unlock()
        let computed = compute()
        lock.lock()
        byType[key] = computed
        lock.unlock()
        return computed
    }
}
