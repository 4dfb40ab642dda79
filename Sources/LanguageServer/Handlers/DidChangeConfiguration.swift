extension LanguageServer {
    /// `workspace/didChangeConfiguration`: the config and packs are loaded again.
    func didChangeConfiguration() { reload() }
}
