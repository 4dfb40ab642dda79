import PolicyModel
import Rules
import TextCore

/// One failed expectation of a rule's examples.
public struct ExampleFailure: Sendable, Hashable, CustomStringConvertible {
    /// The rule, golden path or pack file.
    public var id: String
    /// What went wrong.
    public var message: String

    public var description: String { "\(id): \(message)" }
}

/// Runs rule-pack examples: every fail example raises its rule, every pass example does not, every verified
/// fix turns the fail example into a pass, and each golden path's `example` conforms to all of its rules.
/// With ``GoldenFiles``, each pack file's fail examples must also match its golden file: where the findings
/// sit and the exact text each fix leaves.
public struct RuleExampleRunner: Sendable {
    /// The workspace whose engine and languages run the examples.
    public let workspace: Workspace
    /// The golden files to compare the fail examples with (or to write); nil checks none.
    public let golden: GoldenFiles?

    /// Creates a runner.
    public init(workspace: Workspace, golden: GoldenFiles? = nil) {
        self.workspace = workspace
        self.golden = golden
    }

    /// The unit an example text forms in `language` (a chart's `values.yaml`, a module's `main.tf`, a migration).
    public func unit(for text: String, language: String) -> AnalysisUnit {
        workspace.languages[language]?.exampleUnit(text) ?? AnalysisUnit(language: language, name: "example", files: [])
    }

    /// Runs every example of every pack, and checks each pack file's golden file; returns the failures and the
    /// number of checks made.
    public func run() -> (failures: [ExampleFailure], checks: Int) {
        var failures: [ExampleFailure] = []
        var checks = 0
        for pack in workspace.packs where !pack.learned {
            var entries: [GoldenEntry] = []
            for path in pack.goldenPaths {
                if let example = path.example {
                    checks += 1
                    let report = workspace.analyze(unit(for: example, language: path.language), verifyFixes: false)
                    let own = report.findings.filter { $0.goldenPath == path.id || $0.kind == .syntax }
                    if !own.isEmpty {
                        failures.append(
                            ExampleFailure(
                                id: path.id,
                                message:
                                    "the golden path's example does not conform: \(own.map { "\($0.ruleId) \($0.message)" }.joined(separator: "; "))"
                            ))
                    }
                }
                for rule in path.rules {
                    let r = examples(of: rule, language: path.language)
                    failures += r.failures
                    checks += r.checks
                    entries += r.golden
                }
            }
            if let golden {
                let r = golden.check(entries, pack: pack.source)
                failures += r.failures
                checks += r.checks
            }
        }
        return (failures, checks)
    }

    /// The workspace an example runs in: this one, with the example's parameters set for the rule's golden path.
    private func workspace(for example: RuleExample, rule: Rule) -> Workspace {
        guard !example.params.isEmpty else { return workspace }
        var config = workspace.config
        config.params[rule.goldenPath, default: [:]].merge(example.params) { _, new in new }
        return Workspace(config: config, packSources: workspace.packSources)
    }

    /// Runs one rule's examples (without golden files).
    public func run(_ rule: Rule, language: String) -> (failures: [ExampleFailure], checks: Int) {
        let r = examples(of: rule, language: language)
        return (r.failures, r.checks)
    }

    /// Runs one rule's examples; returns the failures, the number of checks and the golden entries of its
    /// fail examples.
    private func examples(of rule: Rule, language: String) -> (failures: [ExampleFailure], checks: Int, golden: [GoldenEntry]) {
        var failures: [ExampleFailure] = []
        var checks = 0
        var golden: [GoldenEntry] = []
        if rule.examples.fail.isEmpty { failures.append(ExampleFailure(id: rule.id, message: "has no fail example")) }
        if rule.examples.pass.isEmpty { failures.append(ExampleFailure(id: rule.id, message: "has no pass example")) }
        for (i, example) in rule.examples.fail.enumerated() {
            checks += 1
            let ws = workspace(for: example, rule: rule)
            let u = unit(for: example.text, language: language)
            let report = ws.analyze(u)
            let syntax = report.findings.filter { $0.kind == .syntax }
            if !syntax.isEmpty {
                failures.append(ExampleFailure(id: rule.id, message: "fail example \(i + 1) does not parse: \(syntax[0].message)"))
            }
            let raised = report.findings.filter { $0.ruleId == rule.id }
            golden += raised.sorted { ($0.file, $0.range.start, $0.range.end) < ($1.file, $1.range.start, $1.range.end) }.map {
                GoldenEntry(rule: rule.id, example: i + 1, expectation: .finding(location: location(of: $0, in: u)))
            }
            guard let finding = raised.first else {
                failures.append(ExampleFailure(id: rule.id, message: "fail example \(i + 1) does not raise \(rule.id)"))
                continue
            }
            for alternative in rule.fixes.indices {
                checks += 1
                let label = rule.fixes.count > 1 ? "fix \"\(rule.fixes[alternative].title ?? "\(alternative + 1)")\"" : "fix"
                if let expected = example.fixes, !expected.contains(alternative) {
                    if verifiedFix(alternative, for: finding, in: u, report: report, workspace: ws) != nil {
                        failures.append(
                            ExampleFailure(
                                id: rule.id, message: "the \(label) verifies on fail example \(i + 1), whose fixes do not list it"))
                    }
                    continue
                }
                guard let fix = verifiedFix(alternative, for: finding, in: u, report: report, workspace: ws) else {
                    failures.append(ExampleFailure(id: rule.id, message: "the \(label) for fail example \(i + 1) was not verified"))
                    continue
                }
                var fixed = u
                var changed: [String] = []
                var created: [SourceText] = []
                for fe in fix.edits {
                    if let text = fe.createdText {
                        created.append(SourceText(path: fe.file, text: text))
                        fixed =
                            ws.languages[language]?.adding(createdFile: created[created.count - 1], to: fixed)
                            ?? fixed.overlaying(file: fe.file, with: text)
                    } else if let f = fixed.files.first(where: { $0.path == fe.file }), let t = try? TextEdit.apply(fe.edits, to: f.text) {
                        fixed = fixed.replacing(file: fe.file, with: t)
                        if !changed.contains(fe.file) { changed.append(fe.file) }
                    }
                }
                // Changed files in the unit's order, then the created ones (each shown whole).
                for file in fixed.files.filter({ changed.contains($0.path) }) + created {
                    golden.append(
                        GoldenEntry(rule: rule.id, example: i + 1, expectation: .fix(title: fix.title, file: file.path, text: file.text)))
                }
                if ws.analyze(fixed, verifyFixes: false).findings.contains(where: { $0.ruleId == rule.id }) {
                    failures.append(ExampleFailure(id: rule.id, message: "the \(label) does not turn fail example \(i + 1) into a pass"))
                }
            }
        }
        for (i, example) in rule.examples.pass.enumerated() {
            checks += 1
            let report = workspace(for: example, rule: rule).analyze(unit(for: example.text, language: language), verifyFixes: false)
            if let f = report.findings.first(where: { $0.ruleId == rule.id || $0.kind == .syntax }) {
                failures.append(ExampleFailure(id: rule.id, message: "pass example \(i + 1) raises \(f.ruleId): \(f.message)"))
            }
        }
        return (failures, checks, golden)
    }

    /// Where a finding sits, as golden files give it: `line:column-line:column` (1-based, columns in code
    /// points), after the file's path when the example forms several files of its language.
    private func location(of finding: Finding, in unit: AnalysisUnit) -> String {
        let files = unit.files + unit.contextFiles
        guard let source = files.first(where: { $0.path == finding.file }) else { return "\(finding.file) \(finding.range)" }
        let start = source.humanPosition(of: finding.range.start)
        let end = source.humanPosition(of: finding.range.end)
        let position = "\(start.line):\(start.column)-\(end.line):\(end.column)"
        let language = workspace.languages[unit.language]
        let sources = files.filter { language?.isSourceFile(named: $0.path.fileName) ?? true }
        return sources.count > 1 ? "\(finding.file) \(position)" : position
    }

    /// The verified fix `alternative` of a finding: the one `analyze` attached for the preferred fix, else verified now.
    private func verifiedFix(_ alternative: Int, for finding: Finding, in unit: AnalysisUnit, report: UnitReport, workspace ws: Workspace)
        -> VerifiedFix?
    {
        guard let language = ws.languages[unit.language] else { return nil }
        let verifier = FixVerifier(engine: ws.engine, language: language)
        guard
            case .success(let fix) = verifier.verify(
                finding, unit: unit, lowered: language.lower(unit), before: report.findings, alternative: alternative)
        else { return nil }
        return fix
    }
}
