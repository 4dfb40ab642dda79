import Analysis
import ArgumentParser
import Foundation

/// `goldpath check`: report findings in text, JSON or SARIF.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check Helm values, Terraform and PostgreSQL migrations against the golden paths.",
        discussion: "Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or load error.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, sarif, github, gitlab, junit }
    enum FailOn: String, ExpressibleByArgument, CaseIterable { case error, warning, info, hint }

    @Option(
        name: .long,
        help: "Output format: text, json, sarif, github (GitHub Actions annotations), gitlab (GitLab Code Quality) or junit.")
    var format: Format = .text

    @Option(name: .long, help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(
        name: .long,
        help: "A report of an earlier run (--format json): its findings, matched by fingerprint, are not reported and do not fail the run.")
    var baseline: String?

    @Option(
        name: .customLong("new-since"),
        help: "A git revision (main, HEAD~1, a commit): the findings these paths had there are not reported and do not fail the run.")
    var newSince: String?

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding is at or above this severity.")
    var failOn: FailOn = .error

    enum Colour: String, ExpressibleByArgument, CaseIterable { case auto, always, never }
    @Option(
        name: .customLong("color"),
        help: "Colour the text output: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var colour: Colour = .auto

    @Flag(name: .shortAndLong, help: "Print only the findings: no summary line and no notes on standard error.")
    var quiet = false

    @OptionGroup var workspace: WorkspaceOptions

    @Option(
        name: .customLong("stdin-filename"),
        help:
            "With the path -, the name of the file standard input holds: it is judged with its chart, module or migrations folder on disk.")
    var stdinFilename: String?

    @Argument(help: "Files or directories to check; - reads one file from standard input (with --stdin-filename).")
    var paths: [String] = ["."]

    func validate() throws {
        if paths.contains("-") {
            guard paths == ["-"] else { throw ValidationError("- (standard input) cannot be combined with other paths") }
            guard stdinFilename != nil else {
                throw ValidationError("- (standard input) needs --stdin-filename PATH to say what the file is")
            }
        } else if stdinFilename != nil {
            throw ValidationError("--stdin-filename is for the path - (standard input)")
        }
    }

    func run() throws {
        // Standard input is read after the workspace loads; paths are found first, to load only the packs they need.
        let loaded =
            stdinFilename == nil
            ? Workspace.load(
                checking: paths, configPath: workspace.config, extraPacks: workspace.pack, trustPath: workspace.trust, createStore: false)
            : (
                workspace: Workspace.load(
                    configPath: workspace.config, extraPacks: workspace.pack, trustPath: workspace.trust, createStore: false),
                units: [], errors: []
            )
        let ws = loaded.workspace
        let progress = ProgressLine(
            enabled: !quiet && isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb")
        var report: AnalysisReport
        if let stdinFilename {
            let content = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            guard let analysed = ws.analyze(content: content, filename: stdinFilename) else {
                printError("\(stdinFilename): error: goldpath reads no file of this name (it reads \(Languages.fileKinds))")
                throw ExitCode(2)
            }
            report = analysed
        } else {
            report = ws.analyze(units: loaded.units, discoveryErrors: loaded.errors, keepingSubjects: false, progress: progress.update)
            progress.finish()
        }
        var loadProblems = reportLoadProblems(ws, discovery: report.discoveryErrors)
        if report.units.isEmpty && report.discoveryErrors.allSatisfy(\.skipped) {
            // The skipped files were named with what goldpath reads; a folder holding nothing is named here.
            printError(
                "warning: nothing to check in \(paths.joined(separator: " "))"
                    + (report.discoveryErrors.isEmpty ? ": goldpath reads \(Languages.fileKinds)" : ""))
        }
        if let baseline {
            do throws(BaselineError) {
                let (filtered, hidden) = try Baseline.read(baseline).filter(report)
                report = filtered
                if !quiet { printError("\(hidden) finding\(hidden == 1 ? "" : "s") in the baseline \(baseline) not reported") }
            } catch {
                printError("error: \(error.message)")
                loadProblems = true
            }
        }
        if let newSince {
            do throws(BaselineError) {
                let (filtered, hidden) = try Baseline.atRevision(newSince, paths: stdinFilename.map { [$0] } ?? paths, workspace: ws)
                    .filter(report)
                report = filtered
                if !quiet { printError("\(hidden) finding\(hidden == 1 ? "" : "s") present at \(newSince) not reported") }
            } catch {
                printError("error: \(error.message)")
                loadProblems = true
            }
        }
        let rendered: String
        switch format {
        case .text:
            let terminal = output == nil && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
            let noColour = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
            let colourOn = colour == .always || (colour == .auto && terminal && !noColour)
            rendered = TextReporter.render(report, style: TextReporter.Style(colour: colourOn, summary: !quiet))
        case .json: rendered = JSONReporter.render(report) + "\n"
        case .sarif: rendered = SARIFReporter.render(report, workspace: ws) + "\n"
        case .github: rendered = GitHubReporter.render(report)
        case .gitlab: rendered = GitLabReporter.render(report) + "\n"
        case .junit: rendered = JUnitReporter.render(report, failOn: Severity(rawValue: failOn.rawValue) ?? .error)
        }
        if let output {
            do {
                try rendered.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                printError("\(output): error: cannot write the report: \(error.localizedDescription)")
                throw ExitCode(2)
            }
        } else {
            print(rendered, terminator: "")
        }
        // The text report ends with the summary; another format, or a report written to a file, gets it on
        // standard error when the run was long enough for someone to wait on it.
        if !quiet && (format != .text || output != nil) && progress.isLong {
            printError(TextReporter.summary(report) + String(format: " (%.1f s)", progress.elapsed))
        }
        let threshold = Severity(rawValue: failOn.rawValue) ?? .error
        let failing = report.findings.contains(where: { $0.severity >= threshold })
        if let error = ws.decisionsError {
            if ws.config.decisionsRequired {
                // `decisions: required`: without the store, denials and waivers would silently not apply.
                printError("error: decisions unavailable and the config requires them (decisions: required): \(error)")
                loadProblems = true
            } else {
                printError("warning: decisions unavailable (learned golden paths and waivers not applied): \(error)")
            }
        }
        if !quiet { reportDecisionProblems(ws) }
        ws.audit(
            AuditEvent(
                actor: "cli:" + reviewer(nil, config: ws.config), action: "cli.check", subject: paths.joined(separator: " "),
                outcome: "\(loadProblems ? "load error" : failing ? "fail" : "pass"): \(report.findings.count) findings"))
        KeptUntilExit.keep(report)
        // The workspace's caches (parsed files, replayed schemas) are taken back with the process's memory too.
        KeptUntilExit.keep(ws)
        if loadProblems { throw ExitCode(2) }
        if failing { throw ExitCode(1) }
    }
}
