import Analysis
import Foundation
import JSONRPC

extension LanguageServer {
    /// `workspace/executeCommand`. `goldpath.requestReview` records a review request for a subject in the
    /// decisions store — through the engine, as `goldpath review request` does; the editor can ask, never approve.
    func executeCommand(_ params: ExecuteCommandParams) throws -> JSON {
        switch params.command {
        case "goldpath.requestReview":
            let argument: RequestReviewArgument
            do throws(ProtocolError) {
                argument = try JSONValueDecoder.decode(RequestReviewArgument.self, from: params.arguments?.first ?? .null)
            } catch {
                throw ResponseError(ErrorCode.invalidParams, "goldpath.requestReview takes one argument {uri, subject}: \(error.message)")
            }
            return try requestReview(argument)
        case "goldpath.editReason":
            let argument: EditReasonArgument
            do throws(ProtocolError) {
                argument = try JSONValueDecoder.decode(EditReasonArgument.self, from: params.arguments?.first ?? .null)
            } catch {
                throw ResponseError(
                    ErrorCode.invalidParams, "goldpath.editReason takes one argument {uri, line, character}: \(error.message)")
            }
            // After a "Suppress … with a reason…" edit: the cursor goes between the empty quotes of reason="".
            let position: JSON = .object(["line": .number(Double(argument.line)), "character": .number(Double(argument.character))])
            requestFromClient(
                "window/showDocument",
                .object([
                    "uri": .string(argument.uri), "takeFocus": .bool(true), "selection": .object(["start": position, "end": position]),
                ]))
            return .null
        default:
            throw ResponseError(
                ErrorCode.invalidParams, "unknown command '\(params.command)': goldpath offers \(Self.commands.joined(separator: ", "))")
        }
    }

    private func requestReview(_ argument: RequestReviewArgument) throws -> JSON {
        let (uri, address) = (argument.uri, argument.subject)
        guard documents[uri] != nil, let report = analysis(uri) else { throw ResponseError(ErrorCode.invalidParams, "\(uri) is not open") }
        guard let subject = report.subjects.first(where: { $0.address == address }) else {
            throw ResponseError(ErrorCode.invalidParams, "\(uri) holds no subject '\(address)'")
        }
        guard let ws = workspace else { throw ResponseError(ErrorCode.internalError, "the workspace is not loaded") }
        let justification =
            argument.justification
            ?? "Requested from the editor: no golden path covers this \(subject.type); please review the change."
        let file = relativeToRoot(subject.file) ?? subject.file
        do {
            let (request, merged) = try ws.requestReview(
                of: subject, in: report.unit, file: file, requester: "lsp:\(ProcessInfo.processInfo.environment["USER"] ?? "editor")",
                justification: justification)
            showMessage("goldpath: review \(merged ? "already requested" : "requested") for \(address) (\(request.id))", type: 3)
            return .object(["id": .string(request.id), "status": .string(request.status), "merged": .bool(merged)])
        } catch {
            showMessage("goldpath: cannot request a review: \(error.message)", type: 1)
            throw ResponseError(ErrorCode.internalError, error.message)
        }
    }
}
