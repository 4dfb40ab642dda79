import Analysis
import JSONRPC

/// `explain_rule`: one rule's condition, rationale, parameters and examples.
struct ExplainRuleTool: GoldpathTool {
    let name = "explain_rule"
    let description =
        "Explain one rule by id (e.g. AWS001, K8S009): what it requires, why, the parameters in force, and failing and passing examples."
    let readOnly = true
    let schema = ToolSchema(fields: [
        .init(name: "id", type: .string, description: "The rule id, as in a finding's 'rule'.", required: true)
    ])

    // The property names are the JSON fields of the published output (snake_case by contract).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct Output: Codable {
        var id: String
        var title: String
        var golden_path: String
        var golden_path_title: String
        var severity: String
        var suppressible: Bool
        var when: String?
        var require: String
        var at: String?
        var message: String
        var rationale: String?
        var params: [String: String]
        var aliases: [String]
        var fixable: Bool
        var failing_examples: [String]
        var passing_examples: [String]
    }

    func call(_ args: ToolArguments, context: ToolContext) throws(ToolError) -> ToolOutput {
        let ws = context.workspace()
        let id = args.string("id") ?? ""
        guard let rule = ws.rule(id), let path = ws.goldenPath(of: rule) else {
            let known = ws.goldenPaths.flatMap { $0.rules.map(\.id) }
            throw ToolError(
                "field 'id': no rule \(id) in the enabled packs (\(known.count) rules, e.g. \(known.prefix(5).joined(separator: ", ")))")
        }
        let output = Output(
            id: rule.id, title: rule.title, golden_path: path.id, golden_path_title: path.title,
            severity: (ws.severity(of: rule) ?? rule.severity).rawValue, suppressible: rule.suppressible,
            when: rule.when?.program.source, require: rule.require.program.source, at: rule.at?.description, message: rule.message.raw,
            rationale: rule.rationale, params: ws.params(for: path).mapValues(\.canonical), aliases: rule.aliases,
            fixable: rule.fix != nil, failing_examples: rule.examples.fail.map(\.text), passing_examples: rule.examples.pass.map(\.text))
        let value = try ToolOutput.structured(output)
        return ToolOutput(summary: "\(rule.id): \(rule.title) (\(output.severity), golden path \(path.id)).", structured: value)
    }
}
