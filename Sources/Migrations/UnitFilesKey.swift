import PolicyModel
import TextCore

/// A unit's files as a cache key. It holds the unit's own arrays (a copy is one retain) instead of building
/// arrays of paths on every look-up, which cost more than the work the caches saved: a re-check asks for the
/// same unit's tool and order several times. The hash takes counts and a few files' path lengths and, where
/// the key depends on contents, content hashes; equality is the same arrays, else the same paths (and contents).
struct UnitFilesKey: Hashable, @unchecked Sendable {
    /// The unit's name (its folder).
    let name: String
    /// The unit's context files.
    let context: [SourceText]
    /// The unit's judged files.
    let files: [SourceText]
    /// Whether the files' contents are part of the key.
    let withContents: Bool

    init(_ unit: AnalysisUnit, contents: Bool) {
        name = unit.name
        context = unit.contextFiles
        files = unit.files
        withContents = contents
    }

    /// Counts and the two files at each end of each array: enough to tell a unit's scoped copies apart (their
    /// counts differ) without reading every file on every look-up; equality reads them all.
    func hash(into hasher: inout Hasher) {
        hasher.combine(context.count)
        hasher.combine(files.count)
        for file in context.prefix(2) + context.suffix(2) { combine(file, into: &hasher) }
        for file in files.prefix(2) + files.suffix(2) { combine(file, into: &hasher) }
    }

    private func combine(_ file: SourceText, into hasher: inout Hasher) {
        hasher.combine(file.path.utf8.count)
        if withContents { hasher.combine(file.contentHash) }
    }

    static func == (lhs: UnitFilesKey, rhs: UnitFilesKey) -> Bool {
        lhs.withContents == rhs.withContents && lhs.name == rhs.name && same(lhs.context, rhs.context, contents: lhs.withContents)
            && same(lhs.files, rhs.files, contents: lhs.withContents)
    }

    private static func same(_ a: [SourceText], _ b: [SourceText], contents: Bool) -> Bool {
        guard a.count == b.count else { return false }
        let shared = a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
        if shared { return true }
        for (x, y) in zip(a, b) where x.path != y.path || (contents && x.contentHash != y.contentHash) { return false }
        return true
    }
}
