extension LanguageServer {
    /// `textDocument/didSave`: a saved rule pack or config reloads the workspace (clients without file
    /// watchers, such as Neovim 0.7, tell no other way); another document is analysed again.
    func didSave(_ params: TextDocumentParams) {
        let uri = params.textDocument.uri
        guard let doc = documents[uri] else { return }
        if isPackOrConfig(doc) { reload() } else { schedule(uri) }
    }
}
