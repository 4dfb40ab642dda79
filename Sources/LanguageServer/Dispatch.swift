import JSONRPC

/// How the server answers one request method: the params decoded to the method's type (a mismatch is
/// InvalidParams naming the field), then the method's handler.
struct RequestRoute: Sendable {
    let run: @Sendable (isolated LanguageServer, JSON?, JSON) throws -> JSON

    static func on<Params: Decodable & Sendable>(
        _: Params.Type, _ handler: @escaping @Sendable (isolated LanguageServer, Params, JSON) throws -> JSON
    ) -> RequestRoute {
        RequestRoute { server, params, id in
            let decoded: Params
            do throws(ProtocolError) {
                decoded = try JSONValueDecoder.decode(Params.self, from: params)
            } catch {
                throw ResponseError(ErrorCode.invalidParams, error.message)
            }
            return try handler(server, decoded, id)
        }
    }
}

/// How the server takes one notification method; params that do not fit its type are logged and ignored
/// (a notification has no answer to carry an error).
struct NotificationRoute: Sendable {
    let run: @Sendable (isolated LanguageServer, JSON?) -> Void

    static func on<Params: Decodable & Sendable>(_: Params.Type, _ handler: @escaping @Sendable (isolated LanguageServer, Params) -> Void)
        -> NotificationRoute
    {
        NotificationRoute { server, params in
            do throws(ProtocolError) {
                handler(server, try JSONValueDecoder.decode(Params.self, from: params))
            } catch {
                server.log("ignored a notification: \(error.message)")
            }
        }
    }
}

extension LanguageServer {
    /// The requests goldpath answers once initialized, by method (`initialize` is answered before this table is consulted).
    static let requests: [String: RequestRoute] = [
        "shutdown": .on(IgnoredParams.self) { server, _, _ in server.shutdown() },
        "textDocument/codeAction": .on(CodeActionParams.self) { server, params, _ in try server.codeActions(params) },
        "codeAction/resolve": .on(JSON.self) { server, action, _ in try server.resolveCodeAction(action) },
        "textDocument/hover": .on(TextDocumentPositionParams.self) { server, params, _ in try server.hover(params) },
        "textDocument/codeLens": .on(TextDocumentParams.self) { server, params, _ in try server.codeLenses(params) },
        "textDocument/completion": .on(TextDocumentPositionParams.self) { server, params, _ in try server.completion(params) },
        "textDocument/diagnostic": .on(DocumentDiagnosticParams.self) { server, params, _ in try server.documentDiagnostic(params) },
        "workspace/diagnostic": .on(WorkspaceDiagnosticParams.self) { server, params, id in try server.workspaceDiagnostic(params, id: id)
        },
        "workspace/executeCommand": .on(ExecuteCommandParams.self) { server, params, _ in try server.executeCommand(params) },
    ]

    /// The notifications goldpath takes, by method; any other is ignored, as LSP asks.
    static let notifications: [String: NotificationRoute] = [
        "initialized": .on(IgnoredParams.self) { server, _ in server.initializedNotification() },
        "exit": .on(IgnoredParams.self) { server, _ in server.exitNotification() },
        "textDocument/didOpen": .on(DidOpenTextDocumentParams.self) { server, params in server.didOpen(params) },
        "textDocument/didChange": .on(DidChangeTextDocumentParams.self) { server, params in server.didChange(params) },
        "textDocument/didSave": .on(TextDocumentParams.self) { server, params in server.didSave(params) },
        "textDocument/didClose": .on(TextDocumentParams.self) { server, params in server.didClose(params) },
        "workspace/didChangeWatchedFiles": .on(DidChangeWatchedFilesParams.self) { server, params in server.didChangeWatchedFiles(params) },
        "workspace/didChangeConfiguration": .on(IgnoredParams.self) { server, _ in server.didChangeConfiguration() },
    ]
}
