import JSONRPC

/// What the client said it supports in `initialize`, reduced to the questions the server asks.
struct ClientCapabilities: Sendable {
    /// The position encodings the client offers.
    var positionEncodings: [String]
    /// Whether the client pulls diagnostics (`textDocument/diagnostic`); then the server does not push them.
    var pullDiagnostics: Bool
    /// Whether the client can be asked to pull diagnostics again (`workspace/diagnostic/refresh`).
    var diagnosticRefresh: Bool
    /// Whether the client registers file watchers on request (`client/registerCapability`).
    var watchedFilesRegistration: Bool
    /// Whether code actions may leave out `edit` and have it filled in by `codeAction/resolve`.
    var resolvesCodeActionEdits: Bool
    /// Whether the client can be asked to refresh code lenses.
    var codeLensRefresh: Bool
    /// Whether hover text goes as markdown: the client lists it in `hover.contentFormat`, or says nothing.
    var hoverMarkdown: Bool
    /// Whether a workspace edit may create files: the client lists the `create` resource operation.
    var createsFiles: Bool
    /// Whether the client shows a document with a selection on request (`window/showDocument`).
    var showsDocuments: Bool

    init(_ json: JSON) {
        positionEncodings = json["general"]?["positionEncodings"]?.array?.compactMap(\.string) ?? []
        pullDiagnostics = json["textDocument"]?["diagnostic"] != nil
        diagnosticRefresh = json["workspace"]?["diagnostics"]?["refreshSupport"]?.bool ?? false
        watchedFilesRegistration = json["workspace"]?["didChangeWatchedFiles"]?["dynamicRegistration"]?.bool ?? false
        resolvesCodeActionEdits = json["textDocument"]?["codeAction"]?["resolveSupport"]?["properties"]?.array?.contains("edit") ?? false
        codeLensRefresh = json["workspace"]?["codeLens"]?["refreshSupport"]?.bool ?? false
        hoverMarkdown = json["textDocument"]?["hover"]?["contentFormat"]?.array.map { $0.contains("markdown") } ?? true
        // Resource operations exist only in `documentChanges`: a client that lists `create` reads them (Neovim 0.7
        // lists it without declaring `documentChanges`, and applies them).
        createsFiles = json["workspace"]?["workspaceEdit"]?["resourceOperations"]?.array?.contains("create") == true
        showsDocuments = json["window"]?["showDocument"]?["support"]?.bool ?? false
    }
}
