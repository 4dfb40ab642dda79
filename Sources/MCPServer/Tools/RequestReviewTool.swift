import Analysis
import Foundation
import JSONRPC

/// `request_review`: records a request for a human review of a subject; approving is for humans only.
struct RequestReviewTool: GoldpathTool {
    let name = "request_review"
    let description = """
        Ask a human platform reviewer to look at a change no golden path covers (a needs_review verdict), or a deviation \
        you believe is justified. Give the file, the subject's address as check reports it (e.g. aws_kinesis_stream.events) \
        and a justification. Returns the request id; asking again for the same unchanged subject returns the same request. \
        This tool cannot approve, deny or waive anything: a human decides.
        """
    let readOnly = false
    let schema = ToolSchema(fields: [
        .init(name: "path", type: .string, description: "The file holding the subject, inside the workspace roots.", required: true),
        .init(name: "subject", type: .string, description: "The subject's address, as in check's verdicts.", required: true),
        .init(
            name: "justification", type: .string, description: "Why the change is needed and why it is safe (at least 20 characters).",
            required: true),
    ])

    // The property names are the JSON fields of the published output (snake_case by contract).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct Output: Codable {
        var id: String
        var status: String
        var merged: Bool
        var subject: String
        var subject_type: String
        var file: String
        var first_of_a_kind: Bool
    }

    func call(_ args: ToolArguments, context: ToolContext) throws(ToolError) -> ToolOutput {
        let justification = (args.string("justification") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard justification.count >= 20 else { throw ToolError("field 'justification' must explain the change in at least 20 characters") }
        let ws = context.workspace()
        let real = try context.sandbox.resolve(args.string("path") ?? "", field: "path")
        let (units, _) = ws.discovery.units(for: [real])
        let address = args.string("subject") ?? ""
        for unit in units {
            let report = context.session.analyze(unit, verifyFixes: false)
            guard
                let subject = report.subjects.first(where: {
                    $0.address == address && ($0.file == real || unit.files.count == 1 || $0.file.hasSuffix(real))
                })
                    ?? report.subjects.first(where: { $0.address == address })
            else { continue }
            let foak = ws.verdict(of: subject, in: report).status == .needsReview
            let recorded: (request: ReviewRequest, merged: Bool)
            do {
                recorded = try ws.requestReview(
                    of: subject, in: unit, file: context.sandbox.display(subject.file), requester: "mcp-agent", justification: justification
                )
            } catch {
                throw ToolError("no review can be requested: \(error.message)")
            }
            let (request, merged) = recorded
            let output = Output(
                id: request.id, status: request.status, merged: merged, subject: address, subject_type: subject.type,
                file: request.file, first_of_a_kind: foak)
            let value = try ToolOutput.structured(output)
            let text =
                merged
                ? "Review request \(request.id) for \(address) is already open; your justification was not recorded again."
                : "Review request \(request.id) for \(address) is pending a human decision."
            return ToolOutput(summary: text, structured: value)
        }
        let known = units.flatMap { context.session.analyze($0, verifyFixes: false).subjects.map(\.address) }
        throw ToolError(
            "field 'subject': no subject \(address) in \(context.sandbox.display(real)) (subjects: \(known.prefix(10).joined(separator: ", ")))"
        )
    }
}
