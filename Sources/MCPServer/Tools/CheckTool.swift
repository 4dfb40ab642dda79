import Analysis
import Foundation
import JSONRPC

/// `check`: findings and the golden-path verdict per subject for a file, a folder or a draft.
struct CheckTool: GoldpathTool {
    let name = "check"
    let description = """
        Check \(Languages.fileKinds) against the platform's golden paths. \
        Give 'path' (a file or folder in the workspace) or a draft as 'content' with its 'filename' (where it would live; \
        the rest of its module, chart or migrations folder on disk is used as context). Returns each finding (rule, severity, message, \
        1-based line/column range, whether a verified fix exists, fingerprint) and a verdict per subject: conforms, \
        deviates, or needs_review (first of a kind: no golden path covers it; ask for a review with request_review). \
        With changed_only and base_content, only findings the change introduced are returned.
        """
    let readOnly = true
    let schema = ToolSchema(fields: [
        .init(
            name: "path", type: .string,
            description: "A file or folder inside the workspace roots, e.g. infra/rds or charts/api/values.yaml."),
        .init(name: "content", type: .string, description: "A draft's full text, checked without writing it."),
        .init(
            name: "filename", type: .string,
            description: "With content: the draft's path relative to the workspace root, e.g. infra/rds/main.tf."),
        .init(
            name: "changed_only", type: .boolean,
            description: "With content and base_content: report only findings not present in base_content."),
        .init(name: "base_content", type: .string, description: "The file's text before the change, for changed_only."),
        cursorField,
    ])

    // The property names are the JSON fields of the published output (snake_case by contract).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct Verdict: Codable {
        var subject: String
        var type: String
        var file: String
        var line: Int
        var status: String
        var golden_paths: [String]
    }

    // The property names are the JSON fields of the published output (snake_case by contract).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct Summary: Codable {
        var files: Int
        var subjects: Int
        var findings: Int
        var errors: Int
        var fixable: Int
        var needs_review: Int
        var conforms: Bool
    }

    // The property names are the JSON fields of the published output (snake_case by contract).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct Output: Codable {
        var summary: Summary
        var verdicts: [Verdict]?
        var findings: [FindingOut]
        var next_cursor: String?
    }

    func call(_ args: ToolArguments, context: ToolContext) throws(ToolError) -> ToolOutput {
        let ws = context.workspace()
        let (units, describe) = try context.units(args, workspace: ws)
        var reports = units.map { context.session.analyze($0) }
        if args.bool("changed_only") == true {
            guard let base = args.string("base_content"), let filename = args.string("filename"), args.string("content") != nil else {
                throw ToolError("changed_only needs 'content', 'filename' and 'base_content'")
            }
            let relative = context.sandbox.display(try context.sandbox.checkFilename(filename, field: "filename"))
            if let baseUnit = ws.unit(forContent: base, filename: relative, root: context.sandbox.primary) {
                let before = Set(context.session.analyze(baseUnit, verifyFixes: false).findings.map(\.fingerprint))
                for i in reports.indices { reports[i].findings.removeAll { before.contains($0.fingerprint) } }
            }
        }
        var sources: [String: SourceText] = [:]
        for r in reports { for f in r.unit.files { sources[f.path] = f } }
        let findings = reports.flatMap(\.findings).sorted { ($0.file, $0.range.start) < ($1.file, $1.range.start) }
        var verdicts: [Verdict] = []
        for r in reports {
            for verdict in ws.verdicts(r) {
                let s = verdict.subject
                let status = verdict.status.rawValue
                let paths = verdict.goldenPaths.map(\.id)
                let line = sources[s.file]?.humanPosition(of: s.headerRange.start).line ?? 1
                verdicts.append(
                    Verdict(
                        subject: s.address, type: s.type, file: context.sandbox.display(s.file), line: line, status: status,
                        golden_paths: paths))
            }
        }
        let outs = findings.map { FindingOut($0, sources: sources, sandbox: context.sandbox) }
        let budget = context.tokenBudget * Paging.charactersPerToken
        // Verdicts come on the first page, the deviating ones first; findings fill the rest of the budget.
        let firstPage = args.string("cursor") == nil
        let sortedVerdicts = verdicts.sorted {
            ($0.status == "conforms" ? 1 : 0, $0.file, $0.line) < ($1.status == "conforms" ? 1 : 0, $1.file, $1.line)
        }
        let (shownVerdicts, _) = try Paging.page(sortedVerdicts, from: nil, budgetCharacters: budget / 3)
        let verdictBytes = firstPage ? ((try? JSONEncoder().encode(shownVerdicts))?.count ?? 0) : 0
        let (page, next) = try Paging.page(
            outs, from: args.string("cursor"), budgetCharacters: max(budget - verdictBytes - 600, budget / 3))
        let summary = Summary(
            files: reports.reduce(0) { $0 + $1.unit.files.count }, subjects: verdicts.count, findings: findings.count,
            errors: findings.filter { $0.severity == .error }.count, fixable: findings.filter { $0.fix != nil }.count,
            needs_review: verdicts.filter { $0.status == "needs_review" }.count,
            conforms: !findings.contains { $0.severity >= .warning })
        var text = "\(findings.countSummary) in \(describe); \(verdicts.count) subject\(verdicts.count == 1 ? "" : "s")"
        if summary.needs_review > 0 { text += ", \(summary.needs_review) first of a kind (request_review)" }
        if summary.fixable > 0 { text += ", \(summary.fixable) with a verified fix (call fix)" }
        if findings.isEmpty { text += ": conforms to the golden paths" }
        if let next { text += ". Showing \(page.count); call again with cursor \(next) for more" }
        if firstPage && shownVerdicts.count < verdicts.count {
            text += ". \(verdicts.count - shownVerdicts.count) conforming verdicts omitted"
        }
        let output = Output(summary: summary, verdicts: firstPage ? shownVerdicts : nil, findings: page, next_cursor: next)
        let value = try ToolOutput.structured(output)
        return ToolOutput(summary: text + ".", structured: value)
    }
}
