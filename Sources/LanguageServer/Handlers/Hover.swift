import Analysis
import Foundation
import JSONRPC

extension LanguageServer {
    /// `textDocument/hover`: on a finding, the rule, its golden path, rationale, parameters and a compliant example;
    /// on a subject's header, the golden paths that cover it.
    func hover(_ params: TextDocumentPositionParams) throws -> JSON {
        let (_, report, s) = try document(params.textDocument)
        let position = params.position
        guard let ws = workspace else { return .null }
        let offset = codec.offset(position, in: s.lineIndex)
        let here = report.findings.filter { $0.file == s.path && $0.range.start <= offset && offset <= $0.range.end }
        if here.isEmpty {
            guard
                let subject = report.subjects.first(where: {
                    $0.file == s.path && $0.headerRange.start <= offset && offset <= $0.headerRange.end
                })
            else { return .null }
            return markdown(subjectSummary(subject, report: report, ws: ws), range: subject.headerRange, in: s)
        }
        var parts: [String] = []
        for f in here {
            var text = "**\(f.ruleId)** \(f.message)"
            if let rule = ws.rule(f.ruleId), let path = ws.goldenPath(of: rule) {
                text += "\n\nGolden path: *\(path.title)* (`\(path.id)`)"
                if let why = rule.rationale { text += "\n\nWhy: \(why)" }
                text += parameterLine(ws.params(for: path))
                if !rule.allowedValues.isEmpty {
                    text +=
                        "\n\nAllowed values: " + rule.allowedValues.map { "`\($0.stringValue ?? $0.canonical)`" }.joined(separator: ", ")
                }
                if let example = rule.examples.pass.first?.text {
                    // The closing fence needs a line of its own, also after an example written without a final newline.
                    text += "\n\nCompliant example:\n```\n\(example.hasSuffix("\n") ? example : example + "\n")```"
                }
                if rule.fix != nil { text += "\n\nA quick fix is offered when it verifies (code actions)." }
            }
            if f.kind == .needsReview { text += "\n\nUse the code action *Request review* to send it to a platform reviewer." }
            parts.append(text)
        }
        return markdown(parts.joined(separator: "\n\n---\n\n"), range: here[0].range, in: s)
    }

    /// The hover: markdown, or the same text as plain text for a client whose `hover.contentFormat` leaves markdown out.
    private func markdown(_ text: String, range: SourceRange, in s: SourceText) -> JSON {
        let contents: JSON =
            client.hoverMarkdown
            ? .object(["kind": "markdown", "value": .string(text)])
            : .object(["kind": "plaintext", "value": .string(PlainText.fromMarkdown(text))])
        return .object(["contents": contents, "range": codec.range(range, in: s.lineIndex).json])
    }

    private func parameterLine(_ params: [String: Value]) -> String {
        guard !params.isEmpty else { return "" }
        return "\n\nParameters in force: " + params.keys.sorted().map { "`\($0)=\(params[$0]!.canonical)`" }.joined(separator: ", ")
    }

    private func subjectSummary(_ subject: Subject, report: UnitReport, ws: Workspace) -> String {
        let paths = ws.applicablePaths(for: subject, in: report)
        var text = "**\(subject.type)** `\(subject.address)`"
        if paths.isEmpty {
            return text + "\n\nNo golden path covers this subject: it is a first-of-a-kind change that needs a human review."
        }
        for path in paths {
            let deviations = report.findings.filter { $0.subjectAddress == subject.address && $0.kind == .rule && $0.goldenPath == path.id }
            text += "\n\nGolden path: *\(path.title)* (`\(path.id)`, pack `\(path.pack)`): "
            text +=
                deviations.isEmpty
                ? "followed (\(path.rules.count) rules)."
                : "\(deviations.count) of \(path.rules.count) rules not met (\(deviations.map(\.ruleId).joined(separator: ", ")))."
            text += parameterLine(ws.params(for: path))
        }
        return text
    }
}
