import Analysis
import Foundation

/// Prints config, pack and discovery problems as `file:line:col: error: message`; returns whether there were any.
func reportLoadProblems(_ workspace: Workspace, discovery: [DiscoveryError] = []) -> Bool {
    var any = false
    func position(_ file: String, _ offset: Int) -> String {
        let text = workspace.packSources.first { $0.path == file }?.text ?? (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        let p = SourceText(path: file, text: text).humanPosition(of: offset)
        return "\(file):\(p.line):\(p.column)"
    }
    for e in workspace.configErrors {
        printError("\(position(e.file, e.range.start)): error: \(e.message)")
        any = true
    }
    for e in workspace.signingErrors {
        printError("error: \(e)")
        any = true
    }
    for e in workspace.packErrors {
        printError("\(position(e.file, e.range.start)): error: \(e.message) [rule-pack]")
        any = true
    }
    for e in discovery where !e.skipped {
        printError("\(e.path): error: \(e.message)")
        any = true
    }
    // Files named on the command line that no language reads are listed together; other skips say why each.
    let notRead = discovery.filter { $0.skipped && $0.message.hasPrefix("not a file goldpath checks") }.map(\.path)
    if !notRead.isEmpty {
        printError("skipped \(notRead.joined(separator: ", ")): goldpath reads \(Languages.fileKinds)")
    }
    for e in discovery where e.skipped && !e.message.hasPrefix("not a file goldpath checks") {
        printError("skipped \(e.path): \(e.message)")
    }
    return any
}

/// Warns of decisions the store holds but `check` does not apply (or applies without a trusted signature), and of a
/// missing trust file when that is why.
func reportDecisionProblems(_ workspace: Workspace) {
    guard !workspace.decisionProblems.isEmpty else { return }
    if workspace.trust.keys.isEmpty {
        printError(
            "warning: no trusted reviewer keys (\(workspace.trust.source); give --trust FILE or GOLDPATH_TRUST): approvals and waivers do not apply"
        )
    }
    for problem in workspace.decisionProblems { printError(terminalSafe("warning: \(problem)", keepNewlines: false)) }
}
