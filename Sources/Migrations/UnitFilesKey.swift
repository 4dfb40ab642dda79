import PolicyModel
import TextCore

/// A unit's files as a cache key. A look-up holds the unit's own arrays (a copy is one retain) instead of
/// building arrays of paths on every call, which cost more than the work the caches saved: a re-check asks
/// for the same unit's tool and order several times. A stored key holds only the paths and content hashes,
/// so a cache never keeps an edited file's text alive. The hash takes counts and the files at the ends of
/// each array; equality is the same arrays, else the same paths (and contents).
struct UnitFilesKey: Hashable, @unchecked Sendable {
    /// The unit's name (its folder).
    let name: String
    /// Whether the files' contents are part of the key.
    let withContents: Bool
    /// How many context files come before the judged files.
    let contextCount: Int
    private let files: Files

    private enum Files {
        /// The unit's context and judged files, for a look-up.
        case live([SourceText], [SourceText])
        /// The paths and content hashes (empty without contents), context first, for a cache to keep.
        case stored([String], [Int])
    }

    init(_ unit: AnalysisUnit, contents: Bool) {
        name = unit.name
        withContents = contents
        contextCount = unit.contextFiles.count
        files = .live(unit.contextFiles, unit.files)
    }

    private init(name: String, withContents: Bool, contextCount: Int, files: Files) {
        self.name = name
        self.withContents = withContents
        self.contextCount = contextCount
        self.files = files
    }

    /// The key as a cache keeps it: paths and content hashes, no texts.
    var stored: UnitFilesKey {
        guard case .live(let context, let judged) = files else { return self }
        let all = context + judged
        return UnitFilesKey(
            name: name, withContents: withContents, contextCount: contextCount,
            files: .stored(all.map(\.path), withContents ? all.map(\.contentHash) : []))
    }

    private var count: Int {
        switch files {
        case .live(let context, let judged): return context.count + judged.count
        case .stored(let paths, _): return paths.count
        }
    }

    private func path(_ i: Int) -> String {
        switch files {
        case .live(let context, let judged): return i < context.count ? context[i].path : judged[i - context.count].path
        case .stored(let paths, _): return paths[i]
        }
    }

    private func contentHash(_ i: Int) -> Int {
        switch files {
        case .live(let context, let judged): return i < context.count ? context[i].contentHash : judged[i - context.count].contentHash
        case .stored(_, let hashes): return hashes[i]
        }
    }

    /// Counts and the two files at each end of the context and of the judged files: enough to tell a unit's scoped
    /// copies apart (their counts differ) without reading every file on every look-up; equality reads them all.
    func hash(into hasher: inout Hasher) {
        hasher.combine(contextCount)
        hasher.combine(count)
        let ends = [0, 1, contextCount - 2, contextCount - 1, contextCount, contextCount + 1, count - 2, count - 1]
        for i in ends where i >= 0 && i < count {
            hasher.combine(path(i).utf8.count)
            if withContents { hasher.combine(contentHash(i)) }
        }
    }

    static func == (lhs: UnitFilesKey, rhs: UnitFilesKey) -> Bool {
        guard lhs.withContents == rhs.withContents, lhs.contextCount == rhs.contextCount, lhs.count == rhs.count, lhs.name == rhs.name
        else { return false }
        if case .live(let a, let b) = lhs.files, case .live(let c, let d) = rhs.files, same(a, c), same(b, d) { return true }
        for i in 0..<lhs.count where lhs.path(i) != rhs.path(i) || (lhs.withContents && lhs.contentHash(i) != rhs.contentHash(i)) {
            return false
        }
        return true
    }

    /// Whether two arrays share their storage (so hold the same files).
    private static func same(_ a: [SourceText], _ b: [SourceText]) -> Bool {
        a.count == b.count && a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
    }
}
