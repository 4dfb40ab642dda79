import PolicyModel
import Rules
import TextCore

/// One failed expectation of a rule's examples.
public struct ExampleFailure: Sendable, Hashable, CustomStringConvertible {
    /// The rule or golden path.
    public var id: String
    /// What went wrong.
    public var message: String

    public var description: String { "\(id): \(message)" }
}

/// Runs rule-pack examples: every fail example raises its rule, every pass
/// example does not, every verified fix turns the fail example into a pass,
/// and each golden path's `example` conforms to all of its rules.
public struct RuleExampleRunner: Sendable {
    /// The workspace whose engine and languages run the examples.
    public let workspace: Workspace
    /// Creates a runner.
    public init(workspace: Workspace) { self.workspace = workspace }

    /// The unit an example text forms in `language` (a chart's `values.yaml`, a module's `main.tf`, a migration).
    public func unit(for text: String, language: String) -> AnalysisUnit {
        workspace.languages[language]?.exampleUnit(text) ?? AnalysisUnit(language: language, name: "example", files: [])
    }

    /// Runs every example of every pack; returns the failures and the number of checks made.
    public func run() -> (failures: [ExampleFailure], checks: Int) {
        var failures: [ExampleFailure] = []
        var checks = 0
        let learned = Set(workspace.packs.filter(\.learned).flatMap { $0.goldenPaths.map(\.id) })
        for path in workspace.engine.goldenPaths where !learned.contains(path.id) {
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
                let r = run(rule, language: path.language)
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

    /// Runs one rule's examples.
    public func run(_ rule: Rule, language: String) -> (failures: [ExampleFailure], checks: Int) {
        var failures: [ExampleFailure] = []
        var checks = 0
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
            guard let finding = report.findings.first(where: { $0.ruleId == rule.id }) else {
                failures.append(ExampleFailure(id: rule.id, message: "fail example \(i + 1) does not raise \(rule.id)"))
                continue
            }
            for alternative in rule.fixes.indices {
                checks += 1
                let label = rule.fixes.count > 1 ? "fix \"\(rule.fixes[alternative].title ?? "\(alternative + 1)")\"" : "fix"
                guard let fix = verifiedFix(alternative, for: finding, in: u, report: report, workspace: ws) else {
                    failures.append(ExampleFailure(id: rule.id, message: "the \(label) for fail example \(i + 1) was not verified"))
                    continue
                }
                var fixed = u
                for fe in fix.edits {
                    if let f = fixed.files.first(where: { $0.path == fe.file }), let t = try? TextEdit.apply(fe.edits, to: f.text) {
                        fixed = fixed.replacing(file: fe.file, with: t)
                    }
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
        return (failures, checks)
    }

    /// The verified fix `alternative` of a finding: the one `analyze` attached for the preferred fix, else verified now.
    private func verifiedFix(_ alternative: Int, for finding: Finding, in unit: AnalysisUnit, report: UnitReport, workspace ws: Workspace)
        -> VerifiedFix?
    {
        if alternative == 0 { return finding.fix }
        guard let language = ws.languages[unit.language] else { return nil }
        let verifier = FixVerifier(engine: ws.engine, language: language)
        guard
            case .success(let fix) = verifier.verify(
                finding, unit: unit, lowered: language.lower(unit), before: report.findings, alternative: alternative)
        else { return nil }
        return fix
    }
}
