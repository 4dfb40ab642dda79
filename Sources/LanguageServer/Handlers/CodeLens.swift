import Analysis
import Foundation
import JSONRPC

extension LanguageServer {
    /// `textDocument/codeLens`: one lens per subject defined in the document —
    /// "✓ golden path <title>", "✗ N deviations from <title>" or "needs review (first of a kind)".
    /// Subjects that share a header line (a CREATE TABLE and its columns, an ALTER TABLE's actions) share one lens.
    func codeLenses(_ params: TextDocumentParams) throws -> JSON {
        let (doc, report, s) = try document(params.textDocument)
        guard let ws = workspace else { return .array([]) }
        var lines: [Int] = []
        var byLine: [Int: [Subject]] = [:]
        for subject in report.subjects where subject.file == s.path {
            let line = s.lineIndex.line(containing: subject.headerRange.start)
            if byLine[line] == nil { lines.append(line) }
            byLine[line, default: []].append(subject)
        }
        var lenses: [JSON] = []
        for line in lines {
            let subjects = byLine[line]!
            let lineRange = s.lineIndex.contentRange(ofLine: line)
            let range = codec.range(lineRange, in: s.lineIndex).json
            if let foak = subjects.first(where: { subject in
                report.findings.contains { $0.subjectAddress == subject.address && $0.kind == .needsReview }
            }) {
                lenses.append(
                    .object([
                        "range": range,
                        "command": .object([
                            "title": "needs review (first of a kind)", "command": "goldpath.requestReview",
                            "arguments": .array([.object(["uri": .string(doc.uri), "subject": .string(foak.address)])]),
                        ]),
                    ]))
                continue
            }
            guard let title = lensTitle(subjects, report: report, ws: ws) else { continue }
            lenses.append(.object(["range": range, "command": .object(["title": .string(title), "command": ""])]))
        }
        return .array(lenses)
    }

    /// The lens text of subjects on one line, or nil when no golden path selects them.
    func lensTitle(_ subjects: [Subject], report: UnitReport, ws: Workspace) -> String? {
        var titles: [String] = []
        var deviations = 0
        for subject in subjects {
            let paths = ws.applicablePaths(for: subject, in: report)
            for path in paths.filter({ !$0.baseline }).isEmpty ? paths : paths.filter({ !$0.baseline }) where !titles.contains(path.title) {
                titles.append(path.title)
            }
            deviations += report.findings.filter { $0.subjectAddress == subject.address && $0.kind == .rule }.count
        }
        guard !titles.isEmpty else { return nil }
        let named = titles.joined(separator: " + ")
        switch deviations {
        case 0: return "✓ golden path \(named)"
        case 1: return "✗ 1 deviation from \(named)"
        default: return "✗ \(deviations) deviations from \(named)"
        }
    }
}
