import Foundation
import PolicyModel
import TextCore

/// Which files are Terraform and how they form units: every directory holding `.tf` files is a module;
/// its `.tf` files, `terraform.tfvars` and `*.auto.tfvars` (in lexical order) are read together, then any
/// files the config's `files: {terraform: [...]}` patterns add (variable files such as `env/prod.tfvars`,
/// which join the nearest module at or above them).
extension TerraformLanguage {
    public var watchedGlobs: [String] { ["**/*.tf", "**/*.tfvars", "**/*.tfvars.json"] }
    public var keyValueSeparator: Character? { "=" }
    public var fileKinds: String { "Terraform (.tf, .tfvars)" }
    public var suppressionDialects: [SuppressionDialect] { [.checkov, .tfsec, .trivy] }

    public func isSourceFile(named name: String) -> Bool { name.hasSuffix(".tf") || name.hasSuffix(".tfvars") }

    public func discover(_ request: DiscoveryRequest, access: any FileAccess) -> DiscoveredUnits {
        var modules = Set<String>()
        for tree in request.trees {
            for dir in tree.directories where dir.files.contains(where: { $0.hasSuffix(".tf") }) { modules.insert(dir.path) }
        }
        for file in request.namedFiles { modules.insert(file.parentPath) }
        var extra: [String: [String]] = [:]
        for file in request.patternFiles {
            let module = enclosingModule(of: file, access: access)
            extra[module, default: []].append(file)
            modules.insert(module)
        }
        var result = DiscoveredUnits()
        var read: [(dir: String, files: [SourceText])] = []
        for dir in modules.sorted() {
            let files = moduleFiles(dir, extra: (extra[dir] ?? []).sorted(), access: access, result: &result)
            if !files.isEmpty { read.append((dir, files)) }
        }
        // Following module calls parses the files that hold module blocks: on every core first, into the cache the
        // lowering reads, instead of one after the other here.
        TerraformLocalModules.parseCallers(read.flatMap(\.files))
        for (dir, files) in read {
            let called = TerraformLocalModules.contextFiles(calledBy: files, dir: dir, access: access, result: &result)
            result.units.append(AnalysisUnit(language: id, name: dir, files: files, contextFiles: called))
        }
        return result
    }

    /// The module a matched file belongs to: the nearest directory at or above it holding `.tf` files (a
    /// variable file kept in `env/` belongs to the module above), else its own directory.
    func enclosingModule(of file: String, access: any FileAccess) -> String {
        var dir = file.parentPath
        while true {
            if access.listing(of: dir)?.files.contains(where: { $0.hasSuffix(".tf") }) == true { return dir }
            let parent = dir.parentPath
            if parent == dir || dir == "." { return file.parentPath }
            dir = parent
        }
    }

    /// The unit of a module directory, or nil when it holds nothing to read.
    func moduleUnit(_ dir: String, extra: [String], access: any FileAccess, result: inout DiscoveredUnits) -> AnalysisUnit? {
        let files = moduleFiles(dir, extra: extra, access: access, result: &result)
        guard !files.isEmpty else { return nil }
        let called = TerraformLocalModules.contextFiles(calledBy: files, dir: dir, access: access, result: &result)
        return AnalysisUnit(language: id, name: dir, files: files, contextFiles: called)
    }

    /// The files of a module directory: its `.tf` files, `terraform.tfvars`, `*.auto.tfvars`, then `extra`.
    private func moduleFiles(_ dir: String, extra: [String], access: any FileAccess, result: inout DiscoveredUnits) -> [SourceText] {
        let names = access.listing(of: dir)?.files ?? []
        let tfvars = names.filter { $0 == "terraform.tfvars" } + names.filter { $0.hasSuffix(".auto.tfvars") }
        var paths = (names.filter { $0.hasSuffix(".tf") } + tfvars).map { DirectoryListing.join(dir, $0) }
        for path in extra where !paths.contains(path) && !access.isExcluded(path) { paths.append(path) }
        return result.read(paths, with: access)
    }

    /// The draft overlaid on the module in its directory, or alone when the directory holds none.
    public func draftUnit(content: String, filename: String, root: String, access: any FileAccess) -> AnalysisUnit {
        let path = DirectoryListing.join(root, filename)
        var scratch = DiscoveredUnits()
        let dir = path.parentPath
        if access.listing(of: dir)?.files.contains(where: { $0.hasSuffix(".tf") }) == true,
            let unit = moduleUnit(dir, extra: [], access: access, result: &scratch)
        {
            return unit.overlaying(file: path, with: content)
        }
        return AnalysisUnit(language: id, name: filename.draftParentPath, files: [SourceText(path: filename, text: content)])
    }

    /// A rule example is a module's `main.tf`.
    public func exampleUnit(_ text: String) -> AnalysisUnit {
        AnalysisUnit(language: id, name: "example", files: [SourceText(path: "main.tf", text: text)])
    }

    /// A quoted HCL string with `\` and `"` escaped.
    public func literal(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
