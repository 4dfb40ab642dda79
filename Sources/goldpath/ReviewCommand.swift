import Analysis
import ArgumentParser
import Foundation

/// The reviewer's identity: `--by`, else GOLDPATH_REVIEWER, else the login name.
func reviewer(_ by: String?, config: GoldpathConfig? = nil) -> String {
    by ?? ProcessInfo.processInfo.environment["GOLDPATH_REVIEWER"] ?? (config ?? Workspace.load(openDecisions: false).config).reviewer
        ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
}

/// The reviewer's signing key (`--key`, else GOLDPATH_KEY, else ~/.config/goldpath/reviewer.key), or exit 2 with
/// the reason; `--by`, when given, must be the key's name.
func signingKey(_ path: String?, by: String?) throws -> ReviewerKey {
    let key: ReviewerKey
    do { key = try ReviewerKey.load(ReviewerKey.defaultPath(explicit: path)) } catch {
        printError("error: \(error)")
        throw ExitCode(2)
    }
    if let by, by != key.name {
        printError("error: --by \(by) is not the signing key's name (\(key.name)): a decision is signed as the key's owner")
        throw ExitCode(2)
    }
    return key
}

/// Prints a value as pretty, key-sorted JSON.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Loads the workspace, or exits 2 with the reason its decisions store is unavailable.
func openStore(_ options: WorkspaceOptions) throws -> Workspace {
    let ws = Workspace.load(configPath: options.config, extraPacks: options.pack, trustPath: options.trust)
    if let problem = ws.decisionsUnavailable {
        printError("error: \(problem)")
        throw ExitCode(2)
    }
    return ws
}

/// `goldpath review`: humans decide on review requests.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "List and decide review requests: approve with conditions, deny, or waive a finding until a date.",
        subcommands: [
            List.self, Show.self, Request.self, Approve.self, Deny.self, Waive.self, Export.self, Import.self, KeyGen.self,
        ])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List review requests (pending first).")
        @OptionGroup var workspace: WorkspaceOptions
        @Option(help: "Only requests with this status: pending, approved or denied.") var status: String?
        @Option(help: "text or json.") var format = "text"

        func validate() throws {
            if let status { try OptionValidation.oneOf(status, ["pending", "approved", "denied"], option: "--status") }
            try OptionValidation.oneOf(format, ["text", "json"], option: "--format")
        }

        func run() throws {
            let ws = try openStore(workspace)
            let requests = try ws.reviewRequests(status: status)
            if format == "json" {
                try printJSON(requests)
                return
            }
            for r in requests.sorted(by: { ($0.status == "pending" ? 0 : 1, $0.time) < ($1.status == "pending" ? 0 : 1, $1.time) }) {
                print(
                    terminalSafe(
                        "\(r.id)  \(r.status.padding(toLength: 8, withPad: " ", startingAt: 0))  \(r.subject)  (\(r.subject_type), \(r.file))  by \(r.requester): \(r.justification)",
                        keepNewlines: false))
            }
            if requests.isEmpty { print("no review requests") }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one review request with its snippet.")
        @OptionGroup var workspace: WorkspaceOptions
        @Argument(help: "The request id, e.g. RR-1a2b3c4d.") var id: String

        func run() throws {
            let ws = try openStore(workspace)
            guard let r = try ws.reviewRequest(id) else {
                printError("error: no review request \(id)")
                throw ExitCode(2)
            }
            // Everything but the id and status was written by the requester (an agent, say): shown escaped.
            print(
                terminalSafe(
                    "\(r.id): \(r.status)\nsubject: \(r.subject) (\(r.subject_type))\nfile: \(r.file)\nrequested by \(r.requester) at \(r.time)\njustification: \(r.justification)\n\n\(r.snippet)"
                ))
        }
    }

    struct Request: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "request",
            abstract: "Request a review of a subject: goldpath review request PATH --subject ADDRESS --justification TEXT.")
        @OptionGroup var workspace: WorkspaceOptions
        @Argument(help: "The file holding the subject, optionally with the line of its header (main.tf:20).") var path: String
        @Option(help: "The subject's address, e.g. aws_kinesis_stream.events (or give PATH:LINE).") var subject: String?
        @Option(help: "Why the change is needed.") var justification: String
        @Option(help: "Who asks (default: GOLDPATH_REVIEWER or the login name).") var by: String?

        func run() throws {
            let ws = try openStore(workspace)
            var file = path
            var line: Int?
            if let colon = path.lastIndex(of: ":"), let n = Int(path[path.index(after: colon)...]) {
                file = String(path[..<colon])
                line = n
            }
            guard subject != nil || line != nil else {
                printError("error: name the subject with --subject ADDRESS or PATH:LINE")
                throw ExitCode(2)
            }
            let (units, errors) = ws.discovery.units(for: [file])
            if let e = errors.first {
                printError("error: \(e)")
                throw ExitCode(2)
            }
            for unit in units {
                let matches = ws.subjects(of: unit).first { s in
                    if let subject { return s.address == subject }
                    guard let source = unit.files.first(where: { $0.path == s.file }),
                        s.file.hasSuffix((file as NSString).lastPathComponent)
                    else { return false }
                    return source.humanPosition(of: s.headerRange.start).line == line
                }
                guard let s = matches else { continue }
                let (r, merged): (ReviewRequest, Bool)
                do {
                    (r, merged) = try ws.requestReview(of: s, in: unit, file: s.file, requester: reviewer(by), justification: justification)
                } catch {
                    printError("error: \(error.message)")
                    throw ExitCode(2)
                }
                print(merged ? "\(r.id) is already open" : "\(r.id) pending")
                return
            }
            printError("error: no subject \(subject ?? "at line \(line ?? 0)") in \(file)")
            throw ExitCode(2)
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "approve",
            abstract: "Approve a request; with --when, the CEL conditions become a learned golden path for the subject type.")
        @OptionGroup var workspace: WorkspaceOptions
        @Argument(help: "The request id.") var id: String
        @Option(name: .customLong("when"), help: "CEL conditions a subject of this type must meet, e.g. 'self.retention_period <= 48'.")
        var condition: String?
        @Option(help: "Why the change is acceptable.") var reason: String
        @Option(help: "The reviewer; must be the signing key's name (default: the key's name).") var by: String?
        @Option(help: "The reviewer's signing key (default: GOLDPATH_KEY, else ~/.config/goldpath/reviewer.key).") var key: String?

        func run() throws {
            if let condition, let problem = Workspace.conditionProblem(condition) {
                printError("error: --when: \(problem.message) at column \(problem.column)")
                throw ExitCode(2)
            }
            let signer = try signingKey(key, by: by)
            let ws = try openStore(workspace)
            do { try ws.decide(id, approve: true, condition: condition, reason: reason, key: signer) } catch {
                printError("error: \(error.message)")
                throw ExitCode(2)
            }
            print("\(id) approved" + (condition.map { " when \($0)" } ?? ""))
        }
    }

    struct Deny: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deny", abstract: "Deny a request; the denied subject is flagged from now on.")
        @OptionGroup var workspace: WorkspaceOptions
        @Argument(help: "The request id.") var id: String
        @Option(help: "Why the change is not acceptable.") var reason: String
        @Option(help: "The reviewer; must be the signing key's name (default: the key's name).") var by: String?
        @Option(help: "The reviewer's signing key (default: GOLDPATH_KEY, else ~/.config/goldpath/reviewer.key).") var key: String?

        func run() throws {
            let signer = try signingKey(key, by: by)
            let ws = try openStore(workspace)
            do { try ws.decide(id, approve: false, condition: nil, reason: reason, key: signer) } catch {
                printError("error: \(error.message)")
                throw ExitCode(2)
            }
            print("\(id) denied")
        }
    }

    struct Waive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "waive",
            abstract: "Waive one finding (by fingerprint) until a date; after it, the finding returns.")
        @OptionGroup var workspace: WorkspaceOptions
        @Argument(help: "The finding's fingerprint (goldpath check --format json).") var fingerprint: String
        @Option(help: "The last day of the waiver, YYYY-MM-DD.") var until: String
        @Option(help: "Why the finding is acceptable for now.") var reason: String
        @Option(help: "The reviewer; must be the signing key's name (default: the key's name).") var by: String?
        @Option(help: "The reviewer's signing key (default: GOLDPATH_KEY, else ~/.config/goldpath/reviewer.key).") var key: String?

        func validate() throws {
            guard CalendarDate.isValid(until) else { throw ValidationError("--until must be a date YYYY-MM-DD, not '\(until)'") }
            let today = EngineConfig.currentDate()
            guard until >= today else { throw ValidationError("--until \(until) is in the past (today is \(today))") }
            guard fingerprint.count == 32, fingerprint.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw ValidationError("'\(fingerprint)' is not a finding's fingerprint (32 hex digits; see goldpath check --format json)")
            }
        }

        func run() throws {
            let signer = try signingKey(key, by: by)
            let ws = try openStore(workspace)
            try ws.waive(fingerprint: fingerprint, until: until, reason: reason, key: signer)
            print("\(fingerprint) waived until \(until)")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract:
                "Write the learned golden paths that trusted reviewers signed, and the denials, as a YAML rule pack (for code review in git)."
        )
        @OptionGroup var workspace: WorkspaceOptions
        @Option(help: "The file to write (default: standard output).") var output: String?

        func run() throws {
            let ws = try openStore(workspace)
            let text = try ws.learnedPackText()
            if let output { try text.write(toFile: output, atomically: true, encoding: .utf8) } else { print(text, terminator: "") }
        }
    }
}

extension ReviewCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Read learned golden paths (as export writes them) back into the decisions store.")
        @OptionGroup var workspace: WorkspaceOptions
        @Argument(help: "The learned rule pack file.") var file: String
        @Option(help: "Who imports; must be the signing key's name (default: the key's name).") var by: String?
        @Option(help: "The importer's signing key (default: GOLDPATH_KEY, else ~/.config/goldpath/reviewer.key).") var key: String?
        @Flag(
            name: .customLong("sign-as-mine"),
            help: "Take decisions that no trusted reviewer signed as your own, signed with your key (else they are refused).")
        var signAsMine = false

        func run() throws {
            let signer = try signingKey(key, by: by)
            let ws = try openStore(workspace)
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                printError("error: cannot read \(file)")
                throw ExitCode(2)
            }
            let source = SourceText(path: file, text: text)
            let (pack, errors) = Workspace.loadPack(source)
            for e in errors {
                let p = source.humanPosition(of: e.range.start)
                printError("\(file):\(p.line):\(p.column): error: \(e.message)")
            }
            guard let pack, errors.isEmpty else { throw ExitCode(2) }
            let result = try ws.importLearned(pack, key: signer, signAsImporter: signAsMine)
            let added = result.added + result.signedByImporter
            print(
                "\(added) decision\(added == 1 ? "" : "s") imported"
                    + (result.signedByImporter > 0 ? " (\(result.signedByImporter) signed as yours)" : ""))
            for refused in result.refused { printError(terminalSafe("refused \(refused)", keepNewlines: false)) }
            if !result.refused.isEmpty {
                printError(
                    "\(result.refused.count) decision\(result.refused.count == 1 ? "" : "s") not imported: no trusted reviewer signed them "
                        + "(add the reviewer's key with --trust, or take them as yours with --sign-as-mine)")
                throw ExitCode(1)
            }
        }
    }
}
