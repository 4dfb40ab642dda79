import Analysis
import ArgumentParser
import Foundation

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
        let threshold = Severity(rawValue: failOn.rawValue) ?? .error
        let failing = report.findings.contains(where: { $0.severity >= threshold })
        if let error = ws.decisionsError {
            printError("warning: decisions unavailable (learned golden paths and waivers not applied): \(error)")
        }
        ws.audit(
            AuditEvent(
                actor: "cli:" + reviewer(nil), action: "cli.check", subject: paths.joined(separator: " "),
                outcome: "\(loadProblems ? "load error" : failing ? "fail" : "pass"): \(report.findings.count) findings"))
        if loadProblems { throw ExitCode(2) }
        if failing { throw ExitCode(1) }
    }
}
