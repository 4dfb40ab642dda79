import Analysis
import ArgumentParser
import Foundation

/// `goldpath audit`: the tamper-evident audit trail.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show, checkpoint and verify the signed, hash-chained audit trail.",
        subcommands: [Log.self, Checkpoint.self, Verify.self])

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "log", abstract: "Print the audit trail.")
        @OptionGroup var workspace: WorkspaceOptions
        @Option(help: "Only events from this time on (ISO 8601, e.g. 2026-11-01).") var since: String?
        @Option(help: "text or json.") var format = "text"

        func validate() throws {
            if let since, !OptionValidation.isTimestamp(since) {
                throw ValidationError("--since must be an ISO 8601 date or time (2026-11-01, 2026-11-01T09:30), not '\(since)'")
            }
            try OptionValidation.oneOf(format, ["text", "json"], option: "--format")
        }

        func run() throws {
            let ws = try openStore(workspace)
            let rows = try ws.auditRows(since: since)
            if format == "json" {
                try printJSON(rows)
                return
            }
            for r in rows {
                let signed = r.signer.map { "  [signed by \($0)]" } ?? ""
                print(
                    terminalSafe("\(r.seq)  \(r.time)  \(r.actor)  \(r.action)  \(r.subject)  \(r.outcome)\(signed)", keepNewlines: false))
            }
        }
    }

    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Print a signed checkpoint of the trail's head (row, hash, time), to keep outside the store.",
            discussion:
                "Keep it where the store's writers cannot change it (a CI artifact, a commit); audit verify --checkpoint FILE then detects a truncated, rewritten, replaced or emptied trail."
        )
        @OptionGroup var workspace: WorkspaceOptions
        @Option(help: "The signing key (default: GOLDPATH_KEY, else ~/.config/goldpath/reviewer.key).") var key: String?
        @Option(help: "Write the checkpoint to this file instead of standard output.") var output: String?

        func run() throws {
            let signer = try signingKey(key, by: nil)
            let ws = try openStore(workspace)
            let text = try ws.auditCheckpoint(key: signer).text
            guard let output else {
                print(text, terminator: "")
                return
            }
            do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                printError("\(output): error: cannot write the checkpoint: \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract:
                "Verify the trail: hash chain, signatures, that every decision has its row; with --checkpoint, that it extends the checkpoint. Exit 1 on any problem."
        )
        @OptionGroup var workspace: WorkspaceOptions
        @Option(help: "A checkpoint written earlier by goldpath audit checkpoint.") var checkpoint: String?

        func run() throws {
            var mark: AuditCheckpoint?
            if let checkpoint {
                do {
                    guard let text = try? String(contentsOfFile: checkpoint, encoding: .utf8) else {
                        throw SigningError(file: checkpoint, "cannot read the checkpoint")
                    }
                    mark = try AuditCheckpoint.parse(text, file: checkpoint)
                } catch {
                    printError("error: \(error)")
                    throw ExitCode(2)
                }
            }
            let ws = try openStore(workspace)
            // A trust file that was named but cannot be read would make every signature look untrusted.
            for e in ws.signingErrors { printError("error: \(e)") }
            if !ws.signingErrors.isEmpty { throw ExitCode(2) }
            let result = try ws.verifyAudit(checkpoint: mark)
            for p in result.problems { print(terminalSafe("TAMPERED \(p)", keepNewlines: false)) }
            let unsigned =
                result.unsigned > 0 ? " (\(result.unsigned) unsigned rows: requests, checks and tool calls, which grant nothing)" : ""
            print("\(result.rows) rows, head \(result.head): \(result.ok ? "intact" : "the trail was tampered with")\(unsigned)")
            if !result.ok { throw ExitCode(1) }
        }
    }
}
