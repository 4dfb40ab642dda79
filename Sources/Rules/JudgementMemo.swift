import Foundation
import PolicyModel

/// The findings of subjects judged before, so a judgement repeated on an unchanged subject is not worked out again:
/// a fix's re-check judges its whole unit, of which one block or one workload changed, and an editor's every
/// keystroke judges a file of which one line changed.
///
/// A subject's findings are a function of the subject (its values, origins and context), the engine (its packs,
/// config and whether findings carry fingerprints: one memo belongs to one engine and its copies) and the other
/// subjects that `related()` returned while judging it. An entry is used only when all three are the same: the
/// subject equal field by field, the same kind of engine, and every `related()` call it made giving the same values
/// again.
final class JudgementMemo: @unchecked Sendable {
    /// One `related(type, attribute)` call of a judgement and what it returned.
    struct Relation: Sendable {
        var type: String
        var attribute: String
        var result: Value
    }

    struct Entry: Sendable {
        var subject: Subject
        var relations: [Relation]
        var findings: [Finding]
    }

    private let lock = NSLock()
    /// Each file's subjects' judgements, by subject key: the most recent first, at most `depth`.
    private var byFile: [String: [String: [Entry]]] = [:]
    private var count = 0
    /// The most judgements remembered; past it the memo starts again (a language server's workspace of thousands of
    /// files would otherwise keep every subject it ever judged; a unit's re-checks need a few thousand).
    private let limit: Int
    /// The versions of one subject kept (its text on disk and the one a re-check or an editor judges).
    private let depth = 2

    init(limit: Int = 10_000) { self.limit = limit }

    /// The remembered judgement of a subject equal to `subject` under `key`, if its relations still hold.
    func findings(_ key: String, for subject: Subject, relationsHold: ([Relation]) -> Bool) -> [Finding]? {
        let candidates = lock.withLock { byFile[subject.file]?[key] ?? [] }
        for entry in candidates where Self.sameJudgement(entry.subject, subject) && relationsHold(entry.relations) {
            return entry.findings
        }
        return nil
    }

    /// Remembers a judgement, as the most recent version under `key`.
    func remember(_ key: String, _ entry: Entry) {
        lock.withLock {
            if count >= limit {
                byFile.removeAll(keepingCapacity: true)
                count = 0
            }
            var versions = byFile[entry.subject.file]?[key] ?? []
            count -= versions.count
            versions.insert(entry, at: 0)
            versions = Array(versions.prefix(depth))
            count += versions.count
            byFile[entry.subject.file, default: [:]][key] = versions
        }
    }

    /// How many judgements of subjects of `file` are remembered.
    func count(inFile file: String) -> Int {
        lock.withLock { byFile[file]?.values.reduce(0) { $0 + $1.count } ?? 0 }
    }

    /// Forgets the judgements of the subjects of `files` (a unit whose analysis is done).
    func forget(files: [String]) {
        lock.withLock {
            for file in files {
                if let gone = byFile.removeValue(forKey: file) { count -= gone.values.reduce(0) { $0 + $1.count } }
            }
        }
    }

    /// Whether two subjects are judged alike: every field a judgement or its findings read is equal.
    static func sameJudgement(_ a: Subject, _ b: Subject) -> Bool {
        a.type == b.type && a.address == b.address && a.name == b.name && a.language == b.language && a.file == b.file
            && a.headerRange == b.headerRange && a.path == b.path && a.crossFileNote == b.crossFileNote && a.value == b.value
            && a.context == b.context && a.origins == b.origins && a.documentPaths == b.documentPaths
    }
}

/// The `related()` calls of one judgement, in order (a judgement runs on one thread).
final class RelationLog: @unchecked Sendable {
    private(set) var relations: [JudgementMemo.Relation] = []

    func record(_ relation: JudgementMemo.Relation) { relations.append(relation) }
}
