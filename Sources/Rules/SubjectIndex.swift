import Foundation
import PolicyModel

/// The subjects of one judged unit by type, for `related()`: built once per unit (on its first use), so a
/// relation looks only at the subjects of the type it names instead of scanning them all.
final class SubjectIndex: @unchecked Sendable {
    private let all: [Subject]
    private let lock = NSLock()
    private var byType: [String: [Subject]]?

    init(_ all: [Subject]) { self.all = all }

    /// The subjects of `type`, in the unit's order.
    func subjects(ofType type: String) -> [Subject] {
        lock.withLock {
            if byType == nil { byType = Dictionary(grouping: all, by: \.type) }
            return byType?[type] ?? []
        }
    }
}
