import Analysis
import ArgumentParser
import Foundation
import PolicyModel

/// `goldpath check`: report findings in text, JSON or SARIF.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check files against the golden paths.",
        discussion: "Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or load error.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, sarif }
    enum FailOn: String, ExpressibleByArgument, CaseIterable { case error, warning, info, hint }

    @Option(name: .long, help: "Output format: text, json or sarif.")
    var format: Format = .text

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding is at or above this severity.")
    var failOn: FailOn = .error

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "Files or directories to check.")
    var paths: [String] = ["."]

    func run() throws {
        let ws = Workspace.load(configPath: workspace.config, extraPacks: workspace.pack)
        let report = ws.analyze(paths: paths)
        let loadProblems = reportLoadProblems(ws, discovery: report.discoveryErrors)
        switch format {
        case .text: print(TextReporter.render(report), terminator: "")
        case .json: print(JSONReporter.render(report))
        case .sarif: print(SARIFReporter.render(report, workspace: ws))
        }
        if loadProblems { throw ExitCode(2) }
        let threshold = Severity(rawValue: failOn.rawValue) ?? .error
        if report.findings.contains(where: { $0.severity >= threshold }) { throw ExitCode(1) }
    }
}
