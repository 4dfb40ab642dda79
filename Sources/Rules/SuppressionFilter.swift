import PolicyModel
import TextCore

/// Applies governed suppressions to a unit's findings and reports bad suppressions.
struct SuppressionFilter {
    let engine: Engine
    let unit: AnalysisUnit
    let lowered: LoweredUnit
    let language: any Language

    func apply(to findings: [Finding]) -> [Finding] {
        let suppressions = lowered.comments.compactMap { SuppressionParser.parse($0, dialects: language.suppressionDialects) }
        guard !suppressions.isEmpty else { return findings }
        var indexes: [String: LineIndex] = [:]
        for f in unit.files { indexes[f.path] = f.lineIndex }
        func line(_ file: String, _ offset: Int) -> Int? { indexes[file]?.line(containing: offset) }
        var headerLines: [String: (file: String, line: Int)] = [:]
        for s in lowered.subjects {
            if let l = line(s.file, s.headerRange.start) { headerLines[s.address] = (s.file, l) }
        }
        var used = Set<Int>()
        var out: [Finding] = []
        var reports: [Finding] = []
        for finding in findings {
            guard finding.kind == .rule || finding.kind == .needsReview || finding.kind == .cannotVerify else {
                out.append(finding)
                continue
            }
            var suppressed = false
            for (i, s) in suppressions.enumerated() where s.problem == nil && matches(s, finding) {
                let findingLine = line(finding.file, finding.range.start)
                let header = finding.subjectAddress.flatMap { headerLines[$0] }
                let onFinding = s.comment.file == finding.file && (s.fileWide || s.comment.targetLine == findingLine)
                let onSubject = header.map { $0.file == s.comment.file && $0.line == s.comment.targetLine } ?? false
                guard onFinding || onSubject else { continue }
                used.insert(i)
                if let until = s.until, until < engine.config.today { continue }
                if let rule = engine.rule(finding.ruleId), !rule.suppressible {
                    reports.append(
                        report(
                            s, "suppression-not-allowed", .warning,
                            "\(finding.ruleId) cannot be suppressed inline: it is marked suppressible: false"))
                    continue
                }
                // Every suppression comment needs the approved waiver under require-approval: goldpath's own and
                // another tool's (`#checkov:skip=`, `#trivy:ignore:`, `-- squawk-ignore`) alike.
                if engine.config.suppressionPolicy == .requireApproval {
                    let approved =
                        (engine.config.waivers?.hasApprovedWaiver(fingerprint: finding.fingerprint) ?? false)
                        || (engine.config.waivedFingerprints[finding.fingerprint].map { $0 >= engine.config.today } ?? false)
                    if !approved {
                        reports.append(
                            report(
                                s, "suppression-unapproved", .warning,
                                "this suppression of \(finding.ruleId) has no approved waiver; request one with goldpath review (suppressions: require-approval)"
                            ))
                        continue
                    }
                }
                suppressed = true
                break
            }
            if !suppressed { out.append(finding) }
        }
        for (i, s) in suppressions.enumerated() {
            if let problem = s.problem, !s.isForeign {
                reports.append(report(s, "suppression-malformed", .warning, "malformed suppression: \(problem)"))
            } else if let until = s.until, until < engine.config.today {
                reports.append(
                    report(
                        s, "suppression-expired", .warning,
                        "suppression of \(s.ruleIds.joined(separator: ", ")) expired on \(until); the finding is reported again"))
            } else if !used.contains(i) && !s.isForeign && s.problem == nil {
                reports.append(
                    report(
                        s, "suppression-unused", .info,
                        "unused suppression: no \(s.ruleIds.joined(separator: ", ")) finding on the line below"))
            }
        }
        var seen = Set<String>()
        return out + reports.filter { seen.insert("\($0.ruleId)@\($0.file):\($0.range.start)").inserted }
    }

    private func matches(_ s: Suppression, _ finding: Finding) -> Bool {
        if s.ruleIds.contains("*") { return !s.isForeign }
        if s.fileWide && s.ruleIds.isEmpty {
            // Every rule of this language's golden paths that the language says the comment's tool covers.
            guard let rule = engine.rule(finding.ruleId),
                engine.goldenPath(rule.goldenPath)?.language == language.id
            else { return false }
            return language.fileWideSuppressionCovers(aliases: rule.aliases)
        }
        if s.ruleIds.contains(finding.ruleId) { return true }
        guard let rule = engine.rule(finding.ruleId) else { return false }
        return s.ruleIds.contains { rule.aliases.contains($0) }
    }

    private func report(_ s: Suppression, _ id: String, _ severity: Severity, _ message: String) -> Finding {
        Finding(
            ruleId: id, kind: .suppression, severity: severity, message: message, file: s.comment.file, range: s.comment.range,
            fingerprint: Fingerprint.of(ruleId: id, file: s.comment.file, text: s.comment.text))
    }
}
