extension LanguageServer {
    /// `initialized`: file watchers are registered and the config's and packs' problems shown.
    func initializedNotification() {
        registerWatchers()
        reportLoadProblems()
    }
}
