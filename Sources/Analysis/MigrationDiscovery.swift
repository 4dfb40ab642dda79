import Foundation
import Migrations
import PolicyModel
import TextCore

/// Finding migrations folders and building their units.
///
/// A migrations root is a directory holding golang-migrate (`*.up.sql`) or Flyway (`V1__x.sql`) files,
/// an Atlas directory (`atlas.sum`), a sqitch `deploy/` folder, or a directory named `migrations`,
/// `migration` or `migrate` holding `.sql` files or Diesel-style `<version>/up.sql` folders.
extension FileDiscovery {
    static let migrationDirectoryNames: Set<String> = ["migrations", "migration", "migrate"]

    /// The root a directory is, if it is one.
    static func migrationRoot(ofDirectory dir: String) -> String? {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: dir) else { return nil }
        let sql = names.filter { $0.hasSuffix(".sql") }
        let base = (dir as NSString).lastPathComponent
        if sql.contains(where: { $0.hasSuffix(".up.sql") || MigrationTool.isFlywayName($0) }) { return dir }
        if names.contains("atlas.sum") && !sql.isEmpty { return dir }
        if base == "deploy", fm.fileExists(atPath: ((dir as NSString).deletingLastPathComponent as NSString).appendingPathComponent("sqitch.plan")) { return dir }
        if migrationDirectoryNames.contains(base) {
            if !sql.isEmpty { return dir }
            if names.contains(where: { fm.fileExists(atPath: (dir as NSString).appendingPathComponent($0 + "/up.sql")) }) { return dir }
        }
        return nil
    }

    /// The root a `.sql` file belongs to: its directory, or for Diesel's `<root>/<version>/up.sql` the folder above.
    static func migrationRoot(ofFile path: String) -> String {
        let dir = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        if name == "up.sql" || name == "down.sql" {
            let parent = (dir as NSString).deletingLastPathComponent
            if migrationDirectoryNames.contains((parent as NSString).lastPathComponent) { return parent }
        }
        return dir.isEmpty ? "." : dir
    }

    /// Migrations roots below `dir`; a root's own subfolders are not searched again.
    func migrationRootsUnder(_ dir: String) -> [String] {
        var roots: [String] = []
        var stack = [dir]
        let fm = FileManager.default
        while let d = stack.popLast() {
            if excluded(d) { continue }
            if let root = FileDiscovery.migrationRoot(ofDirectory: d), root != dir || roots.isEmpty {
                roots.append(root)
                continue
            }
            for name in ((try? fm.contentsOfDirectory(atPath: d)) ?? []).sorted() where !FileDiscovery.skippedDirectories.contains(name) {
                let p = join(d, name)
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue, (try? fm.destinationOfSymbolicLink(atPath: p)) == nil {
                    stack.append(p)
                }
            }
        }
        return roots
    }

    /// The forward migration files of a root, in no particular order.
    func migrationFiles(root: String) -> [String] {
        let fm = FileManager.default
        var files: [String] = []
        for name in (try? fm.contentsOfDirectory(atPath: root)) ?? [] {
            let p = join(root, name)
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir), !excluded(p) else { continue }
            if isDir.boolValue {
                let up = join(p, "up.sql")
                if fm.fileExists(atPath: up) { files.append(up) }
            } else if name.hasSuffix(".sql") {
                files.append(p)
            }
        }
        return files
    }

    /// The unit of a migrations root: every forward file judged, or only `only` judged with the earlier
    /// files read for the schema they build.
    func migrationUnit(root: String, only: Set<String>?) -> (AnalysisUnit?, [DiscoveryError]) {
        var errors: [DiscoveryError] = []
        var sources: [SourceText] = []
        var paths = migrationFiles(root: root)
        for p in only ?? [] where !paths.contains(p) { paths.append(p) }
        for p in paths {
            do { sources.append(SourceText(path: p, text: try read(p))) } catch { errors.append(DiscoveryError(path: p, message: "\(error)")) }
        }
        let tool = MigrationTool.detect(paths: sources.map(\.path), texts: sources.map(\.text), directory: root)
        let forward = tool.order(sources.map(\.path).filter { tool.isForward($0) || (only?.contains($0) ?? false) })
        let byPath = Dictionary(sources.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        guard let only else {
            let files = forward.compactMap { byPath[$0] }
            return (files.isEmpty ? nil : AnalysisUnit(language: MigrationsLanguage.id, name: root, files: files), errors)
        }
        let last = forward.lastIndex { only.contains($0) } ?? -1
        let judged = forward.filter { only.contains($0) }.compactMap { byPath[$0] }
        let earlier = forward.prefix(last + 1).filter { !only.contains($0) }.compactMap { byPath[$0] }
        return (judged.isEmpty ? nil : AnalysisUnit(language: MigrationsLanguage.id, name: root, files: judged, contextFiles: earlier), errors)
    }
}
