import Foundation
import HCLSyntax
import PolicyModel
import TextCore

/// The subjects of the top-level blocks of recently lowered files, so lowering an edited file again (a keystroke in
/// the editor, a fix's re-check) lowers only the blocks the edit changed and those whose values read what it changed.
///
/// A block is taken from here when its text is the same and so is everything its values can read: the variables
/// and locals it names (followed through locals) and, for a resource, the provider blocks (default tags), each
/// with its text and place. A block that moved (an edit above it) is taken at its new place: the ranges inside it
/// shift with it; every range outside it is one of those dependencies, which did not move.
final class BlockLoweringCache: @unchecked Sendable {
    /// The process's cache.
    static let shared = BlockLoweringCache()

    /// How many files' blocks are kept: enough for the units being lowered at once.
    static let capacity = 64

    /// One block as it was last lowered.
    struct Entry {
        /// The block's text.
        let text: String
        /// Where it was.
        let range: SourceRange
        /// The variables and locals its text names.
        let references: TerraformReferences
        /// A hash of what its values can read, with the texts and places (see `BlockDependencies`).
        let dependencies: Int
        /// The unit it was lowered in (the subjects' `module` context).
        let unit: String
        /// Its subjects.
        let subjects: [Subject]
    }

    private let lock = NSLock()
    private var files: [String: [Entry]] = [:]
    private var order: [String] = []

    /// The blocks of `file` as last lowered.
    func entries(of file: String) -> [Entry] {
        lock.withLock { files[file] ?? [] }
    }

    /// Keeps `entries` as the blocks of `file`, forgetting the file used least recently when there are too many.
    func store(_ entries: [Entry], of file: String) {
        lock.withLock {
            if files.updateValue(entries, forKey: file) == nil {
                order.append(file)
                if order.count > BlockLoweringCache.capacity { files[order.removeFirst()] = nil }
            } else if let i = order.firstIndex(of: file) {
                order.append(order.remove(at: i))
            }
        }
    }

    /// Forgets every file (tests compare a lowering from here with one made afresh).
    func removeAll() {
        lock.withLock {
            files = [:]
            order = []
        }
    }

    /// `subjects`, lowered from a block at `old` in `file`, for the same block now starting at `start`.
    static func moved(_ subjects: [Subject], file: String, from old: SourceRange, to start: Int) -> [Subject] {
        let delta = start - old.start
        guard delta != 0 else { return subjects }
        func move(_ r: SourceRange) -> SourceRange {
            r.start >= old.start && r.end <= old.end ? r.moved(by: delta) : r
        }
        return subjects.map { subject in
            var subject = subject
            if subject.file == file { subject.headerRange = move(subject.headerRange) }
            for (path, origin) in subject.origins {
                var o = origin
                if o.file == file {
                    o.range = move(o.range)
                    o.keyRange = o.keyRange.map(move)
                }
                if let d = o.definition, d.file == file { o.definition?.range = move(d.range) }
                subject.origins[path] = o
            }
            return subject
        }
    }
}

/// What the values of a module's blocks can read, hashed with the text and place of each part, for one lowering:
/// the variables a block names (declaration, tfvars entry, the call's argument), the locals it names, followed
/// through locals, and for a resource every provider block (the AWS default tags). Each part is hashed once.
struct BlockDependencies {
    private let module: TerraformModule
    private let texts: [String: SourceText]
    private let providers: Int
    private var variableMarks: [String: Int] = [:]
    private var localMarks: [String: Int] = [:]
    private var localReferences: [String: TerraformReferences] = [:]

    init(_ module: TerraformModule) {
        self.module = module
        texts = Dictionary(module.files.map { ($0.path, $0.file.source) }, uniquingKeysWith: { a, _ in a })
        var hasher = Hasher()
        for file in module.files where !file.isTfvars {
            for block in file.file.body.blocks where block.type == "provider" {
                BlockDependencies.place(file.path, block.range, texts, into: &hasher)
            }
        }
        providers = hasher.finalize()
    }

    /// The hash of what the values of `block`, which names `refs`, can read.
    mutating func hash(of block: HCLBlock, naming refs: TerraformReferences) -> Int {
        let (variables, locals) = module.closure(of: refs, memo: &localReferences)
        var hasher = Hasher()
        for name in variables.sorted() { hasher.combine(mark(ofVariable: name)) }
        for name in locals.sorted() { hasher.combine(mark(ofLocal: name)) }
        if block.type == "resource" { hasher.combine(providers) }
        return hasher.finalize()
    }

    private mutating func mark(ofVariable name: String) -> Int {
        let (module, texts) = (self.module, self.texts)
        return BlockDependencies.memoized(name, in: &variableMarks) { hasher in
            if let input = module.inputs[name] { hasher.combine(input) }
            if let assigned = module.tfvars[name] { BlockDependencies.place(assigned.file, assigned.attribute.range, texts, into: &hasher) }
            if let declared = module.variables[name] { BlockDependencies.place(declared.file, declared.block.range, texts, into: &hasher) }
        }
    }

    private mutating func mark(ofLocal name: String) -> Int {
        let (module, texts) = (self.module, self.texts)
        return BlockDependencies.memoized(name, in: &localMarks) { hasher in
            if let entry = module.locals[name] { BlockDependencies.place(entry.file, entry.attribute.range, texts, into: &hasher) }
        }
    }

    /// The hash of `name` and what `add` adds, made once per name.
    private static func memoized(_ name: String, in marks: inout [String: Int], _ add: (inout Hasher) -> Void) -> Int {
        if let known = marks[name] { return known }
        var hasher = Hasher()
        hasher.combine(name)
        add(&hasher)
        let mark = hasher.finalize()
        marks[name] = mark
        return mark
    }

    private static func place(_ file: String, _ range: SourceRange, _ texts: [String: SourceText], into hasher: inout Hasher) {
        hasher.combine(file)
        hasher.combine(range)
        if let text = texts[file] { hasher.combine(text.slice(range)) }
    }
}
