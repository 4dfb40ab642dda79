import PolicyModel

/// A unit's files as a cache key. Hashing every path on every look-up cost more than the work it saved (a
/// re-check asks for the same unit's tool and order several times), so the hash takes only the counts and
/// path lengths, with the content hashes where the key depends on contents; equality compares every path,
/// which is quick for the same strings shared between a unit and its scoped copies.
struct UnitFilesKey: Hashable, Sendable {
    /// The unit's name (its folder).
    let name: String
    /// The context files' paths, a separator, then the judged files' paths.
    let paths: [String]
    /// The files' content hashes in the same order, or empty when the key does not depend on contents.
    let contents: [Int]

    init(_ unit: AnalysisUnit, contents withContents: Bool) {
        name = unit.name
        var paths = unit.contextFiles.map(\.path)
        paths.append("\u{0}")
        paths += unit.files.lazy.map(\.path)
        self.paths = paths
        contents = withContents ? unit.contextFiles.map(\.contentHash) + unit.files.map(\.contentHash) : []
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(paths.count)
        for path in paths { hasher.combine(path.utf8.count) }
        for content in contents { hasher.combine(content) }
    }
}
