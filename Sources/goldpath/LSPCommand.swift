import ArgumentParser
import Foundation
import LanguageServer

/// `goldpath lsp`: the language server over stdio.
struct LSPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp", abstract: "Run the language server over stdio (diagnostics as you type, verified quick fixes, hover).")

    func run() async throws {
        let code = await LanguageServer.runOnStdio()
        throw ExitCode(code)
    }
}
