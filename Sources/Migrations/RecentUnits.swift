import Foundation
import PolicyModel
import TextCore

/// The tool and orders of the few units asked about last, found by the identity of the units' file arrays.
///
/// A check asks for the tool and order of one unit (the migrations folder) on every re-check and every fix it
/// plans; the caches keyed by `UnitFilesKey` then compare every path of the folder each time. A unit whose
/// arrays are the very arrays of an entry here (the entry keeps them alive, so an address is never reused
/// while it is compared) has the same files, and is answered without reading them.
final class RecentUnits: @unchecked Sendable {
    private struct Entry {
        let name: String
        let contextFiles: [SourceText]
        let files: [SourceText]
        var tool: MigrationTool?
        /// For a fix's scope: the tool of the unit it was cut from, under which its edited copies are judged.
        var scopeTool: MigrationTool?
        var orders: [MigrationTool: MigrationOrder] = [:]
        /// The directories whose `metadata.toml` runs them outside a transaction.
        var outsideTransaction: Set<String>?
        /// Each judged file's position in `files`, by path.
        var positions: [String: Int]?
    }

    private let lock = NSLock()
    private var entries: [Entry] = []
    private let capacity: Int

    /// A memo of the last `capacity` units.
    init(capacity: Int = 8) { self.capacity = capacity }

    /// The tool remembered for exactly this unit, else the tool its edited copies are judged under when it is a
    /// fix's scope (a re-check edits the text of a scoped unit's one judged file: see `remember(scopeTool:of:)`).
    func tool(of unit: AnalysisUnit) -> MigrationTool? {
        lock.withLock {
            if let known = position(of: unit).flatMap({ entries[$0].tool }) { return known }
            return entries.last { $0.scopeTool != nil && Self.samePaths($0, unit) }?.scopeTool
        }
    }

    /// The order remembered under `tool` for this unit, or for one with the same context files and judged paths
    /// (an order reads only paths: a fix's re-check edits the text of the unit's one judged file).
    func order(of unit: AnalysisUnit, tool: MigrationTool) -> MigrationOrder? {
        lock.withLock { entries.last { $0.orders[tool] != nil && Self.samePaths($0, unit) }?.orders[tool] }
    }

    /// Whether `unit` has the entry's very context files and judged files of the same paths.
    private static func samePaths(_ e: Entry, _ unit: AnalysisUnit) -> Bool {
        e.name == unit.name && identical(e.contextFiles, unit.contextFiles) && e.files.count == unit.files.count
            && zip(e.files, unit.files).allSatisfy { $0.path == $1.path }
    }

    /// The directories of the unit's migrations that run outside a transaction (Diesel's `metadata.toml`), read
    /// once for the unit: every fix planned in it asks.
    func outsideTransaction(of unit: AnalysisUnit) -> Set<String> {
        if let known = lock.withLock({ position(of: unit).flatMap { entries[$0].outsideTransaction } }) { return known }
        let directories = DieselMetadata.directoriesOutsideTransaction(unit.contextFiles)
        update(unit) { $0.outsideTransaction = directories }
        return directories
    }

    /// The unit's judged file at `path`, found through an index of the unit's paths built once for it.
    func file(_ path: String, in unit: AnalysisUnit) -> SourceText? {
        let known = lock.withLock { position(of: unit).flatMap { entries[$0].positions } }
        let positions = known ?? Dictionary(unit.files.indices.map { (unit.files[$0].path, $0) }, uniquingKeysWith: { a, _ in a })
        if known == nil { update(unit) { $0.positions = positions } }
        return positions[path].map { unit.files[$0] }
    }

    /// Remembers the unit's tool.
    func remember(tool: MigrationTool, of unit: AnalysisUnit) {
        update(unit) { $0.tool = tool }
    }

    /// Remembers that the scoped `unit` and its copies with the judged files' texts edited (a fix's re-check) are
    /// judged under `tool`, the tool recognised from every file of the unit the scope was cut from.
    func remember(scopeTool tool: MigrationTool, of unit: AnalysisUnit) {
        update(unit) { $0.scopeTool = tool }
    }

    /// Remembers the unit's order under `tool`.
    func remember(order: MigrationOrder, tool: MigrationTool, of unit: AnalysisUnit) {
        update(unit) { $0.orders[tool] = order }
    }

    private func update(_ unit: AnalysisUnit, _ change: (inout Entry) -> Void) {
        lock.withLock {
            if let i = position(of: unit) {
                change(&entries[i])
                return
            }
            var entry = Entry(name: unit.name, contextFiles: unit.contextFiles, files: unit.files)
            change(&entry)
            if entries.count >= capacity { entries.removeFirst() }
            entries.append(entry)
        }
    }

    private func position(of unit: AnalysisUnit) -> Int? {
        entries.firstIndex { e in
            e.name == unit.name && Self.identical(e.files, unit.files) && Self.identical(e.contextFiles, unit.contextFiles)
        }
    }

    /// Whether two arrays share one storage (an empty array has none and is identical to any empty array).
    static func identical(_ a: [SourceText], _ b: [SourceText]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in pa.baseAddress == pb.baseAddress } }
    }
}
