import Foundation
import PackagePlugin

/// Embeds the built-in rule packs (`rulepacks/**/*.yaml`) into the target as Swift source at build time,
/// so a binary copied elsewhere still has them and nothing generated is committed.
@main
struct EmbedRulePacks: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let packs = context.package.directoryURL.appending(path: "rulepacks")
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltinPacks.swift")
        var inputs: [URL] = []
        if let walk = FileManager.default.enumerator(at: packs, includingPropertiesForKeys: nil) {
            for case let url as URL in walk where url.pathExtension == "yaml" { inputs.append(url) }
        }
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) rule pack files",
                executable: try context.tool(named: "goldpath-embed-packs").url,
                arguments: [packs.path, output.path],
                inputFiles: inputs.sorted { $0.path < $1.path },
                outputFiles: [output])
        ]
    }
}
