import Analysis
import Foundation

extension LanguageServer {
    /// `workspace/didChangeWatchedFiles`: a changed pack or config reloads the workspace; any other
    /// change (a sibling module file, base values) re-analyses the open documents.
    func didChangeWatchedFiles(_ params: DidChangeWatchedFilesParams) {
        guard initialized, let ws = workspace else { return }
        let packPaths = Set(ws.packSources.map(\.path))
        let paths = params.changes.map { DocumentURI.path($0.uri) }
        let isConfig = { (p: String) in p == self.configPath || (p as NSString).lastPathComponent == ".goldpath.yaml" }
        if paths.contains(where: { packPaths.contains($0) || isConfig($0) || isPackDirectory($0, ws) }) {
            reload()
        } else if !paths.isEmpty {
            generation += 1
            reanalyseOpenDocuments()
        }
    }

}
