extension LanguageServer {
    /// `textDocument/didOpen`: the document overlays its file on disk and is analysed.
    func didOpen(_ params: DidOpenTextDocumentParams) {
        let item = params.textDocument
        let path = DocumentURI.path(item.uri)
        documents[item.uri] = OpenDocument(uri: item.uri, path: path, version: item.version ?? 0, text: item.text)
        session?.setOverlay(path, text: item.text)
        schedule(item.uri)
    }
}
