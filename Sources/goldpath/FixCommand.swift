import Analysis
import ArgumentParser
import Foundation
import TextCore

/// `goldpath fix`: apply every verified fix in place, or print a unified diff.
struct FixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract:
            "Apply every verified fix to Helm values, Terraform and PostgreSQL migrations in place (each fix was applied, re-checked and seen to clear its finding)."
    )

    @Flag(name: .customLong("dry-run"), help: "Print a unified diff instead of writing files.")
    var dryRun = false

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "Files or directories to fix.")
    var paths: [String] = ["."]

    /// `a/path` for relative paths, the path itself for absolute ones (as git and diff do).
    func diffName(_ side: String, _ path: String) -> String { path.hasPrefix("/") ? path : "\(side)/\(path)" }

    /// Writes a fixed or created file; a file to create must not exist (its folder is made if needed).
    func write(_ text: String, to path: String, creating: Bool) throws {
        do {
            if creating {
                guard !FileManager.default.fileExists(atPath: path) else {
                    printError("\(path): error: cannot create: the file exists")
                    throw ExitCode(2)
                }
                let folder = (path as NSString).deletingLastPathComponent
                if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            }
            if creating {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            } else {
                try PreservingFileWriter().write(text, over: path)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch let refusal as PreservingFileWriter.Refusal {
            printError("\(path): error: \(refusal.message)")
            throw ExitCode(2)
        } catch {
            printError("\(path): error: cannot write: \(error.localizedDescription)")
            throw ExitCode(2)
        }
    }

    func run() throws {
        let (ws, units, discovery) = Workspace.load(
            checking: paths, configPath: workspace.config, extraPacks: workspace.pack, trustPath: workspace.trust, createStore: false)
        let loadProblems = reportLoadProblems(ws, discovery: discovery)
        var total = 0
        // Units are fixed on all cores; what each did is printed and written in the units' order.
        let results = units.concurrentMap { ws.fixAll($0) }
        // What the rounds of fixing built is taken back with the process's memory, not released piece by piece.
        defer { KeptUntilExit.keep(results) }
        KeptUntilExit.keep(ws)
        for result in results {
            let unit = result.original
            total += result.applied.count
            for line in result.applied { printError("fixed \(unit.name): \(line)") }
            for (old, new) in result.changed {
                if dryRun {
                    print(
                        UnifiedDiff.make(old: old.text, new: new.text, oldName: diffName("a", old.path), newName: diffName("b", old.path)),
                        terminator: "")
                } else {
                    try write(new.text, to: old.path, creating: false)
                }
            }
            for file in result.created {
                if dryRun {
                    print(
                        UnifiedDiff.make(old: "", new: file.text, oldName: "/dev/null", newName: diffName("b", file.path)), terminator: "")
                } else {
                    try write(file.text, to: file.path, creating: true)
                    printError("created \(file.path)")
                }
            }
        }
        printError("\(total) fix\(total == 1 ? "" : "es") \(dryRun ? "would be applied" : "applied")")
        if loadProblems { throw ExitCode(2) }
    }
}
