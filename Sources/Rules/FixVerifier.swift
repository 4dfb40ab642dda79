import Foundation
import PolicyModel
import TextCore

/// Plans, applies and verifies fixes (plan → execute → verify).
///
/// A fix is attached to a finding only after its edits were applied to a copy
/// of the unit, the copy was lowered and judged again, the finding was gone
/// and no finding appeared that was not there before. Anything else is dropped.
public struct FixVerifier: Sendable {
    /// The engine that judges.
    public let engine: Engine
    /// The language that lowers and writes.
    public let language: any Language

    /// Creates a verifier.
    public init(engine: Engine, language: any Language) {
        self.engine = engine
        self.language = language
    }

    /// Why a fix was not offered.
    public enum Rejection: Error, Equatable, Sendable {
        case noPlan
        case cannotWrite(String)
        case editsDoNotApply(String)
        case findingRemains
        case introduces([String])
    }

    /// Returns `findings` with verified fixes attached where a rule proposes one.
    public func attachFixes(to findings: [Finding], unit: AnalysisUnit, lowered: LoweredUnit) -> [Finding] {
        findings.concurrentMap { finding in
            var f = finding
            f.fix = firstVerified(finding, unit: unit, lowered: lowered, before: findings)
            return f
        }
    }

    /// The first of the rule's fix alternatives, preferred first, that verifies.
    public func firstVerified(_ finding: Finding, unit: AnalysisUnit, lowered: LoweredUnit, before: [Finding]) -> VerifiedFix? {
        let count = finding.kind == .rule ? engine.rule(finding.ruleId)?.fixes.count ?? 0 : 0
        for alternative in 0..<count {
            if case .success(let fix) = verify(finding, unit: unit, lowered: lowered, before: before, alternative: alternative) {
                return fix
            }
        }
        return nil
    }

    /// Plans and verifies one fix for a finding: the rule's `alternative`th, preferred first.
    public func verify(
        _ finding: Finding, unit: AnalysisUnit, lowered: LoweredUnit, before: [Finding], alternative: Int = 0
    ) -> Result<VerifiedFix, Rejection> {
        guard finding.kind == .rule, let rule = engine.rule(finding.ruleId), rule.fixes.indices.contains(alternative),
            let subject = lowered.subjects.first(where: { $0.address == finding.subjectAddress }),
            let plan = engine.fixPlan(for: rule, subject: subject, all: lowered.subjects, alternative: alternative)
        else { return .failure(.noPlan) }
        let fileEdits: [FileEdits]
        do {
            fileEdits = try language.edits(for: plan, subject: subject, atPath: rule.at, in: unit)
        } catch {
            return .failure(.cannotWrite(error.message))
        }
        let fix = VerifiedFix(title: plan.title, edits: fileEdits.filter { !$0.edits.isEmpty })
        guard !fix.edits.isEmpty else { return .failure(.cannotWrite("the plan produced no edits")) }
        return check(fix, for: finding, unit: unit, before: before)
    }

    /// Applies `fix` to a copy of the unit and checks the outcome.
    public func check(_ fix: VerifiedFix, for finding: Finding, unit: AnalysisUnit, before: [Finding]) -> Result<VerifiedFix, Rejection> {
        var changed = language.scope(unit, toFile: finding.file)
        // A statement moved to a created file keeps its identity: its address names the new file.
        var moves: [(created: String, original: String)] = []
        for fe in fix.edits {
            if let text = fe.createdText {
                guard !unit.knows(fe.file) else { return .failure(.editsDoNotApply("\(fe.file) exists already")) }
                changed = language.adding(createdFile: SourceText(path: fe.file, text: text), to: changed)
                if let original = fe.movedFrom { moves.append((fe.file.fileName + "#", original.fileName + "#")) }
                continue
            }
            guard let file = changed.files.first(where: { $0.path == fe.file }) else {
                return .failure(.editsDoNotApply("no file \(fe.file) in the unit"))
            }
            do {
                changed = changed.replacing(file: fe.file, with: try TextEdit.apply(fe.edits, to: file.text))
            } catch {
                return .failure(.editsDoNotApply(error.description))
            }
        }
        let after = engine.evaluate(language.lower(changed), unit: changed, language: language)
        let afterIds = after.map { f in
            moves.reduce(f.identity) { id, move in id.replacingOccurrences(of: move.created, with: move.original) }
        }
        if afterIds.contains(finding.identity) { return .failure(.findingRemains) }
        var remaining = Dictionary(before.map { ($0.identity, 1) }, uniquingKeysWith: +)
        var introduced: [String] = []
        for id in afterIds {
            if let n = remaining[id], n > 0 { remaining[id] = n - 1 } else { introduced.append(id) }
        }
        return introduced.isEmpty ? .success(fix) : .failure(.introduces(introduced))
    }
}
