import Analysis
import Foundation
import JSONRPC

extension LanguageServer {
    /// `textDocument/diagnostic`: the document's diagnostics, or `unchanged` when the client's result id is current.
    func documentDiagnostic(_ params: DocumentDiagnosticParams) throws -> JSON {
        let uri = params.textDocument.uri
        guard let doc = documents[uri] else {
            return .object(["kind": "full", "items": .array([])])
        }
        let resultId = "g\(generation)-v\(doc.version)"
        if params.previousResultId == resultId { return .object(["kind": "unchanged", "resultId": .string(resultId)]) }
        return .object(["kind": "full", "resultId": .string(resultId), "items": .array(diagnostics(for: uri))])
    }
}
