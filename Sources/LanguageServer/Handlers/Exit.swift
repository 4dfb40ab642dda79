extension LanguageServer {
    /// `exit`: the process ends with 0 after `shutdown`, 1 otherwise.
    func exitNotification() { exitCode = shutdownRequested ? 0 : 1 }
}
