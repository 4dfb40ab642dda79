import Foundation
import PolicyModel
import TextCore

/// Which files are migrations and how they form units.
///
/// A migrations root is a directory holding golang-migrate (`*.up.sql`) or Flyway (`V1__x.sql`) files,
/// an Atlas directory (`atlas.sum`), a sqitch `deploy/` folder, or a directory named `migrations`,
/// `migration` or `migrate` holding `.sql` files or Diesel-style `<version>/up.sql` folders; a root's own
/// subfolders are not searched for further roots. Its forward files form one unit, in the tool's order.
extension MigrationsLanguage {
    public var watchedGlobs: [String] { ["**/*.sql", "**/sqitch.plan", "**/atlas.sum", "**/metadata.toml"] }
    public var keyValueSeparator: Character? { nil }
    public var fileKinds: String { "PostgreSQL migrations (.sql in a migrations folder)" }
    public var suppressionDialects: [SuppressionDialect] { [.squawk] }

    static let migrationDirectoryNames: Set<String> = ["migrations", "migration", "migrate"]

    public func isSourceFile(named name: String) -> Bool { name.hasSuffix(".sql") }

    /// squawk's rule names have hyphens (goldpath's ids and Checkov's do not): a bare `squawk-ignore-file`
    /// covers every rule that answers to one.
    public func fileWideSuppressionCovers(aliases: [String]) -> Bool { aliases.contains { $0.contains("-") } }

    public func discover(_ request: DiscoveryRequest, access: any FileAccess) -> DiscoveredUnits {
        var roots: [String] = []
        for tree in request.trees {
            var found: [String] = []
            for dir in tree.directories.sorted(by: { $0.path < $1.path }) {
                if found.contains(where: { dir.path.hasPrefix($0 + "/") }) { continue }
                if isMigrationRoot(dir, access: access) { found.append(dir.path) }
            }
            for root in found where !roots.contains(root) { roots.append(root) }
        }
        for file in request.patternFiles {
            let root = MigrationsLanguage.migrationRoot(ofFile: file)
            if !roots.contains(root) { roots.append(root) }
        }
        var named: [String: Set<String>] = [:]
        for file in request.namedFiles { named[MigrationsLanguage.migrationRoot(ofFile: file), default: []].insert(file) }
        var result = DiscoveredUnits()
        for root in roots.sorted() {
            if let unit = migrationUnit(root: root, only: nil, access: access, result: &result) { result.units.append(unit) }
        }
        for (root, files) in named.sorted(by: { $0.key < $1.key }) where !roots.contains(root) {
            if let unit = migrationUnit(root: root, only: files, access: access, result: &result) { result.units.append(unit) }
        }
        return result
    }

    /// Whether a directory is a migrations root.
    func isMigrationRoot(_ dir: DirectoryListing, access: any FileAccess) -> Bool {
        let sql = dir.files.filter { $0.hasSuffix(".sql") }
        let base = dir.path.fileName
        if sql.contains(where: { $0.hasSuffix(".up.sql") || MigrationTool.isFlywayName($0) }) { return true }
        if dir.files.contains("atlas.sum") && !sql.isEmpty { return true }
        if base == "deploy", access.fileExists(DirectoryListing.join(dir.path.parentPath, "sqitch.plan")) { return true }
        if MigrationsLanguage.migrationDirectoryNames.contains(base) {
            if !sql.isEmpty { return true }
            if dir.directories.contains(where: { access.fileExists(dir.join($0) + "/up.sql") }) { return true }
        }
        return false
    }

    /// The root a `.sql` file belongs to: its directory, or for Diesel's `<root>/<version>/up.sql` the folder above.
    public static func migrationRoot(ofFile path: String) -> String {
        let dir = path.parentPath
        let name = path.fileName
        if name == "up.sql" || name == "down.sql" {
            let parent = dir.parentPath
            if migrationDirectoryNames.contains(parent.fileName) { return parent }
        }
        return dir
    }

    /// The forward migration files of a root, in no particular order.
    func migrationFiles(root: String, access: any FileAccess) -> [String] {
        guard let listing = access.listing(of: root) else { return [] }
        var files = listing.files.filter { $0.hasSuffix(".sql") }.map(listing.join)
        for name in listing.directories {
            let up = DirectoryListing.join(listing.join(name), "up.sql")
            if access.fileExists(up) && !access.isExcluded(up) { files.append(up) }
        }
        return files
    }

    /// The unit of a migrations root: every forward file judged, or only `only` judged with the earlier
    /// files read for the schema they build.
    func migrationUnit(root: String, only: Set<String>?, access: any FileAccess, result: inout DiscoveredUnits) -> AnalysisUnit? {
        var paths = migrationFiles(root: root, access: access)
        for p in (only ?? []).sorted() where !paths.contains(p) { paths.append(p) }
        let sources = result.read(paths, with: access)
        let tool = MigrationTool.detect(paths: sources.map(\.path), texts: sources.map(\.text), directory: root)
        let forward = tool.order(sources.map(\.path).filter { tool.isForward($0) || (only?.contains($0) ?? false) })
        let byPath = Dictionary(sources.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        // Diesel reads a migration's settings beside its up.sql; they travel with the unit as context.
        let settings =
            tool == .diesel
            ? result.read(forward.map { DirectoryListing.join($0.parentPath, "metadata.toml") }.filter(access.fileExists), with: access)
            : []
        guard let only else {
            let files = forward.compactMap { byPath[$0] }
            return files.isEmpty
                ? nil
                : AnalysisUnit(
                    language: id, name: root, files: files, contextFiles: settings,
                    existingPaths: unreadPaths(root: root, read: files + settings, access: access))
        }
        let last = forward.lastIndex { only.contains($0) } ?? -1
        let judged = forward.filter { only.contains($0) }.compactMap { byPath[$0] }
        let earlier = forward.prefix(last + 1).filter { !only.contains($0) }.compactMap { byPath[$0] }
        return judged.isEmpty
            ? nil
            : AnalysisUnit(
                language: id, name: root, files: judged, contextFiles: earlier + settings,
                existingPaths: unreadPaths(root: root, read: judged + earlier + settings, access: access))
    }

    /// The root's entries (files and folders) that the unit does not read: down and later migrations.
    func unreadPaths(root: String, read: [SourceText], access: any FileAccess) -> [String] {
        guard let listing = access.listing(of: root) else { return [] }
        let readPaths = Set(read.map(\.path))
        return (listing.files + listing.directories).map(listing.join).filter { !readPaths.contains($0) }.sorted()
    }

    /// The draft judged in its migrations folder, the earlier migrations building the schema it runs against.
    public func draftUnit(content: String, filename: String, root: String, access: any FileAccess) -> AnalysisUnit {
        let path = DirectoryListing.join(root, filename)
        let migrationsRoot = MigrationsLanguage.migrationRoot(ofFile: path)
        var scratch = DiscoveredUnits()
        if let unit = migrationUnit(root: migrationsRoot, only: [path], access: access, result: &scratch) {
            return unit.replacing(file: path, with: content)
        }
        return AnalysisUnit(language: id, name: migrationsRoot, files: [SourceText(path: path, text: content)])
    }

    /// A migration example: one file `0001_example.sql`, or several introduced by `-- file: NAME` lines, of
    /// which the last is judged and the earlier ones build the schema it runs against.
    public func exampleUnit(_ text: String) -> AnalysisUnit {
        var files: [(String, [Substring])] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-- file: ") {
                files.append((String(line.dropFirst(9)).trimmingCharacters(in: .whitespaces), []))
            } else {
                if files.isEmpty { files.append(("0001_example.sql", [])) }
                files[files.count - 1].1.append(line)
            }
        }
        let sources = files.map { SourceText(path: "migrations/" + $0.0, text: $0.1.joined(separator: "\n")) }
        return AnalysisUnit(language: id, name: "migrations", files: sources.suffix(1), contextFiles: Array(sources.dropLast()))
    }

    /// A single-quoted SQL string with quotes doubled.
    public func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
