import Analysis
import Foundation
import JSONRPC

/// What an open document is to goldpath.
enum DocumentKind {
    /// A file a language analyses (Terraform, Helm values).
    case analysed
    /// A rule pack: checked by the pack loader (bad CEL, unknown keys).
    case rulePack
    /// `.goldpath.yaml`.
    case config
}

extension LanguageServer {
    func kind(of doc: OpenDocument) -> DocumentKind {
        if doc.path == configPath || (doc.path as NSString).lastPathComponent == ".goldpath.yaml" { return .config }
        let ext = (doc.path as NSString).pathExtension
        guard ext == "yaml" || ext == "yml" else { return .analysed }
        if workspace?.packSources.contains(where: { $0.path == doc.path }) == true { return .rulePack }
        if doc.text.hasPrefix("golden_paths:") || doc.text.contains("\ngolden_paths:") { return .rulePack }
        return .analysed
    }

    func isPackOrConfig(_ doc: OpenDocument?) -> Bool {
        guard let doc else { return false }
        return kind(of: doc) != .analysed
    }

    /// The path of `path` relative to the workspace root, or nil when it lies outside.
    func relativeToRoot(_ path: String) -> String? {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : nil
    }

    /// The analysis of an open document's unit, with every other open document of the unit overlaid.
    func analysis(_ uri: String) -> UnitReport? {
        guard let doc = documents[uri], let session, kind(of: doc) == .analysed else { return nil }
        if let cached = reports[uri], cached.version == doc.version, cached.generation == generation { return cached.report }
        // A file outside the root (another workspace folder, a file opened alone) is read with its own directory's module or chart.
        let (base, relative) =
            relativeToRoot(doc.path).map { (root, $0) }
            ?? ((doc.path as NSString).deletingLastPathComponent, (doc.path as NSString).lastPathComponent)
        // Diagnostics need no fixes; fixes are planned and verified lazily, for the findings a code action asks about.
        guard let report = session.analyzeDraft(content: doc.text, filename: relative, root: base, path: doc.path) else { return nil }
        reports[uri] = CachedReport(version: doc.version, generation: generation, report: report)
        return report
    }

    /// The document's own file in its unit.
    func sourceFile(_ doc: OpenDocument, _ report: UnitReport) -> SourceText? {
        report.unit.files.first { $0.path == doc.path }
            ?? report.unit.files.first { $0.path.hasSuffix(doc.path) || doc.path.hasSuffix("/" + $0.path) }
    }

    /// The diagnostics of an open document: findings for analysed files, load problems for packs and the config.
    func diagnostics(for uri: String) -> [JSON] {
        guard let doc = documents[uri] else { return [] }
        switch kind(of: doc) {
        case .rulePack:
            let source = SourceText(path: doc.path, text: doc.text)
            let (_, errors) = Workspace.loadPack(source)
            return errors.filter { $0.file == doc.path }.map {
                problemDiagnostic($0.message, $0.range, in: source, code: "pack-\($0.kind.rawValue)")
            }
        case .config:
            let source = SourceText(path: doc.path, text: doc.text)
            return GoldpathConfig.parse(source).errors.map { problemDiagnostic($0.message, $0.range, in: source, code: "config") }
        case .analysed:
            guard let report = analysis(uri), let file = sourceFile(doc, report) else { return [] }
            return report.findings.filter { $0.file == file.path }.map { diagnostic($0, report: report) }
        }
    }

    func problemDiagnostic(_ message: String, _ range: SourceRange, in source: SourceText, code: String) -> JSON {
        .object([
            "range": codec.range(range, in: source.lineIndex).json, "severity": .number(1), "code": .string(code),
            "source": "goldpath", "message": .string(message),
        ])
    }

    func publish(_ uri: String) {
        guard let doc = documents[uri] else { return }
        pending[uri] = nil
        let items = diagnostics(for: uri)
        notify(
            "textDocument/publishDiagnostics",
            .object([
                "uri": .string(uri), "version": .number(Double(doc.version)), "diagnostics": .array(items),
            ]))
    }

    func source(_ path: String, _ report: UnitReport) -> SourceText? { report.unit.files.first { $0.path == path } }

    func diagnostic(_ f: Finding, report: UnitReport) -> JSON {
        let index = source(f.file, report)?.lineIndex ?? LineIndex(bytes: [])
        var d: [String: JSON] = [
            "range": codec.range(f.range, in: index).json,
            "severity": .number(Double(f.severity == .error ? 1 : f.severity == .warning ? 2 : f.severity == .info ? 3 : 4)),
            "code": .string(f.ruleId), "source": "goldpath", "message": .string(f.message),
            "data": .object(["fingerprint": .string(f.fingerprint), "subject": f.subjectAddress.map { .string($0) } ?? .null]),
        ]
        if let docs = workspace?.rule(f.ruleId)?.docs { d["codeDescription"] = .object(["href": .string(docs)]) }
        let related = f.related.compactMap { r -> JSON? in
            guard let s = source(r.file, report) else { return nil }
            return .object([
                "location": .object(["uri": .string(DocumentURI.uri(r.file)), "range": codec.range(r.range, in: s.lineIndex).json]),
                "message": .string(r.message),
            ])
        }
        if !related.isEmpty { d["relatedInformation"] = .array(related) }
        return .object(d)
    }

    /// `textDocument/diagnostic`: the document's diagnostics, or `unchanged` when the client's result id is current.
    func documentDiagnostic(_ params: JSON?) throws -> JSON {
        guard let uri = params?["textDocument"]?["uri"]?.string else {
            throw ResponseError(ErrorCode.invalidParams, "textDocument.uri is required")
        }
        guard let doc = documents[uri] else {
            return .object(["kind": "full", "items": .array([])])
        }
        let resultId = "g\(generation)-v\(doc.version)"
        if params?["previousResultId"]?.string == resultId { return .object(["kind": "unchanged", "resultId": .string(resultId)]) }
        return .object(["kind": "full", "resultId": .string(resultId), "items": .array(diagnostics(for: uri))])
    }

    /// `workspace/diagnostic`: every file goldpath checks under the root (open documents as edited), and the packs' problems.
    func workspaceDiagnostic(_ params: JSON?, id: JSON) throws -> JSON {
        guard let session else { return .object(["items": .array([])]) }
        var previous: [String: String] = [:]
        for p in params?["previousResultIds"]?.array ?? [] {
            if let uri = p["uri"]?.string, let value = p["value"]?.string { previous[uri] = value }
        }
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
            let report = session.analyze(unit, verifyFixes: false)
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
