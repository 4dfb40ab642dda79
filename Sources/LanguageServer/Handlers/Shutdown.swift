import JSONRPC

extension LanguageServer {
    /// `shutdown`: pending analyses are dropped; every later request but `shutdown` is refused.
    func shutdown() -> JSON {
        shutdownRequested = true
        for task in pending.values { task.cancel() }
        pending = [:]
        return .null
    }
}
