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
    /// Each migration's position in `places`, by path.
    let position: [String: Int]

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
        position = Dictionary(ordered.enumerated().map { ($1.0, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The order of a unit whose migrations are in their tool's order already (a unit scoped to one file: the
    /// migrations before it, in order, then the file): its context files, settings left out, then its judged files.
    init(presorted unit: AnalysisUnit) {
        var places: [Place] = []
        for (i, file) in unit.contextFiles.enumerated() where !DieselMetadata.isSettings(file.path) {
            places.append(Place(inContext: true, index: i))
        }
        for i in unit.files.indices { places.append(Place(inContext: false, index: i)) }
        self.places = places
        position = Dictionary(
            places.enumerated().map { (MigrationOrder.file($1, in: unit).path, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The migration at `place` in `unit`.
    static func file(_ place: Place, in unit: AnalysisUnit) -> SourceText {
        place.inContext ? unit.contextFiles[place.index] : unit.files[place.index]
    }
}
