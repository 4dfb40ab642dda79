import JSONRPC

extension LanguageServer {
    /// `textDocument/didClose`: the file on disk counts again; pushed diagnostics are cleared.
    func didClose(_ params: TextDocumentParams) {
        let uri = params.textDocument.uri
        if let doc = documents[uri] { session?.setOverlay(doc.path, text: nil) }
        documents[uri] = nil
        reports[uri] = nil
        diagnosticMemos[uri] = nil
        pending[uri]?.cancel()
        pending[uri] = nil
        if !client.pullDiagnostics && !packProblemURIs.contains(uri) {
            notify("textDocument/publishDiagnostics", .object(["uri": .string(uri), "diagnostics": .array([])]))
        }
    }
}
