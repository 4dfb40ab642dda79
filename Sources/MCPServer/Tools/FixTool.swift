import Analysis
import Foundation
import JSONRPC

/// `fix`: the fixed content of a file or draft, its edits, and the findings before and after.
struct FixTool: GoldpathTool {
    let name = "fix"
    let description = """
        Apply every verified fix to a file, folder or draft and return the fixed text, the edits and the verification \
        (findings before and after). Nothing is written to disk: apply the returned content yourself (a file marked created is new, e.g. a migration \
        a concurrent index was moved to). Each fix was applied \
        to a copy, re-checked, and kept only if its finding disappeared and nothing new appeared. Never adds suppressions; \
        findings without a safe fix remain and are listed.
        """
    let readOnly = true
    let schema = ToolSchema(fields: [
        .init(name: "path", type: .string, description: "A file or folder inside the workspace roots."),
        .init(name: "content", type: .string, description: "A draft's full text."),
        .init(name: "filename", type: .string, description: "With content: the draft's path relative to the workspace root."),
    ])

    // The property names are the JSON fields of the published output (snake_case by contract).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct EditOut: Codable {
        var start: PositionOut
        var end: PositionOut
        var new_text: String
    }

    struct FixedFile: Codable {
        var file: String
        /// True for a file the fixes create (its one edit inserts the whole content).
        var created: Bool?
        var content: String?
        var edits: [EditOut]
    }

    // The property names are the JSON fields of the published output (snake_case by contract).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct Output: Codable {
        var files: [FixedFile]
        var applied: [String]
        var findings_before: Int
        var findings_after: Int
        var remaining: [FindingOut]
        var note: String?
    }

    func call(_ args: ToolArguments, context: ToolContext) throws(ToolError) -> ToolOutput {
        let ws = context.workspace()
        let (units, describe) = try context.units(args, workspace: ws)
        var files: [FixedFile] = []
        var applied: [String] = []
        var before = 0
        var remaining: [Finding] = []
        var sources: [String: SourceText] = [:]
        for unit in units {
            before += context.session.analyze(unit, verifyFixes: false).findings.count
            let result = ws.fixAll(unit)
            applied += result.applied
            let after = context.session.analyze(result.analysed)
            remaining += after.findings
            for f in result.unit.files + result.created { sources[f.path] = f }
            for file in result.created {
                files.append(
                    FixedFile(
                        file: context.sandbox.display(file.path), created: true, content: file.text,
                        edits: [
                            EditOut(start: PositionOut(line: 1, column: 1), end: PositionOut(line: 1, column: 1), new_text: file.text)
                        ]))
            }
            for (old, new) in result.changed {
                let edit = TextEdit.minimal(from: old.text, to: new.text)
                let a = old.humanPosition(of: edit.range.start)
                let b = old.humanPosition(of: edit.range.end)
                files.append(
                    FixedFile(
                        file: context.sandbox.display(old.path), content: new.text,
                        edits: [
                            EditOut(
                                start: PositionOut(line: a.line, column: a.column), end: PositionOut(line: b.line, column: b.column),
                                new_text: edit.newText)
                        ]))
            }
        }
        var note: String?
        let budget = context.tokenBudget * Paging.charactersPerToken
        if ((try? JSONEncoder().encode(files))?.count ?? 0) > budget / 2 {
            // Whole files would not fit the budget: return the edits only.
            for i in files.indices { files[i].content = nil }
            note = "the fixed files are larger than the result budget; apply the edits (line/column ranges refer to the original text)"
        }
        let (page, _) = try Paging.page(
            remaining.map { FindingOut($0, sources: sources, sandbox: context.sandbox) }, from: nil, budgetCharacters: budget / 4)
        let output = Output(
            files: files, applied: applied, findings_before: before, findings_after: remaining.count, remaining: page, note: note)
        let value = try ToolOutput.structured(output)
        var text =
            "Applied \(applied.count) verified fix\(applied.count == 1 ? "" : "es") to \(describe): \(before) → \(remaining.count) findings"
        if !remaining.isEmpty { text += "; the rest need a manual change or a review" }
        return ToolOutput(summary: text + ".", structured: value)
    }
}
