import HCLSyntax
import PolicyModel
import TextCore

/// Terraform modules: lowering of a directory's `.tf` and `.tfvars` files into
/// subjects with static evaluation, and the fix writer.
///
/// Subjects: `resource.<type>`, `data.<type>`, `module`, `provider.<name>`,
/// `variable`, `output` and `terraform`. `self` is the block body as a map;
/// nested blocks are lists of maps under their type; `dynamic` blocks are
/// expanded when their `for_each` is known. AWS provider `default_tags` are
/// merged into the `tags` of the module's `aws_*` resources.
public struct TerraformLanguage: Language {
    /// The language id used in rule packs.
    public static let id = "terraform"

    public var id: String { TerraformLanguage.id }
    public var commentPrefix: String { "#" }

    /// The subject types a rule reaches through `related()` (see `RelationTargets`); nil when not known. A called
    /// module's subject with no value from the call is never judged, and is kept only when its type is one of these.
    public var relationTargets: Set<String>?

    /// Creates the language; `relationTargets` lets it leave out the called modules' subjects nothing reads.
    public init(relationTargets: Set<String>? = nil) {
        self.relationTargets = relationTargets
    }

    /// Whether a called module's subject is of use to the calling unit: the engine judges it for what the call in
    /// `callingFile` sets (it has an origin there), or a relation may reach it.
    func keeps(_ subject: Subject, calledFrom callingFile: String) -> Bool {
        guard let targets = relationTargets else { return true }
        return subject.isLocated(in: callingFile) || targets.contains(subject.type)
            || (subject.type.hasPrefix("resource.") && targets.contains(String(subject.type.dropFirst(9))))
    }

    /// An edited file's unchanged blocks keep their subjects (`BlockLoweringCache`), and so do a called module's.
    public var reusesUnchangedSubjects: Bool { true }

    public func lower(_ unit: AnalysisUnit) -> LoweredUnit {
        let module = TerraformModule(unit)
        let evaluator = TerraformEvaluator(module: module)
        var diagnostics: [SyntaxDiagnostic] = []
        var comments: [SuppressionComment] = []
        for f in module.files {
            diagnostics += f.file.diagnostics.map { SyntaxDiagnostic(file: f.path, range: $0.range, message: $0.message) }
            comments += suppressionComments(f.file, path: f.path)
        }
        var subjects = subjects(of: module, evaluator, unit: unit)
        subjects += calledModuleSubjects(module, evaluator, unit: unit)
        return LoweredUnit(subjects: subjects, diagnostics: diagnostics, comments: comments)
    }

    /// The subjects of a module's blocks: one per instance (see `instances(of:_:)`).
    ///
    /// A block lowered before in the same file (see `BlockLoweringCache`) is taken from there when neither its text
    /// nor anything its values can read changed.
    func subjects(of module: TerraformModule, _ evaluator: TerraformEvaluator, unit: AnalysisUnit) -> [Subject] {
        let defaultTags = awsDefaultTags(module, evaluator)
        var dependencies = BlockDependencies(module)
        var out: [Subject] = []
        for file in module.files where !file.isTfvars {
            let before = BlockLoweringCache.shared.entries(of: file.path)
            var after: [BlockLoweringCache.Entry] = []
            let source = file.file.source
            for block in file.file.body.blocks {
                let text = source.slice(block.range)
                let sameText = before.first { $0.text == text }
                let references = sameText?.references ?? TerraformReferences(naming: block.body)
                let reads = dependencies.hash(of: block, naming: references)
                let subjects: [Subject]
                if let known = sameText, known.dependencies == reads, known.unit == unit.name {
                    subjects = BlockLoweringCache.moved(known.subjects, file: file.path, from: known.range, to: block.range.start)
                } else {
                    subjects = self.subjects(of: block, in: file.path, evaluator, defaultTags: defaultTags, unit: unit)
                }
                after.append(
                    BlockLoweringCache.Entry(
                        text: text, range: block.range, references: references, dependencies: reads, unit: unit.name, subjects: subjects))
                out += subjects
            }
            BlockLoweringCache.shared.store(after, of: file.path)
        }
        return out
    }

    /// The subjects of one block: one per instance.
    private func subjects(
        of block: HCLBlock, in file: String, _ evaluator: TerraformEvaluator, defaultTags: (ValueMap, [String: Origin])?,
        unit: AnalysisUnit
    ) -> [Subject] {
        guard let (type, name, address) = identity(of: block) else { return [] }
        let absent = hasNoInstances(block, evaluator)
        return instances(of: block, evaluator).map { instance in
            var origins: [ValuePath: Origin] = [:]
            var value = BodyLowering(evaluator: evaluator, file: file, bindings: instance.bindings).lower(
                block.body, at: .root, origins: &origins)
            if type.hasPrefix("resource.aws_"), let (tags, tagOrigins) = defaultTags {
                merge(defaultTags: tags, origins: tagOrigins, into: &value, &origins)
            }
            origins[.root] = Origin(file: file, range: block.range, keyRange: block.headerRange)
            return Subject(
                type: type, name: name, address: address + instance.suffix, language: id, file: file, headerRange: block.headerRange,
                value: .map(value), origins: origins, path: .root,
                context: ["module": .string(unit.name), "block": .string(block.type), "absent_by_default": .bool(absent)])
        }
    }

    /// The subjects of a called module's blocks under a call's `inputs`. A block whose values can read none of the
    /// inputs (it names no variable given, directly or through locals, nor do the AWS default tags it takes) lowers as
    /// under any other call: its subjects come from `CalledModuleCache`'s lowering without inputs, made once per
    /// module text, so the examples of a large module do not each lower all of it again.
    private func calledSubjects(_ calledUnit: AnalysisUnit, inputs: [String: TerraformModule.Input], unit: AnalysisUnit)
        -> [(subject: Subject, readsInputs: Bool)]
    {
        let called = TerraformModule(calledUnit, inputs: inputs)
        let evaluator = TerraformEvaluator(module: called)
        let defaultTags = awsDefaultTags(called, evaluator)
        let blocks = called.blocks
        let given = Set(inputs.keys)
        let shared = CalledModuleCache.shared.withoutInputs(calledUnit) {
            let neutral = TerraformModule(calledUnit)
            let neutralEvaluator = TerraformEvaluator(module: neutral)
            return (neutralEvaluator, awsDefaultTags(neutral, neutralEvaluator))
        }
        let reads = shared.variablesRead {
            var memo: [String: TerraformReferences] = [:]
            func variables(_ block: HCLBlock) -> Set<String> {
                called.closure(of: TerraformReferences(naming: block.body), memo: &memo).variables
            }
            // The default tags a resource takes are the providers' (conservatively, every provider block's).
            let providerVariables = blocks.filter { $0.block.type == "provider" }.reduce(into: Set<String>()) {
                $0.formUnion(variables($1.block))
            }
            return blocks.map { _, block in block.type == "resource" ? variables(block).union(providerVariables) : variables(block) }
        }
        var out: [(subject: Subject, readsInputs: Bool)] = []
        for (index, (file, block)) in blocks.enumerated() {
            if reads[index].isDisjoint(with: given) {
                out += shared.subjects(of: index) { neutralEvaluator, tags in
                    subjects(of: block, in: file, neutralEvaluator, defaultTags: tags, unit: unit)
                }.map { subject in
                    var subject = subject
                    subject.context["module"] = .string(unit.name)
                    return (subject, false)
                }
            } else {
                out += subjects(of: block, in: file, evaluator, defaultTags: defaultTags, unit: unit).map { ($0, true) }
            }
        }
        return out
    }

    /// The meta-arguments of a module call, which are not inputs of the called module.
    static let moduleMetaArguments: Set<String> = ["source", "version", "count", "for_each", "providers", "depends_on"]

    /// The subjects of the local modules the unit calls, lowered with the call's arguments as their variables'
    /// values. A value that comes from an argument is located at the argument (and a fix edits it there, never
    /// the shared module); `subject.called_from` names the calling file, and the engine keeps only the findings
    /// located there (the module's other findings are its own, reported where it is judged).
    func calledModuleSubjects(_ module: TerraformModule, _ evaluator: TerraformEvaluator, unit: AnalysisUnit) -> [Subject] {
        var subjects: [Subject] = []
        for (file, block) in module.blocks where block.type == "module" {
            guard let callName = block.labels.first?.value, let source = block.body.attribute("source"),
                case .template(let t) = source.expression.kind, let literal = t.literal,
                let dir = TerraformLocalModules.directory(of: literal, from: unit.name)
            else { continue }
            let files = unit.contextFiles.filter { $0.path.parentPath == dir && $0.path.hasSuffix(".tf") }
            guard !files.isEmpty else { continue }
            var inputs: [String: TerraformModule.Input] = [:]
            for argument in block.body.attributes where !Self.moduleMetaArguments.contains(argument.name) {
                inputs[argument.name] = TerraformModule.Input(
                    value: evaluator.evaluate(argument.expression), nameRange: argument.nameRange,
                    definition: Origin.Definition(
                        file: file, range: argument.expression.range,
                        description: "the argument \(argument.name) of module \"\(callName)\""))
            }
            // The same call with the same arguments lowers the same way: fix verification re-lowers the caller once
            // per candidate fix, and a root module called by many examples is large.
            let key = CalledModuleCache.Key(
                call: [dir, callName, literal, file, unit.name], files: SourceTextsKey(files), inputs: inputs,
                relationTargets: relationTargets)
            if let cached = CalledModuleCache.shared.subjects(for: key) {
                subjects += cached
                continue
            }
            var lowered: [Subject] = []
            let calledUnit = AnalysisUnit(language: id, name: dir, files: files)
            for (var subject, readsInputs) in calledSubjects(calledUnit, inputs: inputs, unit: unit) {
                // A block that reads no argument has no value defined by the call to relocate.
                for (path, origin) in readsInputs ? subject.origins : [:] {
                    guard let definition = origin.definition, definition.file == file,
                        let input = inputs.values.first(where: { $0.definition.range == definition.range })
                    else { continue }
                    subject.origins[path] = Origin(file: file, range: definition.range, keyRange: input.nameRange, definition: definition)
                }
                guard keeps(subject, calledFrom: file) else { continue }
                subject.address = "module.\(callName).\(subject.address)"
                subject.context["called_from"] = .string(file)
                subject.crossFileNote =
                    "\(subject.address) is declared here, in module \"\(callName)\" (\(literal)), and takes this value from the call"
                lowered.append(subject)
            }
            CalledModuleCache.shared.store(lowered, for: key)
            subjects += lowered
        }
        return subjects
    }

    /// The largest `count` or `for_each` expanded into one subject per instance.
    static let maxInstances = 64

    /// The instances of a resource, data or module block: one per known `count` index or `for_each` key,
    /// or a single subject (with `count.index` and `each.*` unknown) when they are not known or there are none
    /// with the module's default inputs: a block that a caller can switch on is judged as written, once, so
    /// every block gets a verdict (as Checkov judges it).
    func instances(of block: HCLBlock, _ evaluator: TerraformEvaluator) -> [(suffix: String, bindings: [String: Value])] {
        guard ["resource", "data", "module"].contains(block.type) else { return [("", [:])] }
        if let count = block.body.attribute("count") {
            if case .int(let n) = evaluator.evaluate(count.expression), n > 0, n <= TerraformLanguage.maxInstances {
                return (0..<Int(n)).map { i in ("[\(i)]", ["count": .map(ValueMap([("index", .int(Int64(i)))]))]) }
            }
            return [("", [:])]
        }
        if let forEach = block.body.attribute("for_each") {
            var pairs: [(String, Value)] = []
            switch evaluator.evaluate(forEach.expression) {
            case .map(let m): pairs = m.entries.compactMap { e in TerraformValue.string(e.key).map { ($0, e.value) } }
            case .list(let l): pairs = l.compactMap { v in TerraformValue.string(v).map { ($0, v) } }
            default: return [("", [:])]
            }
            guard !pairs.isEmpty, pairs.count <= TerraformLanguage.maxInstances else { return [("", [:])] }
            return pairs.sorted { $0.0 < $1.0 }.map { key, value in
                ("[\(Value.quote(key))]", ["each": .map(ValueMap([("key", .string(key)), ("value", value)]))])
            }
        }
        return [("", [:])]
    }

    /// Whether the block's `count` is 0 or its `for_each` empty with the module's default inputs (it is still judged,
    /// once, as written; `subject.absent_by_default` says so, and `related()` of a block that exists by default
    /// leaves it out: a bucket is not versioned by a versioning resource that is off unless a caller turns it on).
    func hasNoInstances(_ block: HCLBlock, _ evaluator: TerraformEvaluator) -> Bool {
        guard ["resource", "data", "module"].contains(block.type) else { return false }
        if let count = block.body.attribute("count") { return evaluator.evaluate(count.expression) == .int(0) }
        if let forEach = block.body.attribute("for_each") {
            switch evaluator.evaluate(forEach.expression) {
            case .map(let m): return m.count == 0
            case .list(let l): return l.isEmpty
            default: return false
            }
        }
        return false
    }

    /// The subject type, name and address of a top-level block, or nil for blocks that are not subjects.
    func identity(of block: HCLBlock) -> (String, String, String)? {
        let labels = block.labels.map(\.value)
        switch block.type {
        case "resource" where labels.count == 2: return ("resource.\(labels[0])", labels[1], "\(labels[0]).\(labels[1])")
        case "data" where labels.count == 2: return ("data.\(labels[0])", labels[1], "data.\(labels[0]).\(labels[1])")
        case "module" where labels.count == 1: return ("module", labels[0], "module.\(labels[0])")
        case "provider" where labels.count == 1:
            let alias = block.body.attribute("alias").flatMap { a -> String? in
                if case .template(let t) = a.expression.kind { return t.literal }
                return nil
            }
            return ("provider.\(labels[0])", labels[0], "provider.\(labels[0])" + (alias.map { ".\($0)" } ?? ""))
        case "variable" where labels.count == 1: return ("variable", labels[0], "var.\(labels[0])")
        case "output" where labels.count == 1: return ("output", labels[0], "output.\(labels[0])")
        case "terraform" where labels.isEmpty: return ("terraform", "terraform", "terraform")
        default: return nil
        }
    }

    /// The default tags of the module's default (unaliased) AWS provider, with the origin of each.
    private func awsDefaultTags(_ module: TerraformModule, _ evaluator: TerraformEvaluator) -> (ValueMap, [String: Origin])? {
        for (file, block) in module.blocks
        where block.type == "provider" && block.labels.first?.value == "aws" && block.body.attribute("alias") == nil {
            guard let defaults = block.body.blocks.first(where: { $0.type == "default_tags" }), let tags = defaults.body.attribute("tags"),
                case .map(let m) = evaluator.evaluate(tags.expression)
            else { continue }
            var origins: [String: Origin] = [:]
            if case .object(let items) = tags.expression.kind {
                for item in items {
                    if let key = TerraformValue.string(
                        item.keyIsIdentifier ? (item.key.kind.variableName.map { .string($0) } ?? .null) : evaluator.evaluate(item.key))
                    {
                        origins[key] = Origin(file: file, range: item.value.range, keyRange: item.key.range)
                    }
                }
            }
            return (m, origins)
        }
        return nil
    }

    private func merge(
        defaultTags: ValueMap, origins tagOrigins: [String: Origin], into value: inout ValueMap, _ origins: inout [ValuePath: Origin]
    ) {
        var tags = value["tags"]?.mapValue ?? ValueMap()
        if let own = value["tags"], own.mapValue == nil, own != .null { return }
        var merged = defaultTags
        for (k, v) in tags.entries { merged[k] = v }
        for (k, _) in defaultTags.entries {
            guard let key = k.stringValue, tags[key] == nil, let o = tagOrigins[key] else { continue }
            origins[ValuePath([.key("tags"), .key(key)])] = o
        }
        tags = merged
        value["tags"] = .map(tags)
    }

    /// Comments that may be suppressions, each aimed at the line they govern.
    func suppressionComments(_ file: HCLFile, path: String) -> [SuppressionComment] {
        SuppressionComment.targeting(file.comments.map { ($0.text, $0.range, $0.ownLine) }, in: file.source, file: path)
    }

    public func edits(for plan: FixPlan, subject: Subject, atPath: ValuePath?, in unit: AnalysisUnit) throws(FixWriteError) -> [FileEdits] {
        try TerraformFixWriter(language: self).edits(for: plan, subject: subject, in: unit)
    }
}

extension HCLExpressionKind {
    /// The name of a bare variable expression.
    var variableName: String? {
        if case .variable(let n) = self { return n }
        return nil
    }
}

/// Turns a block body into a map, recording where each value was written.
struct BodyLowering {
    let evaluator: TerraformEvaluator
    let file: String
    var bindings: [String: Value] = [:]
    /// For a `dynamic` block's iterator: the literal element of the `for_each` collection this instance takes
    /// (in a `locals`, a variable default or a tfvars file), so a value read from `iterator.value.key` names
    /// the element that holds it.
    var elements: [String: LiteralElement] = [:]

    /// A literal element of a collection, where it is written.
    struct LiteralElement {
        var file: String
        var expression: HCLExpression
        var description: String
    }

    /// Where `iterator.value.a.b` (or `[iterator.value.a]`) was written, when the iterator's element is a literal.
    func elementDefinition(of e: HCLExpression) -> Origin.Definition? {
        var steps: [String] = []
        var inner = e
        if case .tuple(let items) = inner.kind, items.count == 1 { inner = items[0] }
        while case .getAttribute(let base, let name, _) = inner.kind {
            steps.insert(name, at: 0)
            inner = base
        }
        guard case .variable(let iterator) = inner.kind, let element = elements[iterator], steps.first == "value" else { return nil }
        var expression = element.expression
        var description = element.description
        for key in steps.dropFirst() {
            guard case .object(let items) = expression.kind,
                let item = items.first(where: { ($0.key.kind.variableName ?? literalText($0.key)) == key })
            else { return nil }
            expression = item.value
            description += ".\(key)"
        }
        return Origin.Definition(file: element.file, range: expression.range, description: description)
    }

    private func literalText(_ e: HCLExpression) -> String? {
        if case .template(let t) = e.kind { return t.literal }
        return nil
    }

    func evaluate(_ e: HCLExpression) -> Value {
        bindings.isEmpty ? evaluator.evaluate(e) : evaluator.evaluate(e, with: bindings)
    }

    func lower(_ body: HCLBody, at path: ValuePath, origins: inout [ValuePath: Origin]) -> ValueMap {
        var out = ValueMap()
        var blockCounts: [String: Int] = [:]
        for item in body.items {
            switch item {
            case .attribute(let a):
                let p = path.appending(key: a.name)
                // An argument set to null is omitted (Terraform's rule): rules see it as absent, and findings still
                // point at it through its origin.
                let value = evaluate(a.expression)
                if value != .null { out[a.name] = value }
                origins[p] = Origin(
                    file: file, range: a.expression.range, keyRange: a.nameRange,
                    definition: evaluator.definition(of: a.expression) ?? elementDefinition(of: a.expression))
                recordLiteralOrigins(a.expression, at: p, origins: &origins)
                if case .template(let t) = a.expression.kind, t.isHeredoc,
                    let source = evaluator.module.files.first(where: { $0.path == file })?.file.source
                {
                    origins.merge(HeredocJSONOrigins.origins(of: a.expression, in: source, at: p)) { written, _ in written }
                }
            case .block(let b) where b.type == "dynamic":
                guard let name = b.labels.first?.value else { continue }
                if origins[path.appending(key: name)] == nil {
                    origins[path.appending(key: name)] = Origin(file: file, range: b.range, keyRange: b.headerRange)
                }
                var list = out[name]?.listValue ?? []
                let iterator = b.body.attribute("iterator").flatMap { $0.expression.kind.variableName } ?? name
                let content = b.body.blocks.first { $0.type == "content" }
                let collection = b.body.attribute("for_each").map { evaluate($0.expression) } ?? .unknown("dynamic block without for_each")
                var pairs: [(Value, Value)]?
                switch collection {
                case .list(let l): pairs = l.enumerated().map { (.int(Int64($0.offset)), $0.element) }
                case .map(let m): pairs = m.entries.map { ($0.key, $0.value) }
                default: pairs = nil
                }
                guard let pairs, let content else {
                    list.append(.unknown("depends on the for_each of dynamic \"\(name)\""))
                    out[name] = .list(list)
                    continue
                }
                let literal = b.body.attribute("for_each").flatMap { evaluator.literalCollection(of: $0.expression, file: file) }
                for (n, (k, v)) in pairs.enumerated() {
                    let i = blockCounts[name, default: 0]
                    blockCounts[name] = i + 1
                    let p = path.appending(key: name).appending(.index(i))
                    var inner = self
                    inner.bindings[iterator] = .map(ValueMap([("key", k), ("value", v)]))
                    if let literal, let element = literal.element(n, key: k) { inner.elements[iterator] = element }
                    origins[p] = Origin(file: file, range: content.range, keyRange: b.headerRange)
                    list.append(.map(inner.lower(content.body, at: p, origins: &origins)))
                }
                out[name] = .list(list)
            case .block(let b):
                let i = blockCounts[b.type, default: 0]
                blockCounts[b.type] = i + 1
                let p = path.appending(key: b.type).appending(.index(i))
                origins[p] = Origin(file: file, range: b.range, keyRange: b.headerRange)
                if origins[path.appending(key: b.type)] == nil {
                    origins[path.appending(key: b.type)] = Origin(file: file, range: b.range, keyRange: b.headerRange)
                }
                var list = out[b.type]?.listValue ?? []
                list.append(.map(lower(b.body, at: p, origins: &origins)))
                out[b.type] = .list(list)
            }
        }
        return out
    }

    /// Origins of the keys and items of object and tuple literals, so findings point inside them.
    private func recordLiteralOrigins(_ e: HCLExpression, at path: ValuePath, origins: inout [ValuePath: Origin]) {
        switch e.kind {
        case .object(let items):
            for item in items {
                let key: String?
                if item.keyIsIdentifier, let n = item.key.kind.variableName {
                    key = n
                } else {
                    key = TerraformValue.string(evaluate(item.key))
                }
                guard let key else { continue }
                let p = path.appending(key: key)
                origins[p] = Origin(
                    file: file, range: item.value.range, keyRange: item.key.range, definition: evaluator.definition(of: item.value))
                recordLiteralOrigins(item.value, at: p, origins: &origins)
            }
        case .tuple(let items):
            for (i, item) in items.enumerated() {
                let p = path.appending(.index(i))
                origins[p] = Origin(file: file, range: item.range)
                recordLiteralOrigins(item, at: p, origins: &origins)
            }
        case .parenthesized(let inner):
            recordLiteralOrigins(inner, at: path, origins: &origins)
        case .call("jsonencode", _, let arguments, _) where arguments.count == 1:
            // A policy written as jsonencode({...}): its keys are found where they are written, so a rule over the
            // decoded document (policy.Statement[0].Action) points at the literal.
            recordLiteralOrigins(arguments[0], at: path, origins: &origins)
        default:
            break
        }
    }
}
