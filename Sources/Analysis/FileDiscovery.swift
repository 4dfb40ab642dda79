import Foundation
import PolicyModel
import TextCore

/// A path that could not be read, with the reason.
public struct DiscoveryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path.
    public var path: String
    /// Why.
    public var message: String

    public var description: String { "\(path): \(message)" }
}

/// Finds the files goldpath judges under the given paths and groups them into units.
///
/// Helm: a directory holding `Chart.yaml` is a chart; its `values.yaml` comes
/// first, then `values-*.yaml` / `values.*.yaml` overrides in name order.
/// A values file named directly forms a unit with its chart's base file.
public struct FileDiscovery: Sendable {
    /// Glob patterns of paths to skip.
    public var exclude: [String]
    /// Extra glob patterns of values files (config `files: {helm-values: [...]}`), matched against
    /// paths relative to each directory given; a match outside a chart forms a unit of its own.
    public var valuesPatterns: [String]
    /// Directory names never entered.
    public static let skippedDirectories: Set<String> = [".git", ".build", "node_modules", ".terraform", "templates", ".goldpath", ".venv"]

    /// Creates a discovery.
    public init(exclude: [String] = [], valuesPatterns: [String] = []) {
        self.exclude = exclude
        self.valuesPatterns = valuesPatterns
    }

    /// Whether a file name is a Helm values file.
    public static func isValuesFile(_ name: String) -> Bool {
        guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { return false }
        return name.hasPrefix("values.") || name.hasPrefix("values-") || name.hasPrefix("values_")
    }

    /// Units under `paths` (files or directories), and the paths that could not be read.
    public func units(for paths: [String]) -> (units: [AnalysisUnit], errors: [DiscoveryError]) {
        let fm = FileManager.default
        var chartDirs: [String: Set<String>] = [:]   // chart dir -> values files named (empty = all)
        var looseValues: [String] = []
        var extraChartFiles: [String: [String]] = [:]
        var moduleDirs = Set<String>()
        var migrationRoots = Set<String>()
        var migrationFiles: [String: Set<String>] = [:]   // root -> files named directly
        var errors: [DiscoveryError] = []
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                errors.append(DiscoveryError(path: path, message: "no such file or directory"))
                continue
            }
            if isDir.boolValue {
                let (charts, matches, modules) = walk(path)
                moduleDirs.formUnion(modules)
                if let root = FileDiscovery.migrationRoot(ofDirectory: path) {
                    migrationRoots.insert(root)
                } else {
                    migrationRoots.formUnion(migrationRootsUnder(path))
                }
                for dir in charts where chartDirs[dir] == nil { chartDirs[dir] = [] }
                for file in matches {
                    let dir = (file as NSString).deletingLastPathComponent
                    if charts.contains(dir) {
                        if !chartDirs[dir]!.isEmpty || !FileDiscovery.isValuesFile((file as NSString).lastPathComponent) {
                            extraChartFiles[dir, default: []].append(file)
                        }
                    } else {
                        looseValues.append(file)
                    }
                }
            } else {
                let dir = (path as NSString).deletingLastPathComponent
                let name = (path as NSString).lastPathComponent
                if name.hasSuffix(".tf") || name.hasSuffix(".tfvars") {
                    moduleDirs.insert(dir.isEmpty ? "." : dir)
                    continue
                }
                if name.hasSuffix(".sql") {
                    let root = FileDiscovery.migrationRoot(ofFile: path)
                    migrationFiles[root, default: []].insert(path)
                    continue
                }
                if fm.fileExists(atPath: join(dir.isEmpty ? "." : dir, "Chart.yaml")) {
                    if name == "Chart.yaml" {
                        chartDirs[dir.isEmpty ? "." : dir] = []
                    } else if chartDirs[dir.isEmpty ? "." : dir].map({ !$0.isEmpty }) ?? true {
                        chartDirs[dir.isEmpty ? "." : dir, default: []].insert(name)
                    }
                } else {
                    looseValues.append(path)
                }
            }
        }
        var units: [AnalysisUnit] = []
        for dir in chartDirs.keys.sorted() {
            let names = valuesFiles(in: dir).filter { chartDirs[dir]!.isEmpty || chartDirs[dir]!.contains($0) || $0 == "values.yaml" }
            let paths = names.map { join(dir, $0) } + (extraChartFiles[dir] ?? []).sorted()
            var files: [SourceText] = []
            for p in paths {
                if excluded(p) { continue }
                do { files.append(SourceText(path: p, text: try read(p))) } catch { errors.append(DiscoveryError(path: p, message: "\(error)")) }
            }
            guard !files.isEmpty else { continue }
            var context: [SourceText] = []
            if let chart = try? read(join(dir, "Chart.yaml")) { context.append(SourceText(path: join(dir, "Chart.yaml"), text: chart)) }
            units.append(AnalysisUnit(language: "helm-values", name: dir, files: files, contextFiles: context))
        }
        for dir in moduleDirs.sorted() {
            let names = ((try? fm.contentsOfDirectory(atPath: dir)) ?? [])
            let tf = names.filter { $0.hasSuffix(".tf") }.sorted()
            let tfvars = names.filter { $0 == "terraform.tfvars" } + names.filter { $0.hasSuffix(".auto.tfvars") }.sorted()
            var files: [SourceText] = []
            for name in tf + tfvars {
                let p = join(dir, name)
                if excluded(p) { continue }
                do { files.append(SourceText(path: p, text: try read(p))) } catch { errors.append(DiscoveryError(path: p, message: "\(error)")) }
            }
            if !files.isEmpty { units.append(AnalysisUnit(language: "terraform", name: dir, files: files)) }
        }
        for root in migrationRoots.sorted() {
            let (unit, e) = migrationUnit(root: root, only: nil)
            errors += e
            if let unit { units.append(unit) }
        }
        for (root, named) in migrationFiles.sorted(by: { $0.key < $1.key }) where !migrationRoots.contains(root) {
            let (unit, e) = migrationUnit(root: root, only: named)
            errors += e
            if let unit { units.append(unit) }
        }
        for p in looseValues where !excluded(p) {
            do {
                units.append(AnalysisUnit(language: "helm-values", name: p, files: [SourceText(path: p, text: try read(p))]))
            } catch {
                errors.append(DiscoveryError(path: p, message: "\(error)"))
            }
        }
        return (units, errors)
    }

    /// Values files of a chart directory: `values.yaml` first, then overrides by name.
    func valuesFiles(in dir: String) -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter(FileDiscovery.isValuesFile)
        let base = names.filter { $0 == "values.yaml" || $0 == "values.yml" }
        return base + names.filter { !base.contains($0) }.sorted()
    }

    /// Directories holding a Chart.yaml under `root` (including root), and files matching `valuesPatterns`.
    func walk(_ root: String) -> (charts: [String], matches: [String], modules: [String]) {
        var charts: [String] = []
        var matches: [String] = []
        var modules: [String] = []
        var stack = [root]
        let fm = FileManager.default
        let prefix = root.hasSuffix("/") ? root : root + "/"
        while let dir = stack.popLast() {
            guard let names = try? fm.contentsOfDirectory(atPath: dir) else { continue }
            if names.contains("Chart.yaml") && !excluded(dir) { charts.append(dir) }
            if names.contains(where: { $0.hasSuffix(".tf") }) && !excluded(dir) { modules.append(dir) }
            for name in names.sorted().reversed() where !FileDiscovery.skippedDirectories.contains(name) {
                let p = join(dir, name)
                var isDir: ObjCBool = false
                guard fm.fileExists(atPath: p, isDirectory: &isDir), !excluded(p) else { continue }
                if isDir.boolValue {
                    // Do not follow symlinked directories out of the tree.
                    if (try? fm.destinationOfSymbolicLink(atPath: p)) != nil { continue }
                    stack.append(p)
                } else if !valuesPatterns.isEmpty {
                    let relative = p.hasPrefix(prefix) ? String(p.dropFirst(prefix.count)) : p
                    if valuesPatterns.contains(where: { Glob.matches($0, relative) }) { matches.append(p) }
                }
            }
        }
        return (charts, matches.sorted(), modules)
    }

    func excluded(_ path: String) -> Bool {
        let normalized = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        return exclude.contains { Glob.matches($0, normalized) }
    }

    func read(_ path: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let text = String(data: data, encoding: .utf8) else { throw DiscoveryError(path: path, message: "not UTF-8 text") }
        return text
    }

    func join(_ dir: String, _ name: String) -> String {
        dir == "." ? name : (dir.hasSuffix("/") ? dir + name : dir + "/" + name)
    }
}
