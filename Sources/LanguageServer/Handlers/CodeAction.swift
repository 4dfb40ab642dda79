import Analysis
import Foundation
import JSONRPC

extension LanguageServer {
    /// A workspace edit for `fileEdits`: `changes` by URI, or — when a fix creates a file — `documentChanges`
    /// with a `CreateFile` before the new file's text. Nil when the client cannot create files.
    func workspaceEdit(_ fileEdits: [FileEdits], report: UnitReport) -> JSON? {
        func edits(_ fe: FileEdits, _ index: LineIndex) -> JSON {
            .array(fe.edits.map { e in .object(["range": codec.range(e.range, in: index).json, "newText": .string(e.newText)]) })
        }
        guard fileEdits.contains(where: \.creates) else {
            var changes: [String: JSON] = [:]
            for fe in fileEdits {
                guard let s = source(fe.file, report) else { continue }
                changes[DocumentURI.uri(fe.file)] = edits(fe, s.lineIndex)
            }
            return .object(["changes": .object(changes)])
        }
        guard client.createsFiles else { return nil }
        var changes: [JSON] = []
        for fe in fileEdits {
            let uri = DocumentURI.uri(fe.file)
            if fe.creates {
                changes.append(
                    .object([
                        "kind": "create", "uri": .string(uri),
                        "options": .object(["overwrite": .bool(false), "ignoreIfExists": .bool(false)]),
                    ]))
                // The new file's text replaces its one empty line, written as the range to the line past it: editors
                // clamp that range, and Neovim then drops the empty line it would otherwise leave after the text.
                let whole: JSON = .object([
                    "start": .object(["line": .number(0), "character": .number(0)]),
                    "end": .object(["line": .number(1), "character": .number(0)]),
                ])
                let text = fe.createdText ?? ""
                changes.append(
                    .object([
                        "textDocument": .object(["uri": .string(uri), "version": .null]),
                        "edits": .array([.object(["range": whole, "newText": .string(text)])]),
                    ]))
            } else {
                guard let s = source(fe.file, report) else { continue }
                let version = documents[uri].map { JSON.number(Double($0.version)) } ?? .null
                changes.append(
                    .object(["textDocument": .object(["uri": .string(uri), "version": version]), "edits": edits(fe, s.lineIndex)]))
            }
        }
        return .object(["documentChanges": .array(changes)])
    }

    /// `textDocument/codeAction`: verified quick fixes, "Suppress with reason…", "Request review" and fix-all.
    func codeActions(_ params: CodeActionParams) throws -> JSON {
        let (doc, report, s) = try document(params.textDocument)
        let range = params.range
        let start = codec.offset(range.start, in: s.lineIndex)
        let end = codec.offset(range.end, in: s.lineIndex)
        let only = params.context?.only
        func wanted(_ kind: String) -> Bool { only.map { $0.contains { kind == $0 || kind.hasPrefix($0 + ".") } } ?? true }
        let inRange = report.findings.filter { $0.file == s.path && $0.range.start <= end && start <= $0.range.end }
        var actions: [JSON] = []
        if wanted("quickfix") {
            let fixable = workspace?.verifiedFixes(for: inRange, in: report) ?? []
            for offered in fixable {
                let (f, fix) = (offered.finding, offered.fix)
                guard let edit = workspaceEdit(fix.edits, report: report) else { continue }
                // Preferred: the only fix on offer, or a rule's first alternative when only one rule is fixable here.
                let preferred = fixable.count == 1 || (offered.alternative == 0 && Set(fixable.map(\.finding.identity)).count == 1)
                actions.append(
                    .object([
                        "title": .string("\(fix.title) (\(f.ruleId))"), "kind": "quickfix", "isPreferred": .bool(preferred),
                        "diagnostics": .array([diagnostic(f, report: report)]), "edit": edit,
                    ]))
            }
            for f in inRange where f.kind == .needsReview {
                guard let address = f.subjectAddress else { continue }
                actions.append(
                    .object([
                        "title": .string("Request review of \(address) (first of a kind)"), "kind": "quickfix",
                        "diagnostics": .array([diagnostic(f, report: report)]),
                        "command": reviewCommand(uri: doc.uri, address: address),
                    ]))
            }
            for f in inRange where f.kind == .rule && workspace?.isSuppressible(f.ruleId) != false {
                guard let edit = suppressionEdit(for: f, in: s, language: report.unit.language),
                    let change = workspaceEdit([FileEdits(file: s.path, edits: [edit])], report: report)
                else { continue }
                var action: [String: JSON] = [
                    "title": .string("Suppress \(f.ruleId) with a reason…"), "kind": "quickfix",
                    "diagnostics": .array([diagnostic(f, report: report)]), "edit": change,
                ]
                if client.showsDocuments {
                    // The edit inserts a line above the finding's; its text up to `reason="` is ASCII, so its length is
                    // the same in every position encoding.
                    let line = s.lineIndex.line(containing: f.range.start)
                    let character = edit.newText.utf8.count - "\"".utf8.count - s.preferredNewline.utf8.count
                    action["command"] = .object([
                        "title": "Write the reason", "command": "goldpath.editReason",
                        "arguments": .array([
                            .object([
                                "uri": .string(doc.uri), "line": .number(Double(line)), "character": .number(Double(character)),
                            ])
                        ]),
                    ])
                }
                actions.append(.object(action))
            }
        }
        if wanted("source.fixAll.goldpath") {
            if let action = fixAllAction(doc, report) { actions.append(action) }
        }
        return .array(actions)
    }

    /// A `Request review` command for a subject.
    func reviewCommand(uri: String, address: String) -> JSON {
        .object([
            "title": "Request review", "command": "goldpath.requestReview",
            "arguments": .array([.object(["uri": .string(uri), "subject": .string(address)])]),
        ])
    }

    /// An own-line suppression comment above the finding's line, with the reason left for the author to write;
    /// until it is written the engine reports the comment as malformed and the finding stays.
    func suppressionEdit(for f: Finding, in s: SourceText, language: String) -> TextEdit? {
        guard let prefix = workspace?.commentPrefix(of: language) else { return nil }
        let line = s.lineIndex.line(containing: f.range.start)
        let lineText = s.lineText(line)
        let indent = String(lineText.prefix { $0 == " " || $0 == "\t" })
        let at = s.lineIndex.lineStarts[line]
        return TextEdit(range: .empty(at: at), newText: "\(indent)\(prefix) goldpath:ignore \(f.ruleId) reason=\"\"\(s.preferredNewline)")
    }

    /// The fix-all action: computed now, or (when the client resolves edits) left for `codeAction/resolve`.
    func fixAllAction(_ doc: OpenDocument, _ report: UnitReport) -> JSON? {
        guard let ws = workspace else { return nil }
        let title = "Apply all verified goldpath fixes"
        if client.resolvesCodeActionEdits {
            guard ws.hasFixCandidates(report) else { return nil }
            return .object([
                "title": .string(title), "kind": "source.fixAll.goldpath",
                "data": .object([
                    "uri": .string(doc.uri), "version": .number(Double(doc.version)), "generation": .number(Double(generation)),
                ]),
            ])
        }
        guard let edit = fixAllEdit(report) else { return nil }
        return .object(["title": .string(title), "kind": "source.fixAll.goldpath", "edit": edit])
    }

    /// Every fix of the unit applied one at a time, each verified, as one workspace edit; nil when none verifies.
    func fixAllEdit(_ report: UnitReport) -> JSON? {
        guard let ws = workspace else { return nil }
        let result = ws.fixAll(report.unit, creatingFiles: client.createsFiles)
        guard !result.applied.isEmpty else { return nil }
        let edits =
            result.changed.map { FileEdits(file: $0.old.path, edits: [TextEdit.minimal(from: $0.old.text, to: $0.new.text)]) }
            + result.created.map { FileEdits.newFile($0.path, $0.text) }
        return workspaceEdit(edits, report: report)
    }

}
