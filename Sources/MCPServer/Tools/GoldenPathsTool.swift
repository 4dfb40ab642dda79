import Analysis
import JSONRPC

/// `golden_paths`: what is routinely approved for a language or subject type, before code is written.
struct GoldenPathsTool: GoldpathTool {
    let name = "golden_paths"
    let description = """
        Ask before writing code: which golden paths apply to a language (\(Languages.ids.joined(separator: ", "))) or a subject type \
        (resource.aws_db_instance, helm.workload), with every rule's condition, the parameters in force and a compliant \
        example. Code that follows these is approved without a human; a type no golden path selects needs a review.
        """
    let readOnly = true
    let schema = ToolSchema(fields: [
        .init(name: "language", type: .string, description: "Only golden paths for this language.", enumValues: Languages.ids),
        .init(
            name: "subject_type", type: .string,
            description: "Only golden paths selecting this subject type, e.g. resource.aws_s3_bucket or helm.workload."),
        cursorField,
    ])

    // The property names are the JSON fields of the published output (snake_case by contract).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct RuleOut: Codable {
        var id: String
        var title: String
        var severity: String
        var when: String?
        var require: String
        var message: String
        var fixable: Bool
        var allowed_values: [String]?
        var compliant_example: String?
    }

    struct PathOut: Codable {
        var id: String
        var title: String
        var language: String
        var select: [String]
        var params: [String: String]
        var example: String?
        var rules: [RuleOut]
    }

    // The property names are the JSON fields of the published output (snake_case by contract).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct Output: Codable {
        var golden_paths: [PathOut]
        var first_of_a_kind: Bool?
        var next_cursor: String?
    }

    func call(_ args: ToolArguments, context: ToolContext) throws(ToolError) -> ToolOutput {
        let ws = context.workspace()
        let language = args.string("language")
        let type = args.string("subject_type")
        let paths = ws.goldenPaths(language: language, subjectType: type)
        let outs = paths.map { p in
            let params = ws.params(for: p)
            return PathOut(
                id: p.id, title: p.title, language: p.language, select: p.select,
                params: params.mapValues(\.canonical), example: p.example,
                rules: p.rules.filter { ws.severity(of: $0) != nil }.map { r in
                    RuleOut(
                        id: r.id, title: r.title, severity: (ws.severity(of: r) ?? r.severity).rawValue, when: r.when?.program.source,
                        require: r.require.program.source, message: r.message.raw, fixable: r.fix != nil,
                        allowed_values: r.allowedValues.isEmpty ? nil : r.allowedValues.map { $0.stringValue ?? $0.canonical },
                        compliant_example: r.examples.pass.first?.text)
                })
        }
        let (page, next) = try Paging.page(
            outs, from: args.string("cursor"), budgetCharacters: context.tokenBudget * Paging.charactersPerToken - 400)
        let foak = type.map { ws.isFirstOfAKind(subjectType: $0) }
        let output = Output(golden_paths: page, first_of_a_kind: foak, next_cursor: next)
        let value = try ToolOutput.structured(output)
        var text = "\(paths.count) golden path\(paths.count == 1 ? "" : "s") with \(paths.reduce(0) { $0 + $1.rules.count }) rules"
        if let type { text += " for \(type)" } else if let language { text += " for \(language)" }
        if foak == true { text += ". No golden path covers \(type!): it is first of a kind and needs a review (request_review)" }
        if let next { text += ". More with cursor \(next)" }
        return ToolOutput(summary: text + ".", structured: value)
    }
}
