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
    /// The engine of the re-checks, which compare findings by identity and so skip fingerprints.
    private let reChecking: Engine

    /// Creates a verifier.
    public init(engine: Engine, language: any Language) {
        self.engine = engine
        self.language = language
        var reChecking = engine
        reChecking.skipsFingerprints = true
        self.reChecking = reChecking
    }

    /// A unit as a fix's re-check judged it: the edited copy, its lowering and its findings (without
    /// fingerprints, unless waivers are in force). `goldpath fix` takes it as the next round's analysis when
    /// the copy is exactly the unit it goes on with, instead of lowering and judging that unit again.
    public struct ReChecked: Sendable {
        /// The unit with the fix's edits, as scoped for the re-check.
        public var unit: AnalysisUnit
        /// Its lowering.
        public var lowered: LoweredUnit
        /// Its findings.
        public var findings: [Finding]
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
    ///
    /// The preferred fixes of one file are verified together when they are independent: each on its own
    /// subject, edits that do not overlap, in that file only. The batch is applied and re-checked once, and
    /// it verifies only when each fix cleared its finding, no finding appeared, and no finding of a subject
    /// outside the batch changed (see `checkBatch`). Otherwise, and for every other alternative, each fix is
    /// verified on its own.
    public func attachFixes(to findings: [Finding], unit: AnalysisUnit, lowered: LoweredUnit) -> [Finding] {
        var out = findings
        for group in verifiedGroups(for: findings, unit: unit, lowered: lowered) {
            for member in group { out[member.index].fix = member.fix }
        }
        return out
    }

    /// The verified fixes of `findings` (of those at `candidates`, or of all), in groups that were verified
    /// together: applying every fix of a group at once is exactly what was re-checked, so a caller may
    /// apply a whole group (a batch of one file's independent fixes, or a single fix). A finding whose
    /// fixes all failed is in no group. With `oneFixPerRule`, a batch holds one finding of each rule: two
    /// findings of a rule on subjects that share a setting (a pod's containers) are then fixed one after
    /// the other, so the second is not fixed again where the first fix already cleared it.
    public func verifiedGroups(
        for findings: [Finding], among candidates: [Int]? = nil, unit: AnalysisUnit, lowered: LoweredUnit, oneFixPerRule: Bool = false
    ) -> [[(index: Int, fix: VerifiedFix)]] {
        let (batches, singles) = planned(findings, among: candidates, lowered: lowered, unit: unit, oneFixPerRule: oneFixPerRule)
        let baseline = FindingsBefore(findings)
        let outcomes: [[[(index: Int, fix: VerifiedFix)]]] = batches.concurrentMap { batch in
            if batch.count > 1, checkBatch(batch.map { (findings[$0.index], $0.fix) }, unit: unit, baseline: baseline) {
                return [batch]
            }
            return batch.compactMap { m in
                verifiedAlone(findings[m.index], planned: m.fix, unit: unit, lowered: lowered, baseline: baseline).map { [(m.index, $0)] }
            }
        }
        let rest: [[(index: Int, fix: VerifiedFix)]?] = singles.concurrentMap { single in
            verifiedAlone(findings[single.index], planned: single.fix, unit: unit, lowered: lowered, baseline: baseline).map {
                [(single.index, $0)]
            }
        }
        return Array(outcomes.joined()) + rest.compactMap { $0 }
    }

    /// The first group that verifies, trying batches and single fixes in the order of `rank` (lowest first; a
    /// batch ranks as its first member), the candidates whose every fix failed on the way, and the unit as the
    /// group's re-check judged it. What is not tried is left for the caller's next round: `goldpath fix` applies
    /// one group a round where a fix's re-check is the whole unit, so verifying every candidate each round was
    /// work thrown away.
    public func firstVerifiedGroup(
        for findings: [Finding], among candidates: [Int], unit: AnalysisUnit, lowered: LoweredUnit, oneFixPerRule: Bool = false,
        rank: (Int) -> Int
    ) -> (group: [(index: Int, fix: VerifiedFix)]?, failed: [Int], reChecked: ReChecked?) {
        let (batches, singles) = planned(findings, among: candidates, lowered: lowered, unit: unit, oneFixPerRule: oneFixPerRule)
        let baseline = FindingsBefore(findings)
        var units: [[(index: Int, fix: VerifiedFix?)]] = singles.map { [$0] }
        for batch in batches { units.append(batch.map { m in (index: m.index, fix: Optional(m.fix)) }) }
        let firsts = units.map { members in members.map { rank($0.index) }.min() ?? 0 }
        units = firsts.indices.sorted { firsts[$0] < firsts[$1] }.map { units[$0] }
        var failed: [Int] = []
        for members in units {
            let fixes = members.compactMap { m in m.fix.map { (index: m.index, fix: $0) } }
            if members.count > 1, fixes.count == members.count,
                let reChecked = checkedBatch(fixes.map { (findings[$0.index], $0.fix) }, unit: unit, baseline: baseline)
            {
                return (fixes, failed, reChecked)
            }
            for m in members.sorted(by: { rank($0.index) < rank($1.index) }) {
                if let (fix, reChecked) = checkedAlone(findings[m.index], planned: m.fix, unit: unit, lowered: lowered, baseline: baseline)
                {
                    return ([(m.index, fix)], failed, reChecked)
                }
                failed.append(m.index)
            }
        }
        return (nil, failed, nil)
    }

    /// The candidates' preferred fixes, planned: batches of one file's independent fixes, and the fixes that
    /// verify only alone (nil where no plan was made).
    private func planned(_ findings: [Finding], among candidates: [Int]?, lowered: LoweredUnit, unit: AnalysisUnit, oneFixPerRule: Bool)
        -> (batches: [[(index: Int, fix: VerifiedFix)]], singles: [(index: Int, fix: VerifiedFix?)])
    {
        let candidates = (candidates ?? Array(findings.indices)).filter {
            findings[$0].kind == .rule && !(engine.rule(findings[$0].ruleId)?.fixes.isEmpty ?? true)
        }
        guard !candidates.isEmpty else { return ([], []) }
        let subjects = Dictionary(grouping: lowered.subjects, by: \.address)
        let planned: [(index: Int, fix: VerifiedFix?)] = candidates.concurrentMap { i in
            (i, try? plan(findings[i], subjects: subjects, all: lowered.subjects, unit: unit, alternative: 0).get())
        }
        var batches: [[(index: Int, fix: VerifiedFix)]] = []
        var singles: [(index: Int, fix: VerifiedFix?)] = []
        var batchesByFile: [String: [Int]] = [:]
        for (i, fix) in planned {
            guard let fix, Self.isBatchable(fix, of: findings[i]) else {
                singles.append((i, fix))
                continue
            }
            let file = findings[i].file
            let subject = Self.subject(of: findings[i], among: findings[i].subjectAddress.flatMap { subjects[$0] } ?? [])
            let slot = batchesByFile[file, default: []].first { b in
                batches[b].allSatisfy { m in
                    Self.independent((findings[m.index], m.fix), (findings[i], fix), subject: subject)
                        && !(oneFixPerRule && findings[m.index].ruleId == findings[i].ruleId)
                }
            }
            if let slot {
                batches[slot].append((i, fix))
            } else {
                batchesByFile[file, default: []].append(batches.count)
                batches.append([(i, fix)])
            }
        }
        return (batches, singles)
    }

    /// A finding's fix verified on its own: the planned preferred fix, else the first other alternative that verifies.
    private func verifiedAlone(
        _ finding: Finding, planned: VerifiedFix?, unit: AnalysisUnit, lowered: LoweredUnit, baseline: FindingsBefore
    )
        -> VerifiedFix?
    {
        checkedAlone(finding, planned: planned, unit: unit, lowered: lowered, baseline: baseline)?.fix
    }

    /// `verifiedAlone`, with the unit as the fix's re-check judged it.
    private func checkedAlone(
        _ finding: Finding, planned: VerifiedFix?, unit: AnalysisUnit, lowered: LoweredUnit, baseline: FindingsBefore
    )
        -> (fix: VerifiedFix, reChecked: ReChecked)?
    {
        if let planned, case .success(let checked) = checked(planned, for: finding, unit: unit, baseline: baseline) { return checked }
        return firstChecked(finding, unit: unit, lowered: lowered, baseline: baseline, from: 1)
    }

    /// A fix that edits only its finding's file, creating nothing, can be verified with others of that file.
    static func isBatchable(_ fix: VerifiedFix, of finding: Finding) -> Bool {
        fix.edits.allSatisfy { $0.file == finding.file && !$0.creates }
    }

    /// Whether two fixes of one file can be verified together: their edits do not overlap, and they fix
    /// different subjects, or different rules of one subject (`subject`) while neither edits the subject's own
    /// text, only inserting around it (two preambles setting what a migration's statements run under).
    static func independent(_ a: (finding: Finding, fix: VerifiedFix), _ b: (finding: Finding, fix: VerifiedFix), subject: Subject?)
        -> Bool
    {
        guard !overlaps(a.fix, b.fix) else { return false }
        if a.finding.subjectAddress != b.finding.subjectAddress { return true }
        guard a.finding.ruleId != b.finding.ruleId, let text = subject?.origins[.root] else { return false }
        return [a, b].allSatisfy { member in
            member.fix.edits.allSatisfy { fe in
                fe.edits.allSatisfy { e in
                    e.range.isEmpty && (fe.file != text.file || e.range.start <= text.range.start || e.range.start >= text.range.end)
                }
            }
        }
    }

    /// Whether two fixes' edits touch the same bytes. Two insertions do only when they are at one place and
    /// their first lines are the same (each creates `resources:` under one mapping, and joined they would write
    /// it twice); others at one place are joined, in the batch's order, by `TextEdit.joiningInsertions`.
    static func overlaps(_ a: VerifiedFix, _ b: VerifiedFix) -> Bool {
        for ea in a.edits.flatMap(\.edits) {
            for eb in b.edits.flatMap(\.edits) {
                if ea.range.isEmpty && eb.range.isEmpty {
                    if ea.range.start == eb.range.start && firstLine(ea.newText) == firstLine(eb.newText) { return true }
                    continue
                }
                if ea.range.start < eb.range.end && eb.range.start < ea.range.end { return true }
                if ea.range.start == eb.range.start || ea.range.end == eb.range.end { return true }
                if ea.range.isEmpty && (ea.range.start == eb.range.start || ea.range.start == eb.range.end) { return true }
                if eb.range.isEmpty && (eb.range.start == ea.range.start || eb.range.start == ea.range.end) { return true }
            }
        }
        return false
    }

    /// The first line of an inserted text that is not blank, without its indentation.
    private static func firstLine(_ text: String) -> Substring {
        let line = text.split(separator: "\n", omittingEmptySubsequences: true).first { !$0.allSatisfy(\.isWhitespace) } ?? ""
        return line.drop { $0 == " " || $0 == "\t" }
    }

    /// Applies a batch of independent fixes of one file together and re-checks once: true when every fix
    /// cleared its finding, no finding appeared, and no finding of a subject outside the batch changed (a
    /// fix may clear other findings of its own subject, as it may alone).
    func checkBatch(_ batch: [(finding: Finding, fix: VerifiedFix)], unit: AnalysisUnit, before: [Finding]) -> Bool {
        checkBatch(batch, unit: unit, baseline: FindingsBefore(before))
    }

    func checkBatch(_ batch: [(finding: Finding, fix: VerifiedFix)], unit: AnalysisUnit, baseline: FindingsBefore) -> Bool {
        checkedBatch(batch, unit: unit, baseline: baseline) != nil
    }

    /// `checkBatch`, with the unit as the re-check judged it when the batch verifies.
    private func checkedBatch(_ batch: [(finding: Finding, fix: VerifiedFix)], unit: AnalysisUnit, baseline: FindingsBefore)
        -> ReChecked?
    {
        guard let file = batch.first?.finding.file else { return nil }
        var changed = language.scope(unit, toFile: file)
        guard let source = changed.files.first(where: { $0.path == file }) else { return nil }
        do {
            changed = changed.replacing(
                file: file,
                with: try TextEdit.apply(TextEdit.joiningInsertions(batch.flatMap { $0.fix.edits.flatMap(\.edits) }), to: source.text))
        } catch {
            return nil
        }
        let judged = Set(changed.files.map(\.path))
        let scoped = judged.flatMap { baseline.byFile[$0] ?? [] }
        var expected = Dictionary(scoped.map { ($0.identity, 1) }, uniquingKeysWith: +)
        for member in batch {
            guard let n = expected[member.finding.identity], n > 0 else { return nil }
            expected[member.finding.identity] = n - 1
        }
        let lowered = language.lower(changed)
        let after = reChecking.evaluate(lowered, unit: changed, language: language)
        let fixedSubjects = Set(batch.map { $0.finding.subjectAddress })
        let cleared = Set(batch.map { $0.finding.identity })
        var remaining = expected
        for f in after {
            guard !cleared.contains(f.identity), let n = remaining[f.identity], n > 0 else { return nil }
            remaining[f.identity] = n - 1
        }
        // What else disappeared must belong to a fixed subject.
        let gone = Set(remaining.filter { $0.value > 0 }.map(\.key))
        guard scoped.allSatisfy({ !gone.contains($0.identity) || fixedSubjects.contains($0.subjectAddress) }) else { return nil }
        return ReChecked(unit: changed, lowered: lowered, findings: after)
    }

    /// The first of the rule's fix alternatives, preferred first, that verifies.
    public func firstVerified(_ finding: Finding, unit: AnalysisUnit, lowered: LoweredUnit, before: [Finding], from first: Int = 0)
        -> VerifiedFix?
    {
        firstVerified(finding, unit: unit, lowered: lowered, baseline: FindingsBefore(before), from: first)
    }

    func firstVerified(_ finding: Finding, unit: AnalysisUnit, lowered: LoweredUnit, baseline: FindingsBefore, from first: Int)
        -> VerifiedFix?
    {
        firstChecked(finding, unit: unit, lowered: lowered, baseline: baseline, from: first)?.fix
    }

    /// `firstVerified`, with the unit as the fix's re-check judged it.
    private func firstChecked(_ finding: Finding, unit: AnalysisUnit, lowered: LoweredUnit, baseline: FindingsBefore, from first: Int)
        -> (fix: VerifiedFix, reChecked: ReChecked)?
    {
        let count = finding.kind == .rule ? engine.rule(finding.ruleId)?.fixes.count ?? 0 : 0
        guard first < count else { return nil }
        for alternative in first..<count {
            guard case .success(let fix) = plan(finding, subjects: nil, all: lowered.subjects, unit: unit, alternative: alternative),
                case .success(let checked) = checked(fix, for: finding, unit: unit, baseline: baseline)
            else { continue }
            return checked
        }
        return nil
    }

    /// Plans and verifies one fix for a finding: the rule's `alternative`th, preferred first.
    public func verify(
        _ finding: Finding, unit: AnalysisUnit, lowered: LoweredUnit, before: [Finding], alternative: Int = 0
    ) -> Result<VerifiedFix, Rejection> {
        verify(finding, unit: unit, lowered: lowered, baseline: FindingsBefore(before), alternative: alternative)
    }

    func verify(_ finding: Finding, unit: AnalysisUnit, lowered: LoweredUnit, baseline: FindingsBefore, alternative: Int)
        -> Result<VerifiedFix, Rejection>
    {
        switch plan(finding, subjects: nil, all: lowered.subjects, unit: unit, alternative: alternative) {
        case .success(let fix): return check(fix, for: finding, unit: unit, baseline: baseline)
        case .failure(let rejection): return .failure(rejection)
        }
    }

    /// The subject a finding is of, among the subjects of its address: the one in the finding's file, else the
    /// first (a called module's subject lies in the module, its finding in the calling file). Addresses are unique
    /// within a file, not always within a unit: every Diesel migration is an `up.sql`.
    static func subject(of finding: Finding, among candidates: [Subject]) -> Subject? {
        candidates.first { $0.file == finding.file } ?? candidates.first
    }

    /// Plans a fix for a finding and writes its edits, without verifying them.
    func plan(_ finding: Finding, subjects: [String: [Subject]]?, all: [Subject], unit: AnalysisUnit, alternative: Int)
        -> Result<VerifiedFix, Rejection>
    {
        guard finding.kind == .rule, let rule = engine.rule(finding.ruleId), rule.fixes.indices.contains(alternative),
            let address = finding.subjectAddress,
            let subject = Self.subject(of: finding, among: subjects.map { $0[address] ?? [] } ?? all.filter { $0.address == address }),
            let plan = engine.fixPlan(for: rule, subject: subject, all: all, alternative: alternative)
        else { return .failure(.noPlan) }
        if leavesFinding(plan, of: rule, on: subject) { return .failure(.findingRemains) }
        let fileEdits: [FileEdits]
        do {
            fileEdits = try language.edits(for: plan, subject: subject, atPath: rule.at, in: unit)
        } catch {
            return .failure(.cannotWrite(error.message))
        }
        let fix = VerifiedFix(title: plan.title, edits: fileEdits.filter { !$0.edits.isEmpty })
        guard !fix.edits.isEmpty else { return .failure(.cannotWrite("the plan produced no edits")) }
        return .success(fix)
    }

    /// Whether a plan is known to leave its finding without a re-check: the rule and its golden path judge the
    /// subject alone (neither calls `related()`), and every operation writes where the subject is not read from
    /// (see `Subject.unreadPaths`), so the subject, and with it the verdict, stays as it was.
    func leavesFinding(_ plan: FixPlan, of rule: Rule, on subject: Subject) -> Bool {
        guard !subject.unreadPaths.isEmpty, !plan.operations.isEmpty else { return false }
        let ignored = plan.operations.allSatisfy { op in
            switch op {
            case .set(let path, _), .remove(let path): subject.ignoresWrite(at: path)
            case .transform, .insertSibling: false
            }
        }
        guard ignored, !rule.readsOtherSubjects, let path = engine.goldenPath(rule.goldenPath) else {
            return false
        }
        return !(path.when?.program.calls("related") ?? false)
    }

    /// Applies `fix` to a copy of the unit and checks the outcome.
    public func check(_ fix: VerifiedFix, for finding: Finding, unit: AnalysisUnit, before: [Finding]) -> Result<VerifiedFix, Rejection> {
        check(fix, for: finding, unit: unit, baseline: FindingsBefore(before))
    }

    func check(_ fix: VerifiedFix, for finding: Finding, unit: AnalysisUnit, baseline: FindingsBefore) -> Result<VerifiedFix, Rejection> {
        checked(fix, for: finding, unit: unit, baseline: baseline).map(\.fix)
    }

    /// `check`, with the unit as the re-check judged it when the fix verifies.
    private func checked(_ fix: VerifiedFix, for finding: Finding, unit: AnalysisUnit, baseline: FindingsBefore)
        -> Result<(fix: VerifiedFix, reChecked: ReChecked), Rejection>
    {
        var changed = language.scope(unit, toFile: finding.file)
        // A statement moved to a created file keeps its identity: its address names the new file (by its name, or
        // by its folder and name where every file has the same name, as Diesel's `up.sql`).
        var moves: [(created: String, original: String)] = []
        for fe in fix.edits {
            if let text = fe.createdText {
                guard !unit.knows(fe.file) else { return .failure(.editsDoNotApply("\(fe.file) exists already")) }
                changed = language.adding(createdFile: SourceText(path: fe.file, text: text), to: changed)
                if let original = fe.movedFrom {
                    moves.append(
                        (
                            fe.file.parentPath.fileName + "/" + fe.file.fileName + "#",
                            original.parentPath.fileName + "/" + original.fileName + "#"
                        ))
                    moves.append((fe.file.fileName + "#", original.fileName + "#"))
                }
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
        let lowered = language.lower(changed)
        let after = reChecking.evaluate(lowered, unit: changed, language: language)
        let afterIds = after.map { f in
            moves.reduce(f.identity) { id, move in id.replacingOccurrences(of: move.created, with: move.original) }
        }
        if afterIds.contains(finding.identity) { return .failure(.findingRemains) }
        // A finding is new when its identity occurs more often than before (counted here, not by copying the counts).
        var seen: [String: Int] = [:]
        var introduced: [String] = []
        for id in afterIds {
            let n = seen[id, default: 0] + 1
            seen[id] = n
            if n > baseline.counts[id] ?? 0 { introduced.append(id) }
        }
        guard introduced.isEmpty else { return .failure(.introduces(introduced)) }
        return .success((fix, ReChecked(unit: changed, lowered: lowered, findings: after)))
    }
}

/// The findings before a fix, with what every re-check compares against computed once per unit: how many
/// findings share each identity, and the findings of each file.
struct FindingsBefore: Sendable {
    let counts: [String: Int]
    let byFile: [String: [Finding]]

    init(_ findings: [Finding]) {
        counts = Dictionary(findings.map { ($0.identity, 1) }, uniquingKeysWith: +)
        byFile = Dictionary(grouping: findings, by: \.file)
    }
}
