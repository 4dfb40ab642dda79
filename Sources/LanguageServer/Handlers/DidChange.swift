extension LanguageServer {
    /// `textDocument/didChange`: full or ranged changes applied in order; the document is analysed again.
    func didChange(_ params: DidChangeTextDocumentParams) {
        let uri = params.textDocument.uri
        guard var doc = documents[uri] else { return }
        for change in params.contentChanges {
            // A range with a negative coordinate is no range: the change is the whole text, as before LSP 3.
            let range = change.range.flatMap { r in
                [r.start.line, r.start.character, r.end.line, r.end.character].allSatisfy { $0 >= 0 } ? r : nil
            }
            doc.text = ContentChange.apply(range: range, text: change.text, to: doc.text, codec: codec)
        }
        doc.version = params.textDocument.version ?? doc.version + 1
        documents[uri] = doc
        session?.setOverlay(doc.path, text: doc.text)
        schedule(uri)
    }
}
