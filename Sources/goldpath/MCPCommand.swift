import ArgumentParser
import Foundation
import MCPServer

/// `goldpath mcp`: the MCP tool endpoint for coding agents, over stdio.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve goldpath's tools for Helm values, Terraform and PostgreSQL migrations to AI coding agents over MCP (stdio).",
        discussion: "Tools: golden_paths, check, fix, explain_rule, request_review. File access is confined to the roots.")

    @Option(name: .long, help: "A workspace root the tools may read; repeatable (default: the working directory).")
    var root: [String] = []

    @Option(name: .customLong("token-budget"), help: "The largest tool result, in tokens (about 4 characters each; 500 to 1,000,000).")
    var tokenBudget = 8_000

    func validate() throws {
        guard (500...1_000_000).contains(tokenBudget) else {
            throw ValidationError("--token-budget must be between 500 and 1000000 tokens, not \(tokenBudget)")
        }
    }

    @OptionGroup var workspace: WorkspaceOptions

    func run() async throws {
        let roots = root.isEmpty ? [FileManager.default.currentDirectoryPath] : root
        for r in roots {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: r, isDirectory: &isDir), isDir.boolValue else {
                printError("error: --root \(r) is not a directory")
                throw ExitCode(2)
            }
        }
        var options = MCPServerOptions(roots: roots, configPath: workspace.config, extraPacks: workspace.pack, tokenBudget: tokenBudget)
        options.trustPath = workspace.trust
        await GoldpathMCPServer.run(options)
    }
}
