import Decisions
import Foundation
import PolicyModel
import Rules
import TextCore
import YAMLValues

/// The findings of one unit.
public struct UnitReport: Sendable {
    /// The unit.
    public var unit: AnalysisUnit
    /// The subjects judged (empty when the report was made without keeping them).
    public var subjects: [Subject]
    /// The findings, with verified fixes attached.
    public var findings: [Finding]
    /// How many subjects were judged, kept when the subjects are not.
    public let subjectCount: Int

    /// Creates a report.
    public init(unit: AnalysisUnit, subjects: [Subject], findings: [Finding]) {
        self.unit = unit
        self.subjects = subjects
        self.findings = findings
        subjectCount = subjects.count
    }
}

/// Everything a front end needs from one `analyze` call.
public struct AnalysisReport: Sendable {
    /// Per-unit results.
    public var units: [UnitReport]
    /// Paths that could not be read.
    public var discoveryErrors: [DiscoveryError]

    /// All findings, sorted by file and position.
    public var findings: [Finding] {
        units.flatMap(\.findings).sorted { ($0.file, $0.range.start, $0.ruleId) < ($1.file, $1.range.start, $1.ruleId) }
    }

    /// The source texts by path.
    public var sources: [String: SourceText] {
        var out: [String: SourceText] = [:]
        for u in units { for f in u.unit.files { out[f.path] = f } }
        // Files read for context (a called module, a chart's templates) locate related notes.
        for u in units { for f in u.unit.contextFiles where out[f.path] == nil { out[f.path] = f } }
        return out
    }
}

/// The single entry point every front end uses: config, packs, languages and `analyze`.
public struct Workspace: Sendable {
    /// The config in force.
    public let config: GoldpathConfig
    /// Real paths every file discovery reads must lie in (the MCP server's roots): a file that leads out through a
    /// symbolic link is not read but reported. Nil: no confinement (the CLI reads what its user names).
    public var confinement: [String]? = nil
    /// Problems in the config file.
    public let configErrors: [ConfigError]
    /// The loaded packs.
    public let packs: [RulePack]
    /// Problems in rule packs (the other packs still load).
    public let packErrors: [RulePackError]
    /// The engine.
    public let engine: Engine
    /// The languages by id.
    public let languages: [String: any Language]
    /// The languages in `Languages.all` order, configured by the config.
    public let languageList: [any Language]
    /// The texts of the loaded packs (for error positions and tests).
    public let packSources: [SourceText]
    /// The decisions store, when it opened.
    public let decisions: DecisionStore?
    /// Why the decisions store is unavailable, when it is (analysis runs without learned paths and waivers).
    public let decisionsError: String?
    /// The reviewers' keys that decisions must be signed with to apply (`--trust`, `GOLDPATH_TRUST` or the user's
    /// `trusted-reviewers`; never a file of the repository).
    public let trust: TrustedKeys
    /// Decisions in the store that are not applied, or applied without a trusted signature, one line each.
    public let decisionProblems: [String]
    /// A trust file or signing key that was named but cannot be used (errors: exit 2).
    public var signingErrors: [SigningError] = []
    /// The trust file looked for (a long-running front end reloads when it changes).
    public var trustFile: String? = nil

    /// Loads a workspace: the config (if any), the enabled packs and any extra pack paths.
    ///
    /// The decisions store (`store:` in the config, default `.goldpath/goldpath.db`) is opened too, unless
    /// `openDecisions` is false; its learned golden paths load next to the packs and its waivers apply, each only when a
    /// key of the trust file (`trustPath`, see `TrustedKeys.locate`) signed it. With
    /// `createStore` false (commands that only check) a store that does not exist is created only when the config names it.
    public static func load(
        configPath: String? = nil, extraPacks: [String] = [], trustPath: String? = nil, root: String = ".",
        today: String = EngineConfig.currentDate(), openDecisions: Bool = true, createStore: Bool = true, confinement: [String]? = nil
    ) -> Workspace {
        load(
            configPath: configPath, extraPacks: extraPacks, trustPath: trustPath, root: root, today: today, openDecisions: openDecisions,
            createStore: createStore, confinement: confinement, discovering: nil
        ).workspace
    }

    /// Loads a workspace for a run over `paths` and finds their units (`goldpath check` and `fix`): as `load`, but of
    /// the built-in packs only those with a golden path for a language of the units are read (a migration checked
    /// alone does not wait for the Terraform packs). When the config names rule or golden path ids (`severity:`,
    /// `params:`), every pack is read, so that a name no pack defines is still reported.
    public static func load(
        checking paths: [String], configPath: String? = nil, extraPacks: [String] = [], trustPath: String? = nil,
        createStore: Bool = true
    ) -> (workspace: Workspace, units: [AnalysisUnit], errors: [DiscoveryError]) {
        let (workspace, discovered) = load(
            configPath: configPath, extraPacks: extraPacks, trustPath: trustPath, createStore: createStore, discovering: paths)
        return (workspace, discovered?.units ?? [], discovered?.errors ?? [])
    }

    private static func load(
        configPath: String? = nil, extraPacks: [String] = [], trustPath: String? = nil, root: String = ".",
        today: String = EngineConfig.currentDate(), openDecisions: Bool = true, createStore: Bool = true, confinement: [String]? = nil,
        discovering paths: [String]?
    ) -> (workspace: Workspace, discovered: (units: [AnalysisUnit], errors: [DiscoveryError])?) {
        var config = GoldpathConfig()
        var configErrors: [ConfigError] = []
        let path = configPath ?? (root == "." ? Workspace.findConfig() : root + "/.goldpath.yaml")
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            (config, configErrors) = GoldpathConfig.parse(SourceText(path: path, text: text))
            config.baseDirectory = (path as NSString).deletingLastPathComponent
        } else if configPath != nil {
            configErrors.append(ConfigError(file: path, range: .empty(at: 0), message: "cannot read the config file"))
        }
        var sources: [SourceText] = []
        var packErrors: [RulePackError] = []
        var names: [String] = []
        for pack in BuiltinPacks.all where !names.contains(pack.name) { names.append(pack.name) }
        for name in config.packs ?? names {
            let builtin = BuiltinPacks.all.filter { $0.name == name }
            if !builtin.isEmpty {
                sources += builtin.map {
                    SourceText(path: "builtin:\($0.path.split(separator: "/").dropFirst().joined(separator: "/"))", text: $0.text)
                }
            } else {
                let p = name.hasPrefix("/") || config.baseDirectory.isEmpty ? name : config.baseDirectory + "/" + name
                // Under confinement (the MCP server), the repository's config may name packs only inside the roots:
                // a pack it names elsewhere would be served as a resource.
                if let confinement, !Workspace.isConfined(p, to: confinement) {
                    packErrors.append(
                        RulePackError(
                            .invalidValue, "the pack \(name) lies outside the workspace roots; not loaded (name it with --pack instead)",
                            file: path, at: .empty(at: 0)))
                    continue
                }
                sources += readPacks(at: p, errors: &packErrors)
            }
        }
        for p in extraPacks { sources += readPacks(at: p, errors: &packErrors) }
        var discovered: (units: [AnalysisUnit], errors: [DiscoveryError])?
        var unloaded: [SourceText] = []
        if let paths {
            let languages = Languages.all(config, relationTargets: RelationTargets.named(in: sources.map(\.text)))
            let found = FileDiscovery(exclude: config.exclude, patterns: config.files, languages: languages, confinement: confinement)
                .units(for: paths)
            discovered = found
            if config.idLocations.isEmpty {
                let used = Set(found.units.map(\.language))
                let needed = sources.map { source in
                    guard source.path.hasPrefix("builtin:") else { return true }
                    let named = PackLanguages.named(in: source.text)
                    return named.isEmpty || !named.isDisjoint(with: used)
                }
                unloaded = zip(sources, needed).filter { !$1 }.map(\.0)
                sources = zip(sources, needed).filter { $1 }.map(\.0)
            }
        }
        var decisions: DecisionStore?
        var decisionsError: String?
        var signingErrors: [SigningError] = []
        var trust = TrustedKeys.none
        do { trust = try TrustedKeys.locate(explicit: trustPath) } catch { signingErrors.append(error) }
        if openDecisions {
            let base = configPath != nil || FileManager.default.fileExists(atPath: path) ? config.baseDirectory : root
            let storePath =
                config.store.hasPrefix("/") ? config.store : ((base.isEmpty ? "." : base) as NSString).appendingPathComponent(config.store)
            if let confinement, !Workspace.isConfined((storePath as NSString).deletingLastPathComponent, to: confinement) {
                decisionsError = "the decisions store \(storePath) lies outside the workspace roots; not opened"
            } else if createStore || config.storeIsSet || FileManager.default.fileExists(atPath: storePath) {
                do {
                    decisions = try DecisionStore(path: storePath)
                    // A CI or service key (GOLDPATH_KEY) signs the audit rows this process appends.
                    if let keyPath = ProcessInfo.processInfo.environment["GOLDPATH_KEY"], !keyPath.isEmpty {
                        do { decisions?.signer = try ReviewerKey.load(keyPath) } catch { signingErrors.append(error) }
                    }
                } catch {
                    decisionsError = error.message
                }
            } else if config.decisionsRequired {
                decisionsError = "the decisions store \(storePath) does not exist"
            }
        }
        var workspace = Workspace(
            config: config, configErrors: configErrors, packSources: sources, packErrors: packErrors, today: today,
            decisions: decisions, decisionsError: decisionsError, trust: trust, unloadedPackTexts: unloaded.map(\.text))
        workspace.signingErrors = signingErrors
        workspace.trustFile = TrustedKeys.defaultPath(explicit: trustPath)
        return (workspace, discovered)
    }

    /// Whether `path` (resolved through symbolic links as far as it exists) lies inside one of `roots` (real paths).
    static func isConfined(_ path: String, to roots: [String]) -> Bool {
        var existing = URL(fileURLWithPath: path).standardizedFileURL
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path) {
            let parent = existing.deletingLastPathComponent()
            guard parent.path != existing.path else { break }
            rest.insert(existing.lastPathComponent, at: 0)
            existing = parent
        }
        var real = existing.resolvingSymlinksInPath().path
        for part in rest { real = (real as NSString).appendingPathComponent(part) }
        return roots.contains { real == $0 || real.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
    }

    /// The `.goldpath.yaml` that governs the working directory: there, else in the nearest parent up to the
    /// repository's root (the first directory holding `.git`), as tflint and squawk look; outside a repository only the
    /// working directory's. `.goldpath.yaml` when none exists.
    static func findConfig() -> String {
        let fm = FileManager.default
        if fm.fileExists(atPath: ".goldpath.yaml") { return ".goldpath.yaml" }
        var chain: [URL] = []
        var directory = URL(fileURLWithPath: fm.currentDirectoryPath).standardizedFileURL
        while true {
            chain.append(directory)
            if fm.fileExists(atPath: directory.appendingPathComponent(".git").path) { break }
            let parent = directory.deletingLastPathComponent()
            guard parent.path != directory.path else { return ".goldpath.yaml" }
            directory = parent
        }
        for candidate in chain.dropFirst().map({ $0.appendingPathComponent(".goldpath.yaml").path }) where fm.fileExists(atPath: candidate)
        {
            return candidate
        }
        return ".goldpath.yaml"
    }

    /// Builds a workspace from pack texts directly (tests, the language server's overlays).
    public init(
        config: GoldpathConfig, configErrors: [ConfigError] = [], packSources: [SourceText], packErrors: [RulePackError] = [],
        today: String = EngineConfig.currentDate(), decisions: DecisionStore? = nil, decisionsError: String? = nil,
        trust: TrustedKeys = .none, unloadedPackTexts: [String] = []
    ) {
        var packs: [RulePack] = []
        var errors = packErrors
        var decisionsError = decisionsError
        var engineConfig = config.engineConfig(today: today)
        var packSources = packSources
        var decisionProblems: [String] = []
        if let decisions {
            do {
                packSources.append(SourceText(path: Self.storeLearnedPackPath, text: try decisions.learnedPack(trust: trust)))
                engineConfig.waivedFingerprints = try decisions.waivers(today: today, trust: trust)
                decisionProblems = try decisions.decisionsInForce(trust: trust).problems
            } catch {
                decisionsError = error.message
            }
        }
        var seenRules = Set<String>()
        var learnedInFiles = Set<String>()
        // Each pack file is read and its CEL compiled on its own, on every core; they are combined in order.
        let loaded = packSources.concurrentMap { RulePackLoader(languages: Languages.ids).load($0) }
        for (source, (pack, e)) in zip(packSources, loaded) {
            errors += e
            guard var pack else { continue }
            if pack.learned {
                if source.path == Self.storeLearnedPackPath {
                    // A pack exported from this store and listed in `packs:` already carries these decisions.
                    pack.goldenPaths.removeAll { learnedInFiles.contains(Self.decisionSignature($0)) }
                } else {
                    learnedInFiles.formUnion(pack.goldenPaths.map(Self.decisionSignature))
                }
            }
            for i in pack.goldenPaths.indices {
                pack.goldenPaths[i].rules = pack.goldenPaths[i].rules.filter { rule in
                    if seenRules.insert(rule.id).inserted { return true }
                    errors.append(
                        RulePackError(
                            .duplicateId, "rule id '\(rule.id)' is already defined by another pack", file: source.path,
                            at: rule.location.range))
                    return false
                }
            }
            packs.append(pack)
        }
        self.config = config
        self.configErrors = configErrors + Self.unknownIds(in: config, packs: packs)
        self.packs = packs
        self.packErrors = errors
        self.engine = Engine(packs: packs, config: engineConfig)
        // Packs left out of this run still name the subjects the languages keep, so that nothing else changes.
        self.languageList = Languages.all(
            config, relationTargets: RelationTargets.named(in: packSources.map(\.text) + unloadedPackTexts))
        self.languages = Dictionary(languageList.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.packSources = packSources
        self.decisions = decisions
        self.decisionsError = decisionsError
        self.trust = trust
        self.decisionProblems = decisionProblems
    }

    /// The name under which the decisions store's learned pack is loaded.
    static let storeLearnedPackPath = "decisions:learned.yaml"

    /// What makes two learned golden paths the same decision: id, title (reviewer, date, reason), the
    /// `decision:` record and the rules' conditions.
    static func decisionSignature(_ path: GoldenPath) -> String {
        let decision = path.decision.map { "\($0.kind) \($0.request) \($0.reviewer) \($0.time)" } ?? ""
        let rules = path.rules.map { "\($0.id)=\($0.require.program.source)" }.joined(separator: ";")
        return [path.id, path.title, path.language, path.select.joined(separator: ","), path.when?.program.source ?? "", decision, rules]
            .joined(separator: "\u{1F}")
    }

    /// Rule ids under `severity:` and golden path ids under `params:` that no loaded pack defines: a typo
    /// there would otherwise change nothing, silently.
    static func unknownIds(in config: GoldpathConfig, packs: [RulePack]) -> [ConfigError] {
        let rules = packs.flatMap { $0.goldenPaths.flatMap { $0.rules.map(\.id) } }
        let paths = packs.flatMap { $0.goldenPaths.map(\.id) }
        return config.idLocations.sorted { ($0.value.file, $0.value.range.start) < ($1.value.file, $1.value.range.start) }.compactMap {
            key, at in
            let id = String(key.dropFirst(at.section.count + 1))
            let known = at.section == "severity" ? rules : paths
            guard !known.contains(id) else { return nil }
            let what = at.section == "severity" ? "rule" : "golden path"
            let hint = Suggest.closest(id, in: known).map { " (did you mean \($0)?)" } ?? ""
            return ConfigError(file: at.file, range: at.range, message: "\(at.section): no loaded pack defines the \(what) '\(id)'\(hint)")
        }
    }

    private static func readPacks(at path: String, errors: inout [RulePackError]) -> [SourceText] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            errors.append(RulePackError(.unreadable, "no rule pack at \(path)", file: path, at: .empty(at: 0)))
            return []
        }
        var files = [path]
        if isDir.boolValue {
            let names = (FileManager.default.subpaths(atPath: path) ?? []).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            files = names.map { path + "/" + $0 }
        }
        return files.compactMap { f in
            guard let text = try? String(contentsOfFile: f, encoding: .utf8) else {
                errors.append(RulePackError(.unreadable, "cannot read rule pack \(f)", file: f, at: .empty(at: 0)))
                return nil
            }
            return SourceText(path: f, text: text)
        }
    }

    /// File discovery with the config's exclusions and extra patterns.
    public var discovery: FileDiscovery {
        FileDiscovery(exclude: config.exclude, patterns: config.files, languages: languageList, confinement: confinement)
    }

    /// Finds and analyses every unit under `paths`.
    /// `progress`, when given, is called with the number of units once they are found and then after each unit is
    /// analysed (from any thread). Without `keepingSubjects` the reports keep only how many subjects were judged (a
    /// command that reports findings need not hold every subject's values until it prints).
    public func analyze(
        paths: [String], verifyFixes: Bool = true, keepingSubjects: Bool = true, progress: (@Sendable (AnalysisProgress) -> Void)? = nil
    ) -> AnalysisReport {
        let (units, errors) = discovery.units(for: paths)
        return analyze(
            units: units, discoveryErrors: errors, verifyFixes: verifyFixes, keepingSubjects: keepingSubjects, progress: progress)
    }

    /// `analyze(paths:)` for units already found (see `load(checking:)`), reported with `discoveryErrors`.
    public func analyze(
        units: [AnalysisUnit], discoveryErrors errors: [DiscoveryError], verifyFixes: Bool = true, keepingSubjects: Bool = true,
        progress: (@Sendable (AnalysisProgress) -> Void)? = nil
    ) -> AnalysisReport {
        progress?(.found(units: units.count))
        return AnalysisReport(
            units: units.concurrentMap {
                var report = analyze($0, verifyFixes: verifyFixes)
                // Nothing judges this unit again: its judgements would only take memory.
                engine.forgetJudgements(inFiles: $0.files.map(\.path) + $0.contextFiles.map(\.path))
                if !keepingSubjects {
                    // Released on another thread: after the last unit, one core writes the report while the other
                    // takes the subjects apart.
                    let subjects = report.subjects
                    report.subjects = []
                    DispatchQueue.global(qos: .utility).async { withExtendedLifetime(subjects) {} }
                }
                progress?(.analysed(files: $0.files.count))
                return report
            }, discoveryErrors: errors)
    }

    /// A step of `analyze(paths:)`, for a progress display.
    public enum AnalysisProgress: Sendable {
        /// The paths hold this many units.
        case found(units: Int)
        /// A unit of this many files is analysed.
        case analysed(files: Int)
    }

    /// Analyses one unit: lower, judge, and attach verified fixes.
    public func analyze(_ unit: AnalysisUnit, verifyFixes: Bool = true) -> UnitReport {
        guard let language = languages[unit.language] else {
            return UnitReport(unit: unit, subjects: [], findings: [])
        }
        let lowered = language.lower(unit)
        var findings = engine.evaluate(lowered, unit: unit, language: language)
        if verifyFixes {
            findings = FixVerifier(engine: engine, language: language).attachFixes(to: findings, unit: unit, lowered: lowered)
        }
        // Subjects of a called module are judged here only through the call; they are the module's own subjects.
        return UnitReport(unit: unit, subjects: lowered.subjects.filter { $0.context["called_from"] == nil }, findings: findings)
    }

    /// Applies verified fixes, re-analysing after each round, until none is left.
    ///
    /// Returns the fixed unit and the titles of the fixes applied. A round verifies the open fixes as
    /// `check` does, in groups verified together (a batch of one file's independent fixes, or a single fix),
    /// and applies whole groups: one group — or, where the language verifies a file's fixes on their own
    /// (migrations), one group per file, each touching files no other group of the round touches — so
    /// what is applied is exactly what was re-checked, and a long history is fixed in a few rounds. Where
    /// subjects of one file share settings (a chart's pod and its containers), a group holds one finding of
    /// each rule, so a fix that clears a second finding of its rule is not followed by a second fix. A
    /// file's errors and warnings are fixed before its advice: an info rule may no longer apply once they
    /// are (a SET preamble puts a golang-migrate file in a transaction, where IF NOT EXISTS is no longer
    /// asked for). A fix that did not verify is not tried again while its file is unchanged.
    /// A fix that creates a file is applied only when `creatingFiles` (an editor that cannot create files gets the others).
    public func fixAll(_ unit: AnalysisUnit, maxRounds: Int = 200, creatingFiles: Bool = true) -> FixedUnit {
        guard let language = languages[unit.language] else {
            return FixedUnit(original: unit, unit: unit, applied: [], created: [], analysed: unit)
        }
        var current = unit
        var applied: [String] = []
        // Files the fixes created, by path, with their latest text (a later fix may edit one).
        var created: [String: String] = [:]
        var createdOrder: [String] = []
        var rejected = Set<String>()
        // Several groups per round only where a file's fix is checked on its own (the language scopes it).
        let perFile = unit.files.count > 1 && language.scope(unit, toFile: unit.files[unit.files.count - 1].path).files.count == 1
        let verifier = FixVerifier(engine: engine, language: language)
        var rounds = 0
        // The re-check that verified the last round's group, when it judged exactly the unit this round starts from.
        var carried: FixVerifier.ReChecked?
        for _ in 0..<maxRounds {
            rounds += 1
            let lowered: LoweredUnit
            let findings: [Finding]
            if let carried, carried.unit.sameFiles(as: current) {
                (lowered, findings) = (carried.lowered, carried.findings)
            } else {
                lowered = language.lower(current)
                findings = engine.evaluate(lowered, unit: current, language: language)
            }
            carried = nil
            let texts = Dictionary(current.files.map { ($0.path, $0.text) }, uniquingKeysWith: { a, _ in a })
            let key = { (f: Finding) in "\(f.identity)\u{0}\(texts[f.file]?.hashValue ?? 0)" }
            let open = findings.indices.filter { i in
                findings[i].kind == .rule && engine.rule(findings[i].ruleId)?.fix != nil && !rejected.contains(key(findings[i]))
            }
            let urgent = Set(open.filter { findings[$0].severity >= .warning }.map { findings[$0].file })
            let candidates = open.filter { findings[$0].severity >= .warning || !urgent.contains(findings[$0].file) }
            guard !candidates.isEmpty else { break }
            // Groups in the order of their first finding, errors and warnings first.
            let rankOf = { (i: Int) -> Int in (findings[i].severity < .warning ? findings.count : 0) + i }
            let rank = { (group: [(index: Int, fix: VerifiedFix)]) -> Int in group.map { rankOf($0.index) }.min() ?? 0 }
            let groups: [[(index: Int, fix: VerifiedFix)]]
            if perFile {
                groups = verifier.verifiedGroups(for: findings, among: candidates, unit: current, lowered: lowered)
                let verified = Set(groups.flatMap { $0.map(\.index) })
                for i in candidates where !verified.contains(i) { rejected.insert(key(findings[i])) }
            } else {
                // One group is applied a round: the first that verifies, the rest waiting for the next round.
                let (group, failed, reChecked) = verifier.firstVerifiedGroup(
                    for: findings, among: candidates, unit: current, lowered: lowered, oneFixPerRule: true, rank: rankOf)
                for i in failed { rejected.insert(key(findings[i])) }
                groups = group.map { [$0] } ?? []
                carried = reChecked
            }
            var touched = Set<String>()
            var chosen: [(finding: Finding, fix: VerifiedFix)] = []
            for group in groups.sorted(by: { rank($0) < rank($1) }) {
                guard creatingFiles || !group.contains(where: { member in member.fix.edits.contains { $0.creates } }) else {
                    for member in group { rejected.insert(key(findings[member.index])) }
                    continue
                }
                let files = Set(group.flatMap { member in member.fix.edits.map { $0.file } })
                guard touched.isDisjoint(with: files) else { continue }
                touched.formUnion(files)
                chosen += group.map { (findings[$0.index], $0.fix) }
                if !perFile { break }
            }
            // Nothing chosen: every candidate was rejected, and the next round tries what is left.
            guard !chosen.isEmpty else { continue }
            // A group's edits of one file were verified applied together, against the text before the round.
            var edits: [String: [TextEdit]] = [:]
            var editedOrder: [String] = []
            for (finding, fix) in chosen {
                for fe in fix.edits {
                    if let text = fe.createdText {
                        current = language.adding(createdFile: SourceText(path: fe.file, text: text), to: current)
                        created[fe.file] = text
                        createdOrder.append(fe.file)
                        continue
                    }
                    if edits[fe.file] == nil { editedOrder.append(fe.file) }
                    edits[fe.file, default: []] += fe.edits
                }
                applied.append("\(finding.ruleId): \(fix.title)")
            }
            for path in editedOrder {
                guard let file = current.files.first(where: { $0.path == path }),
                    let text = try? TextEdit.apply(TextEdit.joiningInsertions(edits[path] ?? []), to: file.text)
                else { continue }
                current = current.replacing(file: path, with: text)
                if created[path] != nil { created[path] = text }
            }
        }
        let files = createdOrder.map { SourceText(path: $0, text: created[$0] ?? "") }
        let analysed = current
        let judged = Set(files.map(\.path))
        current.files.removeAll { judged.contains($0.path) }
        current.contextFiles.removeAll { judged.contains($0.path) }
        current.existingPaths.removeAll { judged.contains($0) }
        var fixed = FixedUnit(original: unit, unit: current, applied: applied, created: files, analysed: analysed)
        fixed.rounds = rounds
        return fixed
    }
}

/// What `fixAll` did to a unit.
public struct FixedUnit: Sendable {
    /// The unit as it was.
    public var original: AnalysisUnit
    /// The unit with the fixes applied to its files (the files the fixes created are in `created`).
    public var unit: AnalysisUnit
    /// The titles of the fixes applied, `RULE: title`.
    public var applied: [String]
    /// The files the fixes created, with their final text, in the order they were created.
    public var created: [SourceText]
    /// The fixed unit as analysis reads it: with the created files it judges or reads.
    public var analysed: AnalysisUnit
    /// How many rounds of analysis and verification it took, the last finding nothing left to apply.
    public var rounds = 0

    /// The unit's files whose text the fixes changed: the text before and after.
    public var changed: [(old: SourceText, new: SourceText)] {
        zip(original.files, unit.files).filter { $0.text != $1.text }.map { ($0, $1) }
    }
}
