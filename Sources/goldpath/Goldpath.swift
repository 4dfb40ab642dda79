import ArgumentParser
import Foundation

/// The `goldpath` command line.
@main
struct Goldpath: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "goldpath",
        abstract: "Checks Helm values, Terraform and PostgreSQL migrations against golden-path rule packs.",
        version: "0.1.0",
        subcommands: [
            CheckCommand.self, FixCommand.self, RulesCommand.self, MCPCommand.self, LSPCommand.self, ReviewCommand.self, AuditCommand.self,
            InitCommand.self,
        ])

    /// Runs the command, mapping usage errors to exit code 2 as documented.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// Options shared by the commands that load a workspace.
struct WorkspaceOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "The config file (default: .goldpath.yaml in the working directory or the nearest parent up to the repository root).")
    var config: String?

    @Option(name: .long, help: "An extra rule pack file or directory; repeatable.")
    var pack: [String] = []

    @Option(
        name: .long,
        help:
            "The trusted reviewers' public keys: approvals and waivers apply only when one of them signed them (default: GOLDPATH_TRUST, else ~/.config/goldpath/trusted-reviewers)."
    )
    var trust: String?
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
