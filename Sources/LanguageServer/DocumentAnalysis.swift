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

    /// The open document `textDocument` names and its analysis.
    func document(_ textDocument: TextDocumentIdentifier) throws -> (OpenDocument, UnitReport, SourceText) {
        let uri = textDocument.uri
        guard let doc = documents[uri] else { throw ResponseError(ErrorCode.invalidParams, "\(uri) is not open") }
        guard let report = analysis(uri), let file = sourceFile(doc, report) else {
            throw ResponseError(ErrorCode.invalidParams, "goldpath does not check \(uri)")
        }
        return (doc, report, file)
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
        let (base, relative) = placement(of: doc)
        // Diagnostics need no fixes; fixes are planned and verified lazily, for the findings a code action asks about.
        guard let report = session.analyzeDraft(content: doc.text, filename: relative, root: base, path: doc.path) else { return nil }
        reports[uri] = CachedReport(version: doc.version, generation: generation, report: report)
        return report
    }

    /// Where a document is read from: the root and its path under it, or, for a file outside the root (another
    /// workspace folder, a file opened alone), its own directory (its module or chart) and its name.
    func placement(of doc: OpenDocument) -> (root: String, relative: String) {
        relativeToRoot(doc.path).map { (root, $0) }
            ?? ((doc.path as NSString).deletingLastPathComponent, (doc.path as NSString).lastPathComponent)
    }

    /// Starts analysing an open document's current text off the server's queue, so the server holds its report
    /// when the debounce ends and the diagnostics are published (a publish that comes first waits for this
    /// analysis in the session instead of starting another).
    func prefetch(_ uri: String) {
        guard let doc = documents[uri], let session, kind(of: doc) == .analysed else { return }
        let (base, relative) = placement(of: doc)
        let (text, path, version, generation) = (doc.text, doc.path, doc.version, generation)
        Task.detached(priority: .utility) {
            guard let report = session.analyzeDraft(content: text, filename: relative, root: base, path: path) else { return }
            await self.prefetched(uri, report: CachedReport(version: version, generation: generation, report: report))
        }
    }

    /// Keeps a prefetched report while its document is at the version it was made for.
    func prefetched(_ uri: String, report: CachedReport) {
        guard let doc = documents[uri], doc.version == report.version, generation == report.generation else { return }
        reports[uri] = report
    }

    /// The document's own file in its unit.
    func sourceFile(_ doc: OpenDocument, _ report: UnitReport) -> SourceText? {
        report.unit.files.first { $0.path == doc.path }
            ?? report.unit.files.first { $0.path.hasSuffix(doc.path) || doc.path.hasSuffix("/" + $0.path) }
    }

    /// The diagnostics of an open document: findings for analysed files, load problems for packs and the config.
    func diagnostics(for uri: String) -> [JSON] { diagnosticReport(for: uri).items }

    /// The diagnostics of an open document and their result id. For an analysed file the id changes only when the
    /// diagnostics do (a client that sends it back is told `unchanged`); for a pack or the config, with each version.
    func diagnosticReport(for uri: String) -> (items: [JSON], resultId: String) {
        guard let doc = documents[uri] else { return ([], "g\(generation)-none") }
        let versionId = "g\(generation)-v\(doc.version)"
        switch kind(of: doc) {
        case .rulePack:
            let source = SourceText(path: doc.path, text: doc.text)
            let (_, errors) = Workspace.loadPack(source)
            let items = errors.filter { $0.file == doc.path }.map {
                problemDiagnostic($0.message, $0.range, in: source, code: "pack-\($0.kind.rawValue)")
            }
            return (items, versionId)
        case .config:
            let source = SourceText(path: doc.path, text: doc.text)
            return (
                GoldpathConfig.parse(source).errors.map { problemDiagnostic($0.message, $0.range, in: source, code: "config") }, versionId
            )
        case .analysed:
            guard let report = analysis(uri), let file = sourceFile(doc, report) else { return ([], versionId) }
            let findings = report.findings.filter { $0.file == file.path }
            let make = { (f: Finding) in self.diagnostic(f, report: report) }
            let previous = diagnosticMemos[uri]
            let (items, unchanged) =
                previous?.diagnostics(findings, in: file, generation: generation, make: make) ?? (findings.map(make), false)
            let resultId: String
            if let previous, unchanged {
                resultId = previous.resultId
            } else {
                diagnosticResults += 1
                resultId = "g\(generation)-r\(diagnosticResults)"
            }
            diagnosticMemos[uri] = DiagnosticMemo(
                generation: generation, version: doc.version, source: file, entries: Array(zip(findings, items)), resultId: resultId)
            return (items, resultId)
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
        if let workspace, let rule = workspace.rule(f.ruleId), let url = workspace.helpURL(of: rule) {
            d["codeDescription"] = .object(["href": .string(url)])
        }
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

}
