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
    for e in workspace.packErrors {
        printError("\(position(e.file, e.range.start)): error: \(e.message) [rule-pack]")
        any = true
    }
    for e in discovery where !e.skipped {
        printError("\(e.path): error: \(e.message)")
        any = true
    }
    let skipped = discovery.filter(\.skipped).map(\.path)
    if !skipped.isEmpty {
        printError("skipped \(skipped.joined(separator: ", ")): goldpath reads \(Languages.fileKinds)")
    }
    return any
}
