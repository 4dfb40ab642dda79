import Analysis
import Foundation
import JSONRPC

extension LanguageServer {
    /// Asks the client to watch the config, rule packs and the files goldpath reads beside open documents.
    func registerWatchers() {
        guard client.watchedFilesRegistration else { return }
        var globs = ["**/.goldpath.yaml", "**/*.{yaml,yml}"]
        for glob in (workspace?.languageList ?? Languages.all()).flatMap(\.watchedGlobs) where !globs.contains(glob) { globs.append(glob) }
        requestFromClient(
            "client/registerCapability",
            .object([
                "registrations": .array([
                    .object([
                        "id": "goldpath-watched-files", "method": "workspace/didChangeWatchedFiles",
                        "registerOptions": .object(["watchers": .array(globs.map { .object(["globPattern": .string($0)]) })]),
                    ])
                ])
            ]))
    }

    func isPackDirectory(_ path: String, _ ws: Workspace) -> Bool {
        for name in ws.config.packs ?? [] where !BuiltinPacks.all.contains(where: { $0.name == name }) {
            let dir = name.hasPrefix("/") ? name : (ws.config.baseDirectory.isEmpty ? root : ws.config.baseDirectory) + "/" + name
            if path.hasPrefix(dir.hasSuffix("/") ? dir : dir + "/") { return true }
        }
        return false
    }

    /// Loads the config and packs again; a broken pack is reported, and the other packs keep working.
    func reload() {
        session?.reload()
        workspace = session?.workspace
        seenLoads = session?.loadCount ?? 0
        generation += 1
        reports = [:]
        reportLoadProblems()
        reanalyseOpenDocuments()
    }

    /// Reads the session's workspace for the message being handled. When the session reloaded it on its own
    /// (a config or pack edited outside the editor, a client without file watchers, a decision recorded by
    /// the CLI), the load problems are shown again and the open documents re-analysed.
    func refreshWorkspace() {
        guard let session else { return }
        workspace = session.workspace
        guard session.loadCount != seenLoads else { return }
        seenLoads = session.loadCount
        generation += 1
        reports = [:]
        reportLoadProblems()
        reanalyseOpenDocuments()
    }

    func reanalyseOpenDocuments() {
        if client.pullDiagnostics {
            if client.diagnosticRefresh { requestFromClient("workspace/diagnostic/refresh", .null) }
        }
        for uri in documents.keys { schedule(uri) }
        if client.codeLensRefresh { requestFromClient("workspace/codeLens/refresh", .null) }
    }

    /// Shows the config's and packs' problems (`window/showMessage`) and publishes them as diagnostics in
    /// the pack and config files themselves; files whose problems are gone get an empty list.
    func reportLoadProblems() {
        guard let ws = workspace else { return }
        var byFile: [String: [JSON]] = [:]
        let texts = Dictionary(ws.packSources.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        for e in ws.packErrors where !e.file.hasPrefix("builtin:") {
            let source = texts[e.file] ?? SourceText(path: e.file, text: (try? String(contentsOfFile: e.file, encoding: .utf8)) ?? "")
            byFile[e.file, default: []].append(problemDiagnostic(e.message, e.range, in: source, code: "pack-\(e.kind.rawValue)"))
        }
        for e in ws.configErrors {
            let source = SourceText(path: e.file, text: (try? String(contentsOfFile: e.file, encoding: .utf8)) ?? "")
            byFile[e.file, default: []].append(problemDiagnostic(e.message, e.range, in: source, code: "config"))
        }
        let count = ws.packErrors.count + ws.configErrors.count
        if count > 0 {
            let files = byFile.keys.sorted().map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
            showMessage(
                "goldpath: \(count) problem\(count == 1 ? "" : "s") in rule packs or config (\(files)); the other packs keep working.",
                type: 1)
        }
        // Decisions that do not apply (unsigned, changed, signed by an untrusted key) and a trust file that cannot be read.
        let trustProblems = ws.signingErrors.map(\.description) + ws.decisionProblems
        if let first = trustProblems.first {
            let more = trustProblems.count > 1 ? " (and \(trustProblems.count - 1) more; goldpath check lists them)" : ""
            showMessage("goldpath: \(first)\(more)", type: 2)
        }
        let uris = Dictionary(byFile.map { (DocumentURI.uri($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        // Open pack and config files are diagnosed from their buffers instead.
        for uri in packProblemURIs.union(uris.keys) where documents[uri] == nil {
            notify("textDocument/publishDiagnostics", .object(["uri": .string(uri), "diagnostics": .array(uris[uri] ?? [])]))
        }
        packProblemURIs = Set(uris.keys)
    }
}
