import JSONRPC

// The params of the LSP 3.17 methods goldpath serves, as Codable types (only the fields it reads).
// Results are built as JSON by the handlers.

/// `{uri}`.
struct TextDocumentIdentifier: Codable, Sendable {
    var uri: String
}

/// `{uri, version?}`.
struct VersionedTextDocumentIdentifier: Codable, Sendable {
    var uri: String
    var version: Int?
}

/// `{uri, languageId, version, text}`.
struct TextDocumentItem: Codable, Sendable {
    var uri: String
    var languageId: String?
    var version: Int?
    var text: String
}

/// `{line, character}` in the negotiated encoding.
typealias Position = JSONPosition

/// `{start, end}`.
typealias Range = JSONRange

/// `initialize`.
struct InitializeParams: Codable, Sendable {
    struct WorkspaceFolder: Codable, Sendable {
        var uri: String
    }

    var capabilities: JSON?
    var rootUri: String?
    var rootPath: String?
    var workspaceFolders: [WorkspaceFolder]?
    var initializationOptions: JSON?
}

/// `textDocument/didOpen`.
struct DidOpenTextDocumentParams: Codable, Sendable {
    var textDocument: TextDocumentItem
}

/// `textDocument/didChange`.
struct DidChangeTextDocumentParams: Codable, Sendable {
    /// A full (no range) or ranged change.
    struct ContentChange: Codable, Sendable {
        var range: Range?
        var text: String
    }

    var textDocument: VersionedTextDocumentIdentifier
    var contentChanges: [ContentChange]
}

/// `textDocument/didSave`, `textDocument/didClose`, `textDocument/codeLens`.
struct TextDocumentParams: Codable, Sendable {
    var textDocument: TextDocumentIdentifier
}

/// `textDocument/hover`, `textDocument/completion`.
struct TextDocumentPositionParams: Codable, Sendable {
    var textDocument: TextDocumentIdentifier
    var position: Position
}

/// `textDocument/codeAction`.
struct CodeActionParams: Codable, Sendable {
    struct Context: Codable, Sendable {
        var only: [String]?
    }

    var textDocument: TextDocumentIdentifier
    var range: Range
    var context: Context?
}

/// `textDocument/diagnostic`.
struct DocumentDiagnosticParams: Codable, Sendable {
    var textDocument: TextDocumentIdentifier
    var previousResultId: String?
}

/// `workspace/diagnostic`.
struct WorkspaceDiagnosticParams: Codable, Sendable {
    struct PreviousResultId: Codable, Sendable {
        var uri: String
        var value: String
    }

    var previousResultIds: [PreviousResultId]?
}

/// `workspace/executeCommand`.
struct ExecuteCommandParams: Codable, Sendable {
    var command: String
    var arguments: [JSON]?
}

/// The argument of `goldpath.requestReview`.
struct RequestReviewArgument: Codable, Sendable {
    var uri: String
    var subject: String
    var justification: String?
}

/// The argument of `goldpath.editReason`: where the cursor goes, in the client's position encoding.
struct EditReasonArgument: Codable, Sendable {
    var uri: String
    var line: Int
    var character: Int
}

/// `workspace/didChangeWatchedFiles`.
struct DidChangeWatchedFilesParams: Codable, Sendable {
    struct FileEvent: Codable, Sendable {
        var uri: String
        var type: Int?
    }

    var changes: [FileEvent]
}

/// Params a method ignores (`shutdown`, `initialized`, `exit`, `workspace/didChangeConfiguration`).
struct IgnoredParams: Decodable, Sendable {
    init(from decoder: Decoder) throws {}
}
