import Analysis
import Foundation
import JSONRPC
import PolicyModel
import Rules
import TextCore

extension LanguageServer {
    /// `textDocument/codeLens`: one lens per subject defined in the document —
    /// "✓ golden path <title>", "✗ N deviations from <title>" or "needs review (first of a kind)".
    func codeLenses(_ params: JSON?) throws -> JSON {
        let (doc, report, s) = try document(params)
        guard let ws = workspace else { return .array([]) }
        var lenses: [JSON] = []
        for subject in report.subjects where subject.file == s.path {
            guard let title = lensTitle(subject, report: report, ws: ws) else { continue }
            let needsReview = report.findings.contains { $0.subjectAddress == subject.address && $0.kind == .needsReview }
            let command: JSON = needsReview
                ? .object([
                    "title": .string(title), "command": "goldpath.requestReview",
                    "arguments": .array([.object(["uri": .string(doc.uri), "subject": .string(subject.address)])]),
                ])
                : .object(["title": .string(title), "command": ""])
            let line = s.lineIndex.line(containing: subject.headerRange.start)
            let lineRange = s.lineIndex.contentRange(ofLine: line)
            lenses.append(.object(["range": JSON.from(codec.range(lineRange, in: s.lineIndex)), "command": command]))
        }
        return .array(lenses)
    }

    /// The lens text of a subject, or nil when no golden path selects its type and first-of-a-kind review is off.
    func lensTitle(_ subject: Subject, report: UnitReport, ws: Workspace) -> String? {
        let mine = report.findings.filter { $0.subjectAddress == subject.address }
        if mine.contains(where: { $0.kind == .needsReview }) { return "needs review (first of a kind)" }
        let paths = ws.engine.applicablePaths(for: subject, all: report.subjects).applicable
        let named = paths.filter { !$0.baseline }.isEmpty ? paths : paths.filter { !$0.baseline }
        guard !named.isEmpty else { return nil }
        let titles = named.map(\.title).joined(separator: " + ")
        let deviations = mine.filter { $0.kind == .rule }.count
        switch deviations {
        case 0: return "✓ golden path \(titles)"
        case 1: return "✗ 1 deviation from \(titles)"
        default: return "✗ \(deviations) deviations from \(titles)"
        }
    }
}
