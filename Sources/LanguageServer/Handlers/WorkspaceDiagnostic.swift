import Analysis
import Foundation
import JSONRPC

extension LanguageServer {
    /// `workspace/diagnostic`: every file goldpath checks under the root (open documents as edited), and the packs' problems.
    func workspaceDiagnostic(_ params: WorkspaceDiagnosticParams, id: JSON) throws -> JSON {
        guard let session else { return .object(["items": .array([])]) }
        var previous: [String: String] = [:]
        for p in params.previousResultIds ?? [] { previous[p.uri] = p.value }
        var items: [JSON] = []
        func add(uri: String, text: String, diagnostics: () -> [JSON]) {
            let version = documents[uri]?.version
            let resultId = "g\(generation)-" + String(SHA256.hex(text).prefix(16))
            var item: [String: JSON] = [
                "uri": .string(uri), "resultId": .string(resultId), "version": version.map { .number(Double($0)) } ?? .null,
            ]
            if previous[uri] == resultId {
                item["kind"] = "unchanged"
            } else {
                item["kind"] = "full"
                item["items"] = .array(diagnostics())
            }
            items.append(.object(item))
        }
        for unit in session.units(under: root) {
            if cancelled.contains(id) { throw ResponseError(ErrorCode.requestCancelled, "the client cancelled workspace/diagnostic") }
            // Units whose files did not change since the last pull come from the session's cache.
            let report = session.analyze(unit, verifyFixes: false, subjects: false)
            for file in unit.files {
                add(uri: DocumentURI.uri(file.path), text: file.text) {
                    report.findings.filter { $0.file == file.path }.map { diagnostic($0, report: report) }
                }
            }
        }
        for doc in documents.values where isPackOrConfig(doc) {
            add(uri: doc.uri, text: doc.text) { diagnostics(for: doc.uri) }
        }
        return .object(["items": .array(items)])
    }
}
