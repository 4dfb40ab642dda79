import Foundation
import PolicyModel
import TextCore

/// The subjects of local module calls already lowered in this process, by call, module text and arguments.
final class CalledModuleCache: @unchecked Sendable {
    /// The process's cache.
    static let shared = CalledModuleCache()

    /// How many calls are remembered before the cache starts over: enough for the units being verified at once
    /// (a caller is re-lowered once per candidate fix), few enough that a workspace of many callers of a large
    /// module does not keep every call's subjects.
    static let capacity = 32

    /// One call: where it is, the called module's files, and the arguments' values and places (an argument's value
    /// hashes structurally: printing it for a string key was 4% of a Terraform corpus run).
    struct Key: Hashable {
        /// The call's module directory, name, `source`, calling file and calling unit.
        let call: [String]
        /// The called module's `.tf` files.
        let files: SourceTextsKey
        /// The call's arguments.
        let inputs: [String: TerraformModule.Input]
        /// The relation targets the lowering kept subjects for (`TerraformLanguage.relationTargets`).
        let relationTargets: Set<String>?
    }

    private let lock = NSLock()
    private var entries: [Key: [Subject]] = [:]
    private var neutral: [SourceTextsKey: NeutralLowering] = [:]

    /// A called module lowered without inputs, block by block as calls ask: the blocks that read none of a call's
    /// inputs lower the same under every call. The evaluator keeps caches of its own, so one lowering runs at a time.
    final class NeutralLowering: @unchecked Sendable {
        private let lock = NSLock()
        private let make: () -> (TerraformEvaluator, (ValueMap, [String: Origin])?)
        private var made: (TerraformEvaluator, (ValueMap, [String: Origin])?)?
        private var lowered: [Int: [Subject]] = [:]
        private var reads: [Set<String>]?

        init(_ make: @escaping () -> (TerraformEvaluator, (ValueMap, [String: Origin])?)) {
            self.make = make
        }

        /// The variables each block of the module can read (see `TerraformModule.closure(of:memo:)`), found by
        /// `find` the first time: they depend on the module's text alone.
        func variablesRead(_ find: () -> [Set<String>]) -> [Set<String>] {
            lock.withLock {
                if let reads { return reads }
                let found = find()
                reads = found
                return found
            }
        }

        /// The subjects of the module's block at `index`, lowered by `lower` with the evaluator and default tags
        /// of the module without inputs, the first time they are asked for.
        func subjects(
            of index: Int, _ lower: (TerraformEvaluator, (ValueMap, [String: Origin])?) -> [Subject]
        ) -> [Subject] {
            lock.withLock {
                if let known = lowered[index] { return known }
                let (evaluator, tags) = made ?? make()
                made = (evaluator, tags)
                let subjects = lower(evaluator, tags)
                lowered[index] = subjects
                return subjects
            }
        }
    }

    /// The lowering without inputs of the module of `unit` (its files), made by `make` when first asked for.
    func withoutInputs(
        _ unit: AnalysisUnit, make: @escaping () -> (TerraformEvaluator, (ValueMap, [String: Origin])?)
    ) -> NeutralLowering {
        let key = SourceTextsKey(unit.files)
        return lock.withLock {
            if let known = neutral[key] { return known }
            if neutral.count >= CalledModuleCache.capacity { neutral.removeAll() }
            let made = NeutralLowering(make)
            neutral[key] = made
            return made
        }
    }

    /// The subjects lowered for `key`, if any.
    func subjects(for key: Key) -> [Subject]? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    /// Remembers the subjects lowered for `key`.
    func store(_ subjects: [Subject], for key: Key) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= CalledModuleCache.capacity { entries.removeAll() }
        entries[key] = subjects
    }
}
