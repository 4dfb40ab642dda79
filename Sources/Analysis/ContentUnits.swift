import Foundation
import PolicyModel
import TextCore

extension Workspace {
    /// The language a file name is one of by convention (`.tf`, `values*.yaml`, `.sql`), if any.
    public func language(ofFile name: String) -> (any Language)? {
        let base = name.fileName
        return languageList.first { $0.isSourceFile(named: base) }
    }

    /// The unit for unsaved `content` named `filename` (relative to `root`): the file's module, chart or
    /// migrations folder on disk with the content overlaid, or the content alone.
    public func unit(forContent content: String, filename: String, root: String) -> AnalysisUnit? {
        guard let language = language(ofFile: filename) else { return nil }
        return language.draftUnit(content: content, filename: filename, root: root, access: discovery.access)
    }
}

extension Workspace {
    /// Analyses unsaved `content` named `filename` (`goldpath check - --stdin-filename PATH`): the file is judged with its
    /// module, chart or migrations folder on disk, and only its own findings are reported. Nil when no language reads
    /// files of that name.
    public func analyze(content: String, filename: String, root: String = ".") -> AnalysisReport? {
        guard var unit = unit(forContent: content, filename: filename, root: root) else { return nil }
        let name = filename.hasPrefix("./") ? String(filename.dropFirst(2)) : filename
        guard let file = unit.files.first(where: { $0.path == name || $0.path == filename }) else { return nil }
        var report = analyze(unit)
        report.findings = report.findings.filter { $0.file == file.path }
        unit = report.unit
        unit.files = unit.files.filter { $0.path == file.path }
        report.unit = unit
        return AnalysisReport(units: [report], discoveryErrors: [])
    }
}
