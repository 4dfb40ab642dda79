import HelmValues
import PolicyModel
import Rules
import TextCore
import YAMLSyntax
import YAMLValues

/// A problem in `.goldpath.yaml`, with its location.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The config file.
    public var file: String
    /// Where the problem is.
    public var range: SourceRange
    /// A sentence describing it.
    public var message: String

    public var description: String { message }
}

/// The settings of `.goldpath.yaml`.
///
/// ```yaml
/// packs: [kubernetes, ./policies/team.yaml]   # built-in names or paths; default: every built-in pack
/// params: { k8s-workload: { max_replicas: 30 } }
/// severity: { K8S012: warning, K8S020: off }
/// foak_severity: warning                      # or off
/// suppressions: inline                        # or require-approval
/// exclude: ["vendor/**"]
/// files: { helm-values: ["deploy/**/values*.yaml"] }
/// store: .goldpath/goldpath.db
/// ```
public struct GoldpathConfig: Sendable {
    /// Packs to enable: built-in names or paths relative to the config file; nil means every built-in pack.
    public var packs: [String]?
    /// Parameter overrides per golden path.
    public var params: [String: [String: Value]] = [:]
    /// Severity overrides; nil switches a rule off.
    public var severities: [String: Severity?] = [:]
    /// The FOAK severity; nil switches FOAK findings off.
    public var foakSeverity: Severity? = .warning
    /// How suppressions are governed.
    public var suppressionPolicy: SuppressionPolicy = .inline
    /// Glob patterns of paths to skip.
    public var exclude: [String] = []
    /// Extra glob patterns per language.
    public var files: [String: [String]] = [:]
    /// Where the decisions store lives.
    public var store: String = ".goldpath/goldpath.db"
    /// Whether the config names the store (`store:`), so commands that only read may create it.
    public var storeIsSet = false
    /// `decisions: required`: the decisions store must open (a missing, unreadable or corrupt one is an error,
    /// exit 2), because waivers and denials are part of the policy; `optional` (the default) warns and checks without.
    public var decisionsRequired = false
    /// The reviewer's name for `goldpath review` when neither `--by` nor GOLDPATH_REVIEWER gives one.
    public var reviewer: String?
    /// `migrations: {tool: flyway}`: the migration tool, instead of recognising it from the files.
    public var migrationTool: String?
    /// `migrations: {transaction: always|never}`: overrides the tool's transaction default.
    public var migrationTransaction: Bool?
    /// `helm: {layouts: [...], resource_presets: {...}}`: the team's chart layouts, tried before the built-in ones.
    public var helmLayouts: Value?
    /// The directory the config was read from.
    public var baseDirectory: String = "."
    /// Where each rule id under `severity:` and golden path id under `params:` was written (the config file,
    /// the key's range), so ids no loaded pack defines are reported there.
    public var idLocations: [String: (file: String, range: SourceRange, section: String)] = [:]

    /// The default config.
    public init() {}

    /// A config that enables no built-in pack (for testing one pack on its own).
    public static var onlyExtraPacks: GoldpathConfig {
        var c = GoldpathConfig()
        c.packs = []
        return c
    }

    static let keys = [
        "packs", "params", "severity", "foak_severity", "suppressions", "exclude", "files", "store", "decisions", "reviewer", "migrations",
        "helm",
    ]
    static let migrationTools = ["golang-migrate", "flyway", "dbmate", "goose", "diesel", "atlas", "sqitch", "plain"]

    /// Parses a config file; every problem is returned, and the valid settings are kept.
    public static func parse(_ source: SourceText) -> (config: GoldpathConfig, errors: [ConfigError]) {
        var config = GoldpathConfig()
        var errors: [ConfigError] = []
        func fail(_ message: String, _ range: SourceRange) { errors.append(ConfigError(file: source.path, range: range, message: message)) }
        let yaml = YAMLParser().parse(source)
        for d in yaml.diagnostics { fail(d.message, d.range) }
        guard let root = yaml.root, !(root.scalar?.value.isEmpty ?? false) else { return (config, errors) }
        var schema = YAMLSchemaReader()
        guard schema.mapping(root, what: "the config", allowed: keys) != nil else {
            return (config, errors + schema.problems.map { ConfigError(file: source.path, range: $0.range, message: $0.message) })
        }
        func severity(_ node: YAMLNode) -> Severity?? {
            guard let s = node.scalar?.value else {
                fail("a severity must be error, warning, info, hint or off", node.range)
                return nil
            }
            if s == "off" { return .some(nil) }
            guard let v = Severity(rawValue: s) else {
                fail("unknown severity '\(s)' (error, warning, info, hint or off)", node.range)
                return nil
            }
            return .some(v)
        }
        func strings(_ node: YAMLNode, _ what: String) -> [String] { schema.strings(node, what: what) ?? [] }
        for e in root.entries ?? [] {
            guard let key = e.key.scalar?.value, keys.contains(key) else { continue }
            switch key {
            case "packs": config.packs = strings(e.value, "packs")
            case "params":
                for pe in e.value.entries ?? [] {
                    guard let id = pe.key.scalar?.value else { continue }
                    config.idLocations["params." + id] = (source.path, pe.key.range, "params")
                    guard case .map(let m) = YAMLValues.value(of: pe.value) else {
                        fail("params.\(id) must be a mapping", pe.value.range)
                        continue
                    }
                    var values: [String: Value] = [:]
                    for (k, v) in m.entries { if let ks = k.stringValue { values[ks] = v } }
                    config.params[id] = values
                }
                if e.value.entries == nil { fail("params must be a mapping of golden path id to parameters", e.value.range) }
            case "severity":
                for se in e.value.entries ?? [] {
                    guard let id = se.key.scalar?.value, let s = severity(se.value) else { continue }
                    config.idLocations["severity." + id] = (source.path, se.key.range, "severity")
                    config.severities[id] = s
                }
                if e.value.entries == nil { fail("severity must be a mapping of rule id to severity", e.value.range) }
            case "foak_severity":
                if let s = severity(e.value) { config.foakSeverity = s }
            case "suppressions":
                if let v = e.value.scalar?.value, let p = SuppressionPolicy(rawValue: v) {
                    config.suppressionPolicy = p
                } else {
                    fail("suppressions must be 'inline' or 'require-approval'", e.value.range)
                }
            case "exclude": config.exclude = strings(e.value, "exclude")
            case "files":
                for fe in e.value.entries ?? [] {
                    guard let lang = fe.key.scalar?.value else { continue }
                    guard Languages.ids.contains(lang) else {
                        fail("unknown language '\(lang)' in files (\(Languages.ids.joined(separator: ", ")))", fe.key.range)
                        continue
                    }
                    config.files[lang] = strings(fe.value, "files.\(lang)")
                }
                if e.value.entries == nil { fail("files must be a mapping of language to glob patterns", e.value.range) }
            case "reviewer":
                if let v = e.value.scalar?.value { config.reviewer = v } else { fail("reviewer must be a name", e.value.range) }
            case "decisions":
                switch e.value.scalar?.value {
                case "required": config.decisionsRequired = true
                case "optional": config.decisionsRequired = false
                default: fail("decisions must be required or optional", e.value.range)
                }
            case "store":
                if let v = e.value.scalar?.value {
                    config.store = v
                    config.storeIsSet = true
                } else {
                    fail("store must be a path", e.value.range)
                }
            case "migrations":
                guard schema.mapping(e.value, what: "migrations", allowed: ["tool", "transaction"]) != nil else { continue }
                for me in e.value.entries ?? [] {
                    let v = me.value.scalar?.value ?? ""
                    switch me.key.scalar?.value {
                    case "tool":
                        if migrationTools.contains(v) {
                            config.migrationTool = v
                        } else {
                            fail("unknown migration tool '\(v)' (\(migrationTools.joined(separator: ", ")))", me.value.range)
                        }
                    case "transaction":
                        switch v {
                        case "always": config.migrationTransaction = true
                        case "never": config.migrationTransaction = false
                        case "tool": config.migrationTransaction = nil
                        default: fail("migrations.transaction must be always, never or tool", me.value.range)
                        }
                    default: break  // the schema reader reported it
                    }
                }
            case "helm":
                if readHelm(e.value, schema: &schema) { config.helmLayouts = YAMLValueReader().value(of: e.value) }
            default: break
            }
        }
        errors += schema.problems.map { ConfigError(file: source.path, range: $0.range, message: $0.message) }
        return (config, errors.sorted { $0.range.start < $1.range.start })
    }

    /// Checks the `helm:` section (chart layouts as the README describes them); false when it cannot be used.
    private static func readHelm(_ node: YAMLNode, schema: inout YAMLSchemaReader) -> Bool {
        guard let helm = schema.mapping(node, what: "helm", allowed: ["layouts", "resource_presets"]) else { return false }
        let before = schema.problems.count
        if let layouts = helm["layouts"]?.value {
            guard let items = layouts.items else {
                schema.fail(.wrongType, "helm.layouts must be a list of chart layouts", layouts.range)
                return false
            }
            for item in items {
                guard
                    let layout = schema.mapping(
                        item, what: "a chart layout", allowed: ["name", "detect", "repositories", "workloads", "switch", "roles"],
                        required: ["name", "roles"])
                else { continue }
                _ = layout["name"].flatMap { schema.string($0.value, what: "name") }
                for key in ["detect", "repositories", "workloads"] { _ = layout[key].flatMap { schema.strings($0.value, what: key) } }
                _ = layout["switch"].flatMap { schema.string($0.value, what: "switch") }
                guard let roles = layout["roles"]?.value,
                    schema.mapping(roles, what: "roles", allowed: HelmValuesLanguage.layoutRoles) != nil
                else { continue }
                for role in roles.entries ?? [] where role.value.scalar == nil {
                    _ = schema.strings(role.value, what: "the paths of role \(role.key.scalar?.value ?? "")")
                }
            }
        }
        if let presets = helm["resource_presets"]?.value, presets.entries == nil {
            schema.fail(.wrongType, "helm.resource_presets must map a preset name to the resources it renders", presets.range)
        }
        return schema.problems.count == before
    }

    /// The engine settings this config implies.
    public func engineConfig(today: String = EngineConfig.currentDate()) -> EngineConfig {
        EngineConfig(params: params, severities: severities, foakSeverity: foakSeverity, suppressionPolicy: suppressionPolicy, today: today)
    }
}
