import PolicyModel
import TextCore

/// A unit's migrations in the order its tool applies them, as positions into the unit's own arrays: a
/// fix's re-check asks for the order of the same paths again and again (its scoped unit, then its lowering).
struct MigrationOrder: Sendable {
    /// Where a migration is in the unit.
    struct Place: Sendable {
        /// True for `contextFiles`, false for `files`.
        let inContext: Bool
        /// The position in that array.
        let index: Int
    }

    /// The migrations (Diesel's settings files left out) in the tool's order.
    let places: [Place]
    /// Each migration's position in `places`, by path; not built for a presorted unit, whose order is only walked.
    private let positions: [String: Int]?

    /// The order of `unit`'s migrations under `tool`.
    init(of unit: AnalysisUnit, tool: MigrationTool) {
        var byPath: [String: Place] = [:]
        for (i, file) in unit.contextFiles.enumerated() where !DieselMetadata.isSettings(file.path) {
            byPath[file.path] = Place(inContext: true, index: i)
        }
        for (i, file) in unit.files.enumerated() { byPath[file.path] = Place(inContext: false, index: i) }
        let migrations = unit.contextFiles.map(\.path).filter { !DieselMetadata.isSettings($0) } + unit.files.map(\.path)
        let ordered = tool.order(migrations).compactMap { path in byPath[path].map { (path, $0) } }
        places = ordered.map(\.1)
        positions = Dictionary(ordered.enumerated().map { ($1.0, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The order of a unit scoped to one file whose first `migrations` context files are the migrations before
    /// it, in order (the rest are settings), and whose judged files follow them.
    init(presortedMigrations migrations: Int, judged: Int) {
        places = (0..<migrations).map { Place(inContext: true, index: $0) } + (0..<judged).map { Place(inContext: false, index: $0) }
        positions = nil
    }

    /// The position in `places` of the migration at `path` (the first, should a path repeat).
    func position(of path: String, in unit: AnalysisUnit) -> Int? {
        if let positions { return positions[path] }
        return places.firstIndex { MigrationOrder.file($0, in: unit).path == path }
    }

    /// The migration at `place` in `unit`.
    static func file(_ place: Place, in unit: AnalysisUnit) -> SourceText {
        place.inContext ? unit.contextFiles[place.index] : unit.files[place.index]
    }
}
