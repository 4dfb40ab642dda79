import Foundation
import PolicyModel
import TextCore

/// Which files are Helm values and how they form units: a directory holding `Chart.yaml` is a chart whose
/// `values.yaml` comes first, then `values-*.yaml` / `values.*.yaml` overrides in name order, with
/// `Chart.yaml` as context. A values file named directly forms a unit with its chart's base file; a file
/// outside a chart is checked alone.
extension HelmValuesLanguage {
    /// Values files, and the templates that say how they render (`_helpers.tpl` included).
    public var watchedGlobs: [String] { ["**/*.{yaml,yml}", "**/*.tpl"] }
    public var skippedDirectories: Set<String> { ["templates"] }
    public var keyValueSeparator: Character? { ":" }
    public var fileKinds: String { "Helm values (values*.yaml beside a Chart.yaml)" }
    public var suppressionDialects: [SuppressionDialect] { [.checkov, .tfsec, .trivy] }

    /// Whether a file name is a Helm values file.
    public static func isValuesFile(_ name: String) -> Bool {
        guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { return false }
        return name.hasPrefix("values.") || name.hasPrefix("values-") || name.hasPrefix("values_")
    }

    public func isSourceFile(named name: String) -> Bool { HelmValuesLanguage.isValuesFile(name) }

    /// A YAML file named directly is read as values when it is named like one (`values*.yaml`) or lies beside a
    /// `Chart.yaml` (joining the chart); any other YAML (`docker-compose.yaml`, a Kubernetes manifest) is not values.
    public func acceptsNamedFile(_ path: String) -> Bool {
        guard path.hasSuffix(".yaml") || path.hasSuffix(".yml") else { return false }
        if HelmValuesLanguage.isValuesFile(path.fileName) { return true }
        let directory = (path as NSString).deletingLastPathComponent
        return FileManager.default.fileExists(atPath: (directory.isEmpty ? "." : directory) + "/Chart.yaml")
    }

    public func discover(_ request: DiscoveryRequest, access: any FileAccess) -> DiscoveredUnits {
        // Chart directory → the values files named in it (nil: all of them).
        var charts: [String: Set<String>?] = [:]
        var loose: [String] = []
        var extra: [String: [String]] = [:]
        for tree in request.trees {
            for dir in tree.directories where dir.files.contains("Chart.yaml") { charts[dir.path] = .some(nil) }
        }
        for file in request.patternFiles {
            let dir = file.parentPath
            if let named = charts[dir] {
                if named != nil || !HelmValuesLanguage.isValuesFile(file.fileName) { extra[dir, default: []].append(file) }
            } else {
                loose.append(file)
            }
        }
        for file in request.namedFiles {
            let dir = file.parentPath
            guard access.fileExists(DirectoryListing.join(dir, "Chart.yaml")) else {
                loose.append(file)
                continue
            }
            if file.fileName == "Chart.yaml" {
                charts[dir] = .some(nil)
            } else if case .some(.some(var named)) = charts[dir] {
                named.insert(file.fileName)
                charts[dir] = named
            } else if charts[dir] == nil {
                charts[dir] = [file.fileName]
            }
        }
        var result = DiscoveredUnits()
        for dir in charts.keys.sorted() {
            let named = charts[dir] ?? nil
            if let unit = chartUnit(dir, only: named, extra: (extra[dir] ?? []).sorted(), access: access, result: &result) {
                result.units.append(unit)
            }
        }
        for path in loose where !access.isExcluded(path) {
            let files = result.read([path], with: access)
            if !files.isEmpty { result.units.append(AnalysisUnit(language: id, name: path, files: files)) }
        }
        return result
    }

    /// The unit of a chart directory: its values files (`only` those named, always with the base file) and
    /// `extra` files, with `Chart.yaml` as context.
    func chartUnit(_ dir: String, only: Set<String>?, extra: [String], access: any FileAccess, result: inout DiscoveredUnits)
        -> AnalysisUnit?
    {
        let names = valuesFiles(in: access.listing(of: dir)).filter { only == nil || only!.contains($0) || $0 == "values.yaml" }
        let files = result.read(names.map { DirectoryListing.join(dir, $0) } + extra.filter { !access.isExcluded($0) }, with: access)
        guard !files.isEmpty else { return nil }
        let chart = try? access.read(DirectoryListing.join(dir, "Chart.yaml"))
        let templates = templateFiles(of: dir, access: access).compactMap { try? access.read($0) }
        return AnalysisUnit(language: id, name: dir, files: files, contextFiles: (chart.map { [$0] } ?? []) + templates)
    }

    /// The chart's templates (`templates/`, nested folders included) and the named-template helpers of vendored
    /// subcharts (`charts/*/templates/_*.tpl`, where bitnami's `common` library lives), which show how the chart renders its values.
    func templateFiles(of dir: String, access: any FileAccess) -> [String] {
        func walk(_ path: String, depth: Int, helpersOnly: Bool) -> [String] {
            guard depth < 4, let listing = access.listing(of: path) else { return [] }
            let files = listing.files.filter { name in
                helpersOnly ? name.hasPrefix("_") && name.hasSuffix(".tpl") : [".yaml", ".yml", ".tpl"].contains { name.hasSuffix($0) }
            }
            return files.sorted().map { DirectoryListing.join(path, $0) }
                + listing.directories.sorted().flatMap { walk(DirectoryListing.join(path, $0), depth: depth + 1, helpersOnly: helpersOnly) }
        }
        var out = walk(DirectoryListing.join(dir, "templates"), depth: 0, helpersOnly: false)
        for sub in access.listing(of: DirectoryListing.join(dir, "charts"))?.directories.sorted() ?? [] {
            out += walk(DirectoryListing.join(DirectoryListing.join(dir, "charts"), sub + "/templates"), depth: 0, helpersOnly: true)
        }
        return out.filter { !access.isExcluded($0) }
    }

    /// Values files of a chart directory: `values.yaml` first, then overrides by name.
    func valuesFiles(in listing: DirectoryListing?) -> [String] {
        let names = (listing?.files ?? []).filter(HelmValuesLanguage.isValuesFile)
        let base = names.filter { $0 == "values.yaml" || $0 == "values.yml" }
        return base + names.filter { !base.contains($0) }.sorted()
    }

    /// The draft overlaid on its chart when its directory holds one, else alone with a stand-in `Chart.yaml`.
    public func draftUnit(content: String, filename: String, root: String, access: any FileAccess) -> AnalysisUnit {
        let path = DirectoryListing.join(root, filename)
        let dir = path.parentPath
        var scratch = DiscoveredUnits()
        if access.fileExists(DirectoryListing.join(dir, "Chart.yaml")),
            let unit = chartUnit(dir, only: nil, extra: [], access: access, result: &scratch)
        {
            return unit.overlaying(file: path, with: content)
        }
        return AnalysisUnit(
            language: id, name: filename.draftParentPath, files: [SourceText(path: filename, text: content)],
            contextFiles: [SourceText(path: "Chart.yaml", text: "apiVersion: v2\nname: draft\nversion: 0.1.0\n")])
    }

    /// The Chart.yaml rule examples run with (an appVersion, as real charts have).
    public static let exampleChart = "apiVersion: v2\nname: example\nversion: 0.1.0\nappVersion: \"1.0.0\"\n"

    /// A rule example is a chart's `values.yaml`; a line `# file: templates/role.yaml` starts another file of the
    /// chart (a template, or an override `values-*.yaml`), so an example can show what the templates render.
    public func exampleUnit(_ text: String) -> AnalysisUnit {
        var files: [(String, [Substring])] = [("values.yaml", [])]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# file: ") {
                files.append((String(line.dropFirst(8)).trimmingCharacters(in: .whitespaces), []))
            } else {
                files[files.count - 1].1.append(line)
            }
        }
        let sources = files.map { SourceText(path: $0.0, text: $0.1.joined(separator: "\n")) }
        let isValues = { (s: SourceText) in self.isSourceFile(named: s.path.fileName) && !s.path.contains("/") }
        return AnalysisUnit(
            language: id, name: "example", files: sources.filter(isValues),
            contextFiles: [SourceText(path: "Chart.yaml", text: HelmValuesLanguage.exampleChart)] + sources.filter { !isValues($0) })
    }

    /// A plain scalar when YAML reads it back as the same string, else a double-quoted one.
    public func literal(_ text: String) -> String {
        let plain =
            !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "._/-".contains($0) }
            && !["true", "false", "yes", "no", "on", "off", "null", "~"].contains(text.lowercased())
            && Double(text) == nil
        return plain ? text : "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
