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

    @Option(
        name: .long,
        help:
            "The trusted reviewers' public keys: approvals and waivers apply only when one of them signed them (default: GOLDPATH_TRUST, else ~/.config/goldpath/trusted-reviewers)."
    )
    var trust: String?

    func run() async throws {
        let code = await LanguageServer.runOnStdio(
            configPath: config.map { ($0 as NSString).expandingTildeInPath }, trustPath: trust.map { ($0 as NSString).expandingTildeInPath }
        )
        throw ExitCode(code)
    }
}
