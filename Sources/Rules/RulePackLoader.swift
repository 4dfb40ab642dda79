import CEL
import PolicyModel
import TextCore
import YAMLSyntax
import YAMLValues

/// Loads and validates rule packs.
///
/// Every problem is an error with the pack file and range; a rule with a
/// problem is left out and the rest of the pack still loads, so one typo does
/// not switch off a whole pack without a word.
public struct RulePackLoader: Sendable {
    /// The CEL environment rule expressions are compiled in.
    public static let environment = CELEnvironment(
        variables: ["self", "params", "subject"],
        functions: [CELCustomFunction(name: "related", arities: [2])], absentIsFalse: true)

    /// The language ids a golden path may name in `language:`.
    public let languages: [String]

    /// Creates a loader that accepts golden paths of `languages` (the ids of `Languages.all`).
    public init(languages: [String]) { self.languages = languages }

    /// Loads a pack from its text; returns the pack (possibly partial) and every problem found.
    public func load(_ source: SourceText) -> (pack: RulePack?, errors: [RulePackError]) {
        var reader = PackReader(file: source.path, lineIndex: source.lineIndex, languages: languages)
        let yaml = YAMLParser().parse(source)
        for d in yaml.diagnostics {
            reader.errors.append(RulePackError(.syntax, d.message, file: source.path, at: d.range))
        }
        guard let root = yaml.root else {
            if reader.errors.isEmpty {
                reader.errors.append(RulePackError(.missingKey, "the rule pack is empty", file: source.path, at: .empty(at: 0)))
            }
            return (nil, reader.errors)
        }
        let pack = reader.readPack(root)
        return (pack, reader.errors)
    }
}

/// Walks a pack's YAML tree, collecting errors.
struct PackReader {
    let file: String
    let lineIndex: LineIndex
    var errors: [RulePackError] = []
    var ruleIds: [String: SourceRange] = [:]
    var pathIds: [String: SourceRange] = [:]
    /// A learned pack (generated from decisions) needs no examples.
    var learned = false
    let languages: [String]

    init(file: String, lineIndex: LineIndex, languages: [String]) {
        self.file = file
        self.lineIndex = lineIndex
        self.languages = languages
    }

    func line(_ range: SourceRange) -> Int { lineIndex.line(containing: range.start) + 1 }

    mutating func fail(_ kind: RulePackError.Kind, _ message: String, _ range: SourceRange) {
        errors.append(RulePackError(kind, message, file: file, at: range))
    }

    /// The mapping entries of `node`, reporting keys outside `allowed` and missing `required` ones.
    mutating func mapping(_ node: YAMLNode, what: String, allowed: [String], required: [String]) -> [String: YAMLMappingEntry]? {
        var schema = YAMLSchemaReader()
        defer { take(schema) }
        return schema.mapping(node, what: what, allowed: allowed, required: required)
    }

    mutating func string(_ entry: YAMLMappingEntry?, what: String) -> String? {
        guard let entry else { return nil }
        var schema = YAMLSchemaReader()
        defer { take(schema) }
        return schema.string(entry.value, what: what)
    }

    mutating func strings(_ entry: YAMLMappingEntry?, what: String) -> [String]? {
        guard let entry else { return nil }
        var schema = YAMLSchemaReader()
        defer { take(schema) }
        return schema.strings(entry.value, what: what)
    }

    /// The schema reader's problems as this pack's errors.
    private mutating func take(_ schema: YAMLSchemaReader) {
        for p in schema.problems {
            let kind: RulePackError.Kind
            switch p.kind {
            case .unknownKey: kind = .unknownKey
            case .missingKey: kind = .missingKey
            case .wrongType: kind = .wrongType
            }
            fail(kind, p.message, p.range)
        }
    }

    /// The range of text inside a scalar that holds a CEL expression (past the quote or block header).
    func contentStart(of node: YAMLNode, text: String) -> Int {
        guard let s = node.scalar else { return node.range.start }
        switch s.style {
        case .plain: return node.range.start
        case .singleQuoted, .doubleQuoted: return node.range.start + 1
        case .literal, .folded: return max(node.range.start, node.range.end - text.utf8.count)
        }
    }

    mutating func expression(_ entry: YAMLMappingEntry?, what: String) -> CompiledExpression? {
        guard let entry, let text = string(entry, what: what) else { return nil }
        let location = PackLocation(file: file, range: entry.value.range)
        do {
            let program = try CELProgram.compile(text, environment: RulePackLoader.environment)
            return CompiledExpression(program: program, location: location)
        } catch {
            let base = contentStart(of: entry.value, text: text)
            let range =
                entry.value.scalar?.style == .plain || entry.value.scalar?.style == .singleQuoted
                    || entry.value.scalar?.style == .doubleQuoted
                ? SourceRange(start: base + error.range.start, end: base + error.range.end)
                : entry.value.range
            fail(.badExpression, "invalid CEL in \(what): \(error.message)", range)
            return nil
        }
    }

    mutating func readPack(_ root: YAMLNode) -> RulePack? {
        guard
            let keys = mapping(
                root, what: "the rule pack", allowed: ["pack", "description", "golden_paths", "learned"],
                required: ["pack", "golden_paths"])
        else { return nil }
        learned = keys["learned"].map { YAMLValues.value(of: $0.value) == .bool(true) } ?? false
        let name = string(keys["pack"], what: "pack") ?? "unnamed"
        var paths: [GoldenPath] = []
        if let list = keys["golden_paths"] {
            if let items = list.value.items {
                for item in items {
                    if let p = readGoldenPath(item, pack: name) { paths.append(p) }
                }
            } else {
                fail(.wrongType, "golden_paths must be a list", list.value.range)
            }
        }
        return RulePack(
            name: name, source: file, description: string(keys["description"], what: "description"), goldenPaths: paths, learned: learned)
    }

    /// A golden path with any problem is left out whole: were it kept without its broken rule, the
    /// subjects it selects would pass as routine, unchecked, instead of going to a human review.
    mutating func readGoldenPath(_ node: YAMLNode, pack: String) -> GoldenPath? {
        let errorsBefore = errors.count
        guard
            let keys = mapping(
                node, what: "a golden path",
                allowed: ["id", "title", "description", "language", "select", "when", "params", "rules", "example", "baseline"]
                    + (learned ? ["decision"] : []),
                required: ["id", "title", "language", "select", "rules"])
        else { return nil }
        guard let id = string(keys["id"], what: "id") else { return nil }
        if let first = pathIds[id], let e = keys["id"] {
            fail(.duplicateId, "duplicate golden path id '\(id)' (first defined on line \(line(first)))", e.value.range)
        }
        pathIds[id] = keys["id"]?.value.range
        let language = string(keys["language"], what: "language") ?? ""
        if !languages.contains(language), let e = keys["language"] {
            let hint = Suggest.closest(language, in: languages).map { "; did you mean '\($0)'?" } ?? ""
            fail(.invalidValue, "unknown language '\(language)' (known: \(languages.joined(separator: ", ")))\(hint)", e.value.range)
        }
        var params: [String: Value] = [:]
        if let p = keys["params"] {
            if case .map(let m) = YAMLValues.value(of: p.value) {
                for (k, v) in m.entries { if let ks = k.stringValue { params[ks] = v } }
            } else {
                fail(.wrongType, "params must be a mapping", p.value.range)
            }
        }
        var rules: [Rule] = []
        if let r = keys["rules"] {
            if let items = r.value.items {
                for item in items {
                    if let rule = readRule(item, goldenPath: id) { rules.append(rule) }
                }
            } else {
                fail(.wrongType, "rules must be a list", r.value.range)
            }
        }
        let path = GoldenPath(
            id: id, title: string(keys["title"], what: "title") ?? id, language: language,
            select: strings(keys["select"], what: "select") ?? [], when: expression(keys["when"], what: "when"),
            params: params, rules: rules, example: string(keys["example"], what: "example"), pack: pack,
            baseline: keys["baseline"].map { YAMLValues.value(of: $0.value) == .bool(true) } ?? false,
            decision: keys["decision"].flatMap { readDecision($0.value) })
        return errors.count == errorsBefore ? path : nil
    }

    /// A learned golden path's `decision:` record: kind (approve or deny), request, reviewer and an ISO 8601 time.
    mutating func readDecision(_ node: YAMLNode) -> LearnedDecision? {
        let fields = ["kind", "request", "reviewer", "time"]
        let signed = ["subject", "fingerprint", "condition", "reason", "signature", "key"]
        guard let keys = mapping(node, what: "a decision", allowed: fields + signed, required: fields),
            let kind = string(keys["kind"], what: "kind"), let request = string(keys["request"], what: "request"),
            let reviewer = string(keys["reviewer"], what: "reviewer"), let time = string(keys["time"], what: "time")
        else { return nil }
        if kind != "approve" && kind != "deny", let e = keys["kind"] {
            fail(.invalidValue, "decision kind must be approve or deny, not '\(kind)'", e.value.range)
        }
        if reviewer.trimmingCharacters(in: .whitespaces).isEmpty, let e = keys["reviewer"] {
            fail(.invalidValue, "decision reviewer must not be empty", e.value.range)
        }
        if !Self.isISOTime(time), let e = keys["time"] {
            fail(.invalidValue, "decision time must be an ISO 8601 UTC time like 2026-12-06T21:00:00Z, not '\(time)'", e.value.range)
        }
        var decision = LearnedDecision(kind: kind, request: request, reviewer: reviewer, time: time)
        decision.subject = string(keys["subject"], what: "subject")
        decision.fingerprint = string(keys["fingerprint"], what: "fingerprint")
        decision.condition = string(keys["condition"], what: "condition")
        decision.reason = string(keys["reason"], what: "reason")
        decision.signature = string(keys["signature"], what: "signature")
        decision.key = string(keys["key"], what: "key")
        return decision
    }

    /// Whether `s` reads `YYYY-MM-DDThh:mm:ss[.fff]Z` with a valid month, day, hour, minute and second.
    static func isISOTime(_ s: String) -> Bool {
        let c = Array(s.utf8)
        guard c.count >= 20, c.last == UInt8(ascii: "Z"), c[4] == UInt8(ascii: "-"), c[7] == UInt8(ascii: "-"),
            c[10] == UInt8(ascii: "T"), c[13] == UInt8(ascii: ":"), c[16] == UInt8(ascii: ":")
        else { return false }
        func number(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                guard c[i] >= UInt8(ascii: "0"), c[i] <= UInt8(ascii: "9") else { return nil }
                n = n * 10 + Int(c[i] - UInt8(ascii: "0"))
            }
            return n
        }
        guard number(0..<4) != nil, let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), (1...12).contains(month), (1...31).contains(day),
            hour < 24, minute < 60, second < 61
        else { return false }
        if c.count == 20 { return true }
        return c[19] == UInt8(ascii: ".") && c.count > 21 && number(20..<(c.count - 1)) != nil
    }

    mutating func readRule(_ node: YAMLNode, goldenPath: String) -> Rule? {
        guard
            let keys = mapping(
                node, what: "a rule",
                allowed: [
                    "id", "title", "severity", "when", "require", "at", "message", "rationale", "docs", "fix", "suppressible", "aliases",
                    "allowed_values", "examples",
                ],
                required: learned
                    ? ["id", "title", "severity", "require", "message"] : ["id", "title", "severity", "require", "message", "examples"])
        else { return nil }
        let errorCount = errors.count
        guard let id = string(keys["id"], what: "id") else { return nil }
        if let first = ruleIds[id], let e = keys["id"] {
            fail(.duplicateId, "duplicate rule id '\(id)' (first defined on line \(line(first)))", e.value.range)
        }
        ruleIds[id] = keys["id"]?.value.range
        var severity = Severity.warning
        if let e = keys["severity"], let s = string(e, what: "severity") {
            if let parsed = Severity(rawValue: s) {
                severity = parsed
            } else {
                fail(.invalidValue, "severity must be one of error, warning, info, hint (not '\(s)')", e.value.range)
            }
        }
        let require = expression(keys["require"], what: "require")
        let message = readMessage(keys["message"])
        var suppressible = true
        if let e = keys["suppressible"] {
            if case .bool(let b) = YAMLValues.value(of: e.value) {
                suppressible = b
            } else {
                fail(.wrongType, "suppressible must be true or false", e.value.range)
            }
        }
        var allowed: [Value] = []
        if let e = keys["allowed_values"] {
            if case .list(let l) = YAMLValues.value(of: e.value) {
                allowed = l
            } else {
                fail(.wrongType, "allowed_values must be a list", e.value.range)
            }
        }
        let examples = readExamples(keys["examples"])
        let fix = readFix(keys["fix"])
        let when = expression(keys["when"], what: "when")
        let atTexts: [String] =
            if let node = keys["at"]?.value, node.items != nil {
                strings(keys["at"], what: "at") ?? []
            } else {
                string(keys["at"], what: "at").map { [$0] } ?? []
            }
        // A place with `{{ expr }}` in it (`ports[{{ ... }}]`) is computed for each subject.
        let atPaths = atTexts.filter { !$0.containsBytes("{{") }.map { ValuePath(parsing: $0) }
        var atTemplates: [MessageTemplate] = []
        for text in atTexts where text.containsBytes("{{") {
            if let t = template(text, what: "at", range: keys["at"]?.value.range ?? node.range) { atTemplates.append(t) }
        }
        guard errors.count == errorCount, let require, let message else { return nil }
        return Rule(
            id: id, title: string(keys["title"], what: "title") ?? id, severity: severity, when: when, require: require,
            at: atPaths.first, alsoAt: Array(atPaths.dropFirst()), atTemplates: atTemplates, message: message,
            rationale: string(keys["rationale"], what: "rationale"), docs: string(keys["docs"], what: "docs"), fixes: fix,
            suppressible: suppressible, aliases: strings(keys["aliases"], what: "aliases") ?? [], allowedValues: allowed,
            examples: examples, goldenPath: goldenPath, location: PackLocation(file: file, range: node.range))
    }

    mutating func readMessage(_ entry: YAMLMappingEntry?, what: String = "message") -> MessageTemplate? {
        guard let entry, let raw = string(entry, what: what) else { return nil }
        return template(raw, what: what, range: entry.value.range)
    }

    /// A text with `{{ expr }}` parts, each compiled as CEL.
    mutating func template(_ raw: String, what: String, range: SourceRange) -> MessageTemplate? {
        var parts: [MessageTemplate.Part] = []
        var rest = Substring(raw)
        while let open = rest.firstByteRange(of: "{{") {
            parts.append(.text(String(rest[..<open.lowerBound])))
            guard let close = rest[open.upperBound...].firstByteRange(of: "}}") else {
                fail(.badExpression, "unclosed '{{' in \(what)", range)
                return nil
            }
            let expr = String(rest[open.upperBound..<close.lowerBound])
            do {
                parts.append(.expression(try CELProgram.compile(expr, environment: RulePackLoader.environment)))
            } catch {
                fail(.badExpression, "invalid CEL in \(what): \(error.message)", range)
                return nil
            }
            rest = rest[close.upperBound...]
        }
        parts.append(.text(String(rest)))
        return MessageTemplate(parts: parts, raw: raw)
    }

    mutating func readExamples(_ entry: YAMLMappingEntry?) -> RuleExamples {
        guard let entry, let keys = mapping(entry.value, what: "examples", allowed: ["fail", "pass"], required: ["fail", "pass"]) else {
            return RuleExamples(fail: [], pass: [])
        }
        var malformed: [SourceRange] = []
        func texts(_ e: YAMLMappingEntry?) -> [RuleExample] {
            guard let e else { return [] }
            if let s = e.value.scalar { return [RuleExample(text: s.value)] }
            return (e.value.items ?? []).compactMap { item -> RuleExample? in
                if let s = item.scalar { return RuleExample(text: s.value) }
                // {code: ..., params: {...}}: an example that runs with parameters set.
                guard let code = item["code"]?.scalar?.value else {
                    malformed.append(item.range)
                    return nil
                }
                var params: [String: Value] = [:]
                if let p = item["params"], case .map(let m) = YAMLValues.value(of: p) {
                    for (k, v) in m.entries { if let ks = k.stringValue { params[ks] = v } }
                }
                var fixes: [Int]?
                if let f = item["fixes"] {
                    let numbers = (f.items ?? []).compactMap { $0.scalar.flatMap { Int($0.value) } }
                    if f.items == nil || numbers.count != f.items?.count || numbers.contains(where: { $0 < 1 }) {
                        malformed.append(f.range)
                    }
                    fixes = numbers.map { $0 - 1 }
                }
                return RuleExample(text: code, params: params, fixes: fixes)
            }
        }
        let examples = RuleExamples(fail: texts(keys["fail"]), pass: texts(keys["pass"]))
        for range in malformed {
            fail(
                .wrongType, "an example is a string, or a mapping with code, params and fixes (a list of fix alternatives, 1 first)", range)
        }
        return examples
    }

    /// `fix:` is one fix (a mapping) or alternatives (a list of mappings, each with a `title`), preferred first.
    mutating func readFix(_ entry: YAMLMappingEntry?) -> [FixTemplate] {
        guard let entry else { return [] }
        if let items = entry.value.items {
            return items.compactMap { item in
                let fix = readFixAlternative(item, allowTitle: true)
                if fix?.title == nil { fail(.missingKey, "each alternative in a fix list needs a title", item.range) }
                return fix
            }
        }
        return readFixAlternative(entry.value, allowTitle: true).map { [$0] } ?? []
    }

    mutating func readFixAlternative(_ node: YAMLNode, allowTitle: Bool) -> FixTemplate? {
        let allowed = ["set", "set_expr", "remove", "transform", "add_resource"] + (allowTitle ? ["title"] : [])
        guard let keys = mapping(node, what: "fix", allowed: allowed, required: []) else {
            return nil
        }
        var ops: [FixTemplate.Operation] = []
        if let set = keys["set"] {
            for e in set.value.entries ?? [] {
                guard let path = e.key.scalar?.value else { continue }
                ops.append(.set(ValuePath(parsing: path), YAMLValues.value(of: e.value)))
            }
            if set.value.entries == nil { fail(.wrongType, "fix.set must be a mapping of path: value", set.value.range) }
        }
        if let set = keys["set_expr"] {
            for e in set.value.entries ?? [] {
                guard let path = e.key.scalar?.value, let text = e.value.scalar?.value else { continue }
                do {
                    ops.append(
                        .setExpression(ValuePath(parsing: path), try CELProgram.compile(text, environment: RulePackLoader.environment)))
                } catch {
                    fail(.badExpression, "invalid CEL in fix.set_expr: \(error.message)", e.value.range)
                }
            }
        }
        if let remove = keys["remove"] {
            for p in strings(remove, what: "fix.remove") ?? [] { ops.append(.remove(ValuePath(parsing: p))) }
        }
        if let t = readMessage(keys["transform"], what: "fix.transform") { ops.append(.transform(t)) }
        if let add = keys["add_resource"],
            let fields = mapping(add.value, what: "fix.add_resource", allowed: ["type", "body"], required: ["type", "body"]),
            let type = string(fields["type"], what: "fix.add_resource.type"),
            let body = expression(fields["body"], what: "fix.add_resource.body")
        {
            ops.append(.insertSibling(type: type, body: body.program))
        }
        return FixTemplate(operations: ops, title: string(keys["title"], what: "fix.title"))
    }
}
