import Analysis
import Foundation
import JSONRPC

extension LanguageServer {
    /// `textDocument/diagnostic`: the document's diagnostics, or `unchanged` when they are the ones of the client's
    /// result id (an edit that changes no diagnostic costs the analysis, not the transfer).
    func documentDiagnostic(_ params: DocumentDiagnosticParams) throws -> JSON {
        let uri = params.textDocument.uri
        guard let doc = documents[uri] else {
            return .object(["kind": "full", "items": .array([])])
        }
        // The same version in the same generation has the diagnostics of last time: no analysis needed.
        if let memo = diagnosticMemos[uri], memo.version == doc.version, memo.generation == generation,
            params.previousResultId == memo.resultId
        {
            return .object(["kind": "unchanged", "resultId": .string(memo.resultId)])
        }
        let (items, resultId) = diagnosticReport(for: uri)
        if params.previousResultId == resultId { return .object(["kind": "unchanged", "resultId": .string(resultId)]) }
        return .object(["kind": "full", "resultId": .string(resultId), "items": .array(items)])
    }
}
