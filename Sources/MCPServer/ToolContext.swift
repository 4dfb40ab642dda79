import Analysis
import Foundation

/// What every tool call may use: the session's workspace (reloaded when the config, a pack or the decisions
/// change, so edits apply), the sandbox, the token budget and the audit log.
struct ToolContext: Sendable {
    let sandbox: Sandbox
    let session: Session
    /// The largest result, in tokens (about four characters each).
    let tokenBudget: Int
    /// The largest `content` accepted, in bytes.
    let maxContentBytes: Int
    /// Audits a tool call in the decisions store, or on standard error when the store is unavailable.
    func audit(_ event: AuditEvent) {
        // The call read the session's workspace already; auditing does not check it for changes again.
        if !session.loaded.audit(event) { StandardErrorAuditLog().record(event) }
    }

    func workspace() -> Workspace { session.workspace }

    /// The analysed units for a `path` argument or a `content` + `filename` pair.
    func units(_ args: ToolArguments, workspace: Workspace) throws(ToolError) -> (units: [AnalysisUnit], describe: String) {
        let path = args.string("path")
        let content = args.string("content")
        switch (path, content) {
        case (let path?, nil):
            let real = try sandbox.resolve(path, field: "path")
            let (units, errors) = workspace.discovery.units(for: [real])
            if let e = errors.first { throw ToolError("field 'path': \(sandbox.display(e.path)): \(e.message)") }
            guard !units.isEmpty else {
                throw ToolError("field 'path': \(path) holds no file goldpath checks (\(Languages.fileKinds))")
            }
            return (units, sandbox.display(real))
        case (nil, let content?):
            guard let filename = args.string("filename") else {
                throw ToolError("missing field 'filename': content needs a file name such as main.tf or charts/api/values.yaml")
            }
            guard content.utf8.count <= maxContentBytes else {
                throw ToolError("field 'content' is \(content.utf8.count) bytes; the limit is \(maxContentBytes)")
            }
            let full = try sandbox.checkFilename(filename, field: "filename")
            let relative = sandbox.display(full)
            guard let unit = workspace.unit(forContent: content, filename: relative, root: sandbox.primary) else {
                throw ToolError("field 'filename': \(filename) is not a kind goldpath checks (\(Languages.fileKinds))")
            }
            return ([unit], relative)
        case (nil, nil):
            throw ToolError("give either 'path' (a file or folder in the workspace) or 'content' with 'filename'")
        case (_?, _?):
            throw ToolError("give either 'path' or 'content', not both")
        }
    }
}

/// An audit log of last resort: one JSON line per event on standard error, when the store is unavailable.
struct StandardErrorAuditLog: AuditLog {
    func record(_ event: AuditEvent) {
        guard let data = try? JSONEncoder().encode(event) else { return }
        FileHandle.standardError.write(Data("goldpath audit (store unavailable): ".utf8) + data + Data("\n".utf8))
    }
}
