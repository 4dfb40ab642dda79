import Foundation
import Decisions
import HelmValues
import Migrations
import Terraform
import PolicyModel
import Rules
import TextCore

/// The findings of one unit.
public struct UnitReport: Sendable {
    /// The unit.
    public var unit: AnalysisUnit
    /// The subjects judged.
    public var subjects: [Subject]
    /// The findings, with verified fixes attached.
    public var findings: [Finding]
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
        return out
    }
}

/// The single entry point every front end uses: config, packs, languages and `analyze`.
public struct Workspace: Sendable {
    /// The config in force.
    public let config: GoldpathConfig
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
    /// The texts of the loaded packs (for error positions and tests).
    public let packSources: [SourceText]
    /// The decisions store, when it opened.
    public let decisions: DecisionStore?
    /// Why the decisions store is unavailable, when it is (analysis runs without learned paths and waivers).
    public let decisionsError: String?

    /// Loads a workspace: the config (if any), the enabled packs and any extra pack paths.
    ///
    /// The decisions store (`store:` in the config, default `.goldpath/goldpath.db`) is opened too, unless
    /// `openDecisions` is false; its learned golden paths load next to the packs and its waivers apply.
    public static func load(
        configPath: String? = nil, extraPacks: [String] = [], root: String = ".", today: String = EngineConfig.currentDate(), openDecisions: Bool = true
    ) -> Workspace {
        var config = GoldpathConfig()
        var configErrors: [ConfigError] = []
        let path = configPath ?? (root == "." ? ".goldpath.yaml" : root + "/.goldpath.yaml")
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
                sources += builtin.map { SourceText(path: "builtin:\($0.path.split(separator: "/").dropFirst().joined(separator: "/"))", text: $0.text) }
            } else {
                let p = name.hasPrefix("/") || config.baseDirectory.isEmpty ? name : config.baseDirectory + "/" + name
                sources += readPacks(at: p, errors: &packErrors)
            }
        }
        for p in extraPacks { sources += readPacks(at: p, errors: &packErrors) }
        var decisions: DecisionStore?
        var decisionsError: String?
        if openDecisions {
            let base = configPath != nil || FileManager.default.fileExists(atPath: path) ? config.baseDirectory : root
            let storePath = config.store.hasPrefix("/") ? config.store : ((base.isEmpty ? "." : base) as NSString).appendingPathComponent(config.store)
            do {
                decisions = try DecisionStore(path: storePath)
            } catch {
                decisionsError = error.message
            }
        }
        return Workspace(
            config: config, configErrors: configErrors, packSources: sources, packErrors: packErrors, today: today,
            decisions: decisions, decisionsError: decisionsError)
    }

    /// Builds a workspace from pack texts directly (tests, the language server's overlays).
    public init(
        config: GoldpathConfig, configErrors: [ConfigError] = [], packSources: [SourceText], packErrors: [RulePackError] = [],
        today: String = EngineConfig.currentDate(), decisions: DecisionStore? = nil, decisionsError: String? = nil
    ) {
        var packs: [RulePack] = []
        var errors = packErrors
        var decisionsError = decisionsError
        var engineConfig = config.engineConfig(today: today)
        var packSources = packSources
        if let decisions {
            do {
                packSources.append(SourceText(path: "decisions:learned.yaml", text: try decisions.learnedPack()))
                engineConfig.waivedFingerprints = try decisions.waivers(today: today)
            } catch {
                decisionsError = error.message
            }
        }
        var seenRules = Set<String>()
        for source in packSources {
            let (pack, e) = RulePackLoader().load(source)
            errors += e
            guard var pack else { continue }
            for i in pack.goldenPaths.indices {
                pack.goldenPaths[i].rules = pack.goldenPaths[i].rules.filter { rule in
                    if seenRules.insert(rule.id).inserted { return true }
                    errors.append(RulePackError(.duplicateId, "rule id '\(rule.id)' is already defined by another pack", file: source.path, at: rule.location.range))
                    return false
                }
            }
            packs.append(pack)
        }
        self.config = config
        self.configErrors = configErrors
        self.packs = packs
        self.packErrors = errors
        self.engine = Engine(packs: packs, config: engineConfig)
        self.languages = [
            HelmValuesLanguage.id: HelmValuesLanguage(), TerraformLanguage.id: TerraformLanguage(),
            MigrationsLanguage.id: MigrationsLanguage(
                tool: config.migrationTool.flatMap(MigrationTool.init(rawValue:)), assumeTransaction: config.migrationTransaction),
        ]
        self.packSources = packSources
        self.decisions = decisions
        self.decisionsError = decisionsError
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
        FileDiscovery(exclude: config.exclude, valuesPatterns: config.files[HelmValuesLanguage.id] ?? [])
    }

    /// Finds and analyses every unit under `paths`.
    public func analyze(paths: [String], verifyFixes: Bool = true) -> AnalysisReport {
        let (units, errors) = discovery.units(for: paths)
        return AnalysisReport(units: units.concurrentMap { analyze($0, verifyFixes: verifyFixes) }, discoveryErrors: errors)
    }

    /// Analyses one unit: lower, judge, and attach verified fixes.
    public func analyze(_ unit: AnalysisUnit, verifyFixes: Bool = true) -> UnitReport {
        guard let language = languages[unit.language] else {
            return UnitReport(unit: unit, subjects: [], findings: [])
        }
        let lowered = language.lower(unit)
        var findings = engine.evaluate(lowered, unit: unit)
        if verifyFixes {
            findings = FixVerifier(engine: engine, language: language).attachFixes(to: findings, unit: unit, lowered: lowered)
        }
        return UnitReport(unit: unit, subjects: lowered.subjects, findings: findings)
    }

    /// The first finding of a unit whose fix verifies (fixes are verified one by one, not all up front).
    public func firstVerifiedFix(in unit: AnalysisUnit) -> (Finding, VerifiedFix)? {
        guard let language = languages[unit.language] else { return nil }
        let lowered = language.lower(unit)
        let findings = engine.evaluate(lowered, unit: unit)
        let verifier = FixVerifier(engine: engine, language: language)
        for finding in findings where finding.kind == .rule {
            if case .success(let fix) = verifier.verify(finding, unit: unit, lowered: lowered, before: findings) { return (finding, fix) }
        }
        return nil
    }

    /// Applies verified fixes one at a time, re-analysing after each, until none is left.
    ///
    /// Returns the fixed unit and the titles of the fixes applied. Each round
    /// applies one fix per unit, so fixes that touch the same lines never conflict.
    public func fixAll(_ unit: AnalysisUnit, maxRounds: Int = 200) -> (unit: AnalysisUnit, applied: [String]) {
        var current = unit
        var applied: [String] = []
        for _ in 0..<maxRounds {
            guard let (finding, fix) = firstVerifiedFix(in: current) else { break }
            var next = current
            for fe in fix.edits {
                guard let file = next.files.first(where: { $0.path == fe.file }), let text = try? TextEdit.apply(fe.edits, to: file.text) else { continue }
                next = next.replacing(file: fe.file, with: text)
            }
            current = next
            applied.append("\(finding.ruleId): \(fix.title)")
        }
        return (current, applied)
    }
}
