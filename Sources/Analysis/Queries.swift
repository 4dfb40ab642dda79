import CEL
import Decisions
import Foundation
import PolicyModel
import Rules
import TextCore

/// How one subject stands against the golden paths.
public struct SubjectVerdict: Sendable {
    /// The three answers a front end shows.
    public enum Status: String, Sendable {
        /// Every rule of the golden paths that cover it holds.
        case conforms
        /// A golden path covers it and at least one of its rules does not hold.
        case deviates
        /// No golden path covers it: first of a kind, for a human to review.
        case needsReview = "needs_review"
    }

    /// The subject.
    public var subject: Subject
    /// Its status.
    public var status: Status
    /// The golden paths that apply to it (selected, and `when` holds), baselines included.
    public var goldenPaths: [GoldenPath]
    /// Its rule findings.
    public var deviations: [Finding]
}

/// A fix that verified for a finding: applied to a copy, re-checked, the finding gone and nothing new.
public struct OfferedFix: Sendable {
    /// The finding it clears.
    public var finding: Finding
    /// The verified edits.
    public var fix: VerifiedFix
    /// Which of the rule's alternatives it is (0: preferred).
    public var alternative: Int
}

/// Why a review could not be requested.
public struct ReviewRequestError: Error, Sendable, CustomStringConvertible {
    /// A sentence saying why.
    public var message: String
    public var description: String { message }
}

/// The queries every front end asks, answered once here: verdicts, fixes, rules and golden paths, review requests.
extension Workspace {
    /// The rule with `id` in the enabled packs.
    public func rule(_ id: String) -> Rule? { engine.rule(id) }

    /// The golden path a rule belongs to.
    public func goldenPath(of rule: Rule) -> GoldenPath? { engine.goldenPath(rule.goldenPath) }

    /// Where to read more about a rule (its `docs:` or a peer tool's page for one of its aliases).
    public func helpURL(of rule: Rule) -> String? { rule.helpURL(language: goldenPath(of: rule)?.language ?? "") }

    /// Every golden path in force.
    public var goldenPaths: [GoldenPath] { engine.goldenPaths }

    /// The golden paths of a language and/or selecting a subject type (a trailing `*` in `select` matches a prefix).
    public func goldenPaths(language: String?, subjectType: String?) -> [GoldenPath] {
        engine.goldenPaths.filter { p in
            (language == nil || p.language == language)
                && (subjectType.map { type in p.select.contains { $0.hasSuffix("*") ? type.hasPrefix(String($0.dropLast())) : $0 == type } }
                    ?? true)
        }
    }

    /// Whether a subject type is first of a kind: no golden path but baselines selects it.
    public func isFirstOfAKind(subjectType: String) -> Bool {
        !engine.goldenPaths.contains { !$0.baseline && $0.selects(type: subjectType, language: $0.language) }
    }

    /// The parameters in force for a golden path.
    public func params(for path: GoldenPath) -> [String: Value] { engine.params(for: path) }

    /// The severity in force for a rule, or nil when the config switched it off.
    public func severity(of rule: Rule) -> Severity? { engine.severity(of: rule) }

    /// The golden paths that apply to a subject of a report.
    public func applicablePaths(for subject: Subject, in report: UnitReport) -> [GoldenPath] {
        engine.applicablePaths(for: subject, all: report.subjects).applicable
    }

    /// The verdict of every subject of a report, in subject order.
    public func verdicts(_ report: UnitReport) -> [SubjectVerdict] {
        var bySubject: [String: [Finding]] = [:]
        for f in report.findings { if let a = f.subjectAddress { bySubject[a, default: []].append(f) } }
        return report.subjects.map { verdict(of: $0, findings: bySubject[$0.address] ?? [], report: report) }
    }

    /// The verdict of one subject of a report.
    public func verdict(of subject: Subject, in report: UnitReport) -> SubjectVerdict {
        verdict(of: subject, findings: report.findings.filter { $0.subjectAddress == subject.address }, report: report)
    }

    private func verdict(of subject: Subject, findings: [Finding], report: UnitReport) -> SubjectVerdict {
        let deviations = findings.filter { $0.kind == .rule }
        let status: SubjectVerdict.Status =
            findings.contains { $0.kind == .needsReview } ? .needsReview : deviations.isEmpty ? .conforms : .deviates
        return SubjectVerdict(
            subject: subject, status: status, goldenPaths: applicablePaths(for: subject, in: report), deviations: deviations)
    }

    /// Every fix of `findings` that verifies, each alternative a rule offers on its own.
    public func verifiedFixes(for findings: [Finding], in report: UnitReport) -> [OfferedFix] {
        guard let language = languages[report.unit.language] else { return [] }
        let candidates = findings.filter { $0.kind == .rule && engine.rule($0.ruleId)?.fix != nil }
        guard !candidates.isEmpty else { return [] }
        let lowered = language.lower(report.unit)
        let verifier = FixVerifier(engine: engine, language: language)
        return candidates.flatMap { f in
            (engine.rule(f.ruleId)?.fixes.indices ?? 0..<0).compactMap { i -> OfferedFix? in
                guard
                    case .success(let fix) = verifier.verify(
                        f, unit: report.unit, lowered: lowered, before: report.findings, alternative: i)
                else { return nil }
                return OfferedFix(finding: f, fix: fix, alternative: i)
            }
        }
    }

    /// Whether any finding of a report has a fix to try (before verifying it).
    public func hasFixCandidates(_ report: UnitReport) -> Bool {
        report.findings.contains { $0.kind == .rule && engine.rule($0.ruleId)?.fix != nil }
    }

    /// Whether a rule's findings may be suppressed inline.
    public func isSuppressible(_ ruleId: String) -> Bool { engine.rule(ruleId)?.suppressible != false }

    /// The comment prefix of a language (`#`, `--`).
    public func commentPrefix(of language: String) -> String? { languages[language]?.commentPrefix }

    /// How a value is written on a line of `language` for completion: the key/value separator and the
    /// literal form of a string; nil when the language has no such lines.
    public func valueSyntax(of language: String) -> (separator: Character, literal: @Sendable (String) -> String)? {
        guard let descriptor = languages[language], let separator = descriptor.keyValueSeparator else { return nil }
        return (separator, { descriptor.literal($0) })
    }

    /// The subjects of a unit (lowered, not judged).
    public func subjects(of unit: AnalysisUnit) -> [Subject] { languages[unit.language]?.lower(unit).subjects ?? [] }

    /// Records a request for a human review of `subject` (of `unit`) in the decisions store: its snippet,
    /// a fingerprint of its content and who asks. Asking again for the same unchanged subject returns the
    /// open request (`merged`). Front ends can ask, never approve.
    public func requestReview(
        of subject: Subject, in unit: AnalysisUnit, file: String, requester: String, justification: String
    ) throws(ReviewRequestError) -> (request: ReviewRequest, merged: Bool) {
        guard let store = decisions else {
            throw ReviewRequestError(message: "the decisions store is unavailable (\(decisionsError ?? "no store is configured"))")
        }
        let source = (unit.files + unit.contextFiles).first { $0.path == subject.file }
        let snippet = source.map { String($0.slice(subject.origins[.root]?.range ?? subject.headerRange).prefix(4000)) } ?? ""
        do {
            return try store.requestReview(
                language: subject.language, subjectType: subject.type, subject: subject.address, file: file,
                fingerprint: SHA256.hex(subject.value.canonical), snippet: snippet, requester: requester, justification: justification)
        } catch {
            throw ReviewRequestError(message: error.message)
        }
    }

    /// Records an audit event in the decisions store; false when the store is unavailable.
    @discardableResult
    public func audit(_ event: AuditEvent) -> Bool {
        guard let decisions else { return false }
        decisions.record(event)
        return true
    }
}

extension Workspace {
    /// Loads a rule pack's text with the languages goldpath knows: the pack (possibly partial) and its problems.
    public static func loadPack(_ source: SourceText) -> (pack: RulePack?, errors: [RulePackError]) {
        RulePackLoader(languages: Languages.ids).load(source)
    }

    /// What is wrong with a CEL condition a reviewer writes (`review approve --when`), or nil when it compiles.
    public static func conditionProblem(_ condition: String) -> (message: String, column: Int)? {
        do {
            _ = try CELProgram.compile(condition, environment: RulePackLoader.environment)
            return nil
        } catch {
            return (error.message, error.range.start + 1)
        }
    }
}
