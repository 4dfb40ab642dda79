import Analysis
import Foundation
import JSONRPC

extension LanguageServer {
    /// `codeAction/resolve`: fills in the fix-all edit; ContentModified when the document changed since it was
    /// offered. An action with nothing to resolve (a command, an edit already there) comes back unchanged, as
    /// LSP asks: Neovim resolves every action it runs when the server resolves any.
    func resolveCodeAction(_ params: JSON) throws -> JSON {
        guard case .object(var action) = params else { throw ResponseError(ErrorCode.invalidParams, "a code action is an object") }
        guard action["edit"] == nil, let data = action["data"], let uri = data["uri"]?.string else { return params }
        guard let doc = documents[uri], doc.version == data["version"]?.int, generation == data["generation"]?.int else {
            throw ResponseError(ErrorCode.contentModified, "\(uri) changed since the action was offered")
        }
        guard let report = analysis(uri) else { throw ResponseError(ErrorCode.invalidParams, "goldpath does not check \(uri)") }
        action["edit"] = fixAllEdit(report) ?? .object(["changes": .object([:])])
        return .object(action)
    }
}
