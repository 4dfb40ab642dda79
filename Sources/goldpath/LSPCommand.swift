import ArgumentParser
import Foundation
import LanguageServer

/// `goldpath lsp`: the language server over stdio.
struct LSPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract:
            "Run the language server over stdio for Helm values, Terraform and PostgreSQL migrations (diagnostics as you type, verified quick fixes, hover, code lens, completion)."
    )

    @Option(name: .long, help: "The config file (default: .goldpath.yaml at the workspace root the client names).")
    var config: String?

    func run() async throws {
        let code = await LanguageServer.runOnStdio(configPath: config.map { ($0 as NSString).expandingTildeInPath })
        throw ExitCode(code)
    }
}
