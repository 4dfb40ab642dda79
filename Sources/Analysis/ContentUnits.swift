import Foundation
import PolicyModel
import TextCore

extension Workspace {
    /// The language of a file name: `terraform` for `.tf`/`.tfvars`, `helm-values` for values files, else nil.
    public static func language(ofFile name: String) -> String? {
        let base = (name as NSString).lastPathComponent
        if base.hasSuffix(".tf") || base.hasSuffix(".tfvars") { return "terraform" }
        if FileDiscovery.isValuesFile(base) { return "helm-values" }
        if base.hasSuffix(".sql") { return "sql-migration" }
        return nil
    }

    /// The unit for unsaved `content` named `filename`: the file's module or chart on disk (when its
    /// directory exists under `root`) with the content overlaid, or the content alone.
    public func unit(forContent content: String, filename: String, root: String?) -> AnalysisUnit? {
        guard let language = Workspace.language(ofFile: filename) else { return nil }
        if language == "sql-migration" {
            let path = root.map { ($0 as NSString).appendingPathComponent(filename) } ?? filename
            let migrationsRoot = FileDiscovery.migrationRoot(ofFile: path)
            let (unit, _) = discovery.migrationUnit(root: migrationsRoot, only: [path])
            if var unit {
                unit = unit.replacing(file: path, with: content)
                return unit
            }
            return AnalysisUnit(language: language, name: migrationsRoot, files: [SourceText(path: path, text: content)])
        }
        if let root {
            let path = (root as NSString).appendingPathComponent(filename)
            let dir = (path as NSString).deletingLastPathComponent
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue {
                let (units, _) = discovery.units(for: [dir])
                if var unit = units.first(where: { $0.language == language && $0.name == dir }) {
                    if unit.files.contains(where: { $0.path == path }) {
                        unit = unit.replacing(file: path, with: content)
                    } else {
                        unit.files.append(SourceText(path: path, text: content))
                    }
                    return unit
                }
            }
        }
        var contextFiles: [SourceText] = []
        if language == "helm-values" {
            contextFiles.append(SourceText(path: "Chart.yaml", text: "apiVersion: v2\nname: draft\nversion: 0.1.0\n"))
        }
        return AnalysisUnit(language: language, name: (filename as NSString).deletingLastPathComponent, files: [SourceText(path: filename, text: content)], contextFiles: contextFiles)
    }
}
