import Foundation
import PolicyModel
import Rules

/// A workspace kept across requests by a long-running front end (the MCP server): loaded once, and again
/// only when the config, a rule pack, the decisions store's decisions or the date changed since. The check
/// before each use costs a few `stat` calls and one SQLite query, where a reload parses every pack.
public final class Session: @unchecked Sendable {
    /// The config file named explicitly, if any.
    public let configPath: String?
    /// Extra rule packs.
    public let extraPacks: [String]
    /// The workspace root (the config is looked up there).
    public let root: String
    private let lock = NSLock()
    private var current: Workspace
    private var stamp: [String]

    /// Loads the workspace of `root`.
    public init(configPath: String? = nil, extraPacks: [String] = [], root: String) {
        self.configPath = configPath
        self.extraPacks = extraPacks
        self.root = root
        current = Workspace.load(configPath: configPath, extraPacks: extraPacks, root: root)
        stamp = Session.stamp(of: current, configPath: configPath, extraPacks: extraPacks, root: root)
    }

    /// The workspace in force: the loaded one, or a fresh load when what it was loaded from changed.
    public var workspace: Workspace {
        lock.withLock {
            let now = Session.stamp(of: current, configPath: configPath, extraPacks: extraPacks, root: root)
            if now != stamp {
                current = Workspace.load(configPath: configPath, extraPacks: extraPacks, root: root)
                stamp = Session.stamp(of: current, configPath: configPath, extraPacks: extraPacks, root: root)
            }
            return current
        }
    }

    /// What a workspace was loaded from: the config file's and every pack file's and directory's
    /// modification time and size, the decisions token and today's date (waivers expire).
    static func stamp(of workspace: Workspace, configPath: String?, extraPacks: [String], root: String) -> [String] {
        var paths = [configPath ?? (root == "." ? ".goldpath.yaml" : root + "/.goldpath.yaml")]
        paths += workspace.packSources.map(\.path).filter { !$0.hasPrefix("builtin:") && !$0.hasPrefix("decisions:") }
        paths += extraPacks
        for name in workspace.config.packs ?? [] where !BuiltinPacks.all.contains(where: { $0.name == name }) {
            paths.append(name.hasPrefix("/") || workspace.config.baseDirectory.isEmpty ? name : workspace.config.baseDirectory + "/" + name)
        }
        var out = paths.map { path -> String in
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return "\(path) absent" }
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(path) \(modified) \(attributes[.size] as? Int ?? 0)"
        }
        out.append("decisions \(workspace.decisions?.decisionsToken() ?? "none")")
        out.append("today \(EngineConfig.currentDate())")
        return out
    }
}
