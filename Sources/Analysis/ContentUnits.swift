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
