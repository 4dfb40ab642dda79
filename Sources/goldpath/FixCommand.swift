import Analysis
import ArgumentParser
import Foundation

/// `goldpath fix`: apply every verified fix in place, or print a unified diff.
struct FixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract: "Apply every verified fix in place (each fix was applied, re-checked and seen to clear its finding).")

    @Flag(name: .customLong("dry-run"), help: "Print a unified diff instead of writing files.")
    var dryRun = false

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "Files or directories to fix.")
    var paths: [String] = ["."]

    /// `a/path` for relative paths, the path itself for absolute ones (as git and diff do).
    func diffName(_ side: String, _ path: String) -> String { path.hasPrefix("/") ? path : "\(side)/\(path)" }

    func run() throws {
        let ws = Workspace.load(configPath: workspace.config, extraPacks: workspace.pack)
        let (units, discovery) = ws.discovery.units(for: paths)
        let loadProblems = reportLoadProblems(ws, discovery: discovery)
        var total = 0
        for unit in units {
            let (fixed, applied) = ws.fixAll(unit)
            total += applied.count
            for line in applied { printError("fixed \(unit.name): \(line)") }
            for (old, new) in zip(unit.files, fixed.files) where old.text != new.text {
                if dryRun {
                    print(
                        UnifiedDiff.make(old: old.text, new: new.text, oldName: diffName("a", old.path), newName: diffName("b", old.path)),
                        terminator: "")
                } else {
                    do {
                        try new.text.write(toFile: old.path, atomically: true, encoding: .utf8)
                    } catch {
                        printError("\(old.path): error: cannot write: \(error.localizedDescription)")
                        throw ExitCode(2)
                    }
                }
            }
        }
        printError("\(total) fix\(total == 1 ? "" : "es") \(dryRun ? "would be applied" : "applied")")
        if loadProblems { throw ExitCode(2) }
    }
}
