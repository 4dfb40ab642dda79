import Analysis
import Foundation
import JSONRPC

extension LanguageServer {
    /// `initialize`: the client's capabilities, the position encoding, the workspace root and config, the
    /// session, and the server's capabilities.
    func initialize(_ params: InitializeParams) throws -> JSON {
        guard !initialized else { throw ResponseError(ErrorCode.invalidRequest, "initialize was already sent") }
        client = ClientCapabilities(params.capabilities ?? .null)
        // Ranges are UTF-8 byte offsets inside goldpath: take UTF-8 whenever the client offers it, else the UTF-16 default.
        codec = PositionCodec(utf8: client.positionEncodings.contains("utf-8"))
        if let uri = params.workspaceFolders?.first?.uri ?? params.rootUri {
            root = DocumentURI.path(uri)
        } else if let path = params.rootPath {
            root = path
        }
        if let path = params.initializationOptions?["config"]?.string, !path.isEmpty {
            configPath = path.hasPrefix("/") ? path : (root as NSString).appendingPathComponent(path)
        }
        let session = Session(configPath: configPath, trustPath: trustPath, root: root)
        self.session = session
        workspace = session.workspace
        seenLoads = session.loadCount
        initialized = true
        var capabilities: [String: JSON] = [
            "positionEncoding": .string(codec.utf8 ? "utf-8" : "utf-16"),
            "textDocumentSync": .object(["openClose": .bool(true), "change": .number(2), "save": .bool(true)]),
            "codeActionProvider": .object([
                "codeActionKinds": .array(["quickfix", "source.fixAll.goldpath"]), "resolveProvider": .bool(true),
            ]),
            "hoverProvider": .bool(true),
            "codeLensProvider": .object(["resolveProvider": .bool(false)]),
            "completionProvider": .object(["triggerCharacters": .array(["\"", "=", ":", " "]), "resolveProvider": .bool(false)]),
            "executeCommandProvider": .object(["commands": .array(LanguageServer.commands.map { .string($0) })]),
            "workspace": .object(["workspaceFolders": .object(["supported": .bool(true), "changeNotifications": .bool(false)])]),
        ]
        if client.pullDiagnostics {
            capabilities["diagnosticProvider"] = .object([
                "identifier": "goldpath", "interFileDependencies": .bool(true), "workspaceDiagnostics": .bool(true),
            ])
        }
        return .object([
            "capabilities": .object(capabilities),
            "serverInfo": .object(["name": "goldpath", "version": "0.1.0"]),
        ])
    }
}
