import Analysis
import ArgumentParser
import Foundation

/// `goldpath rules list|explain|test`.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "List, explain and test rules.",
        subcommands: [List.self, Explain.self, Test.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the rules of the enabled packs.")
        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }
        @OptionGroup var workspace: WorkspaceOptions
        @Option(name: .long, help: "Output format: text or json.") var format: Format = .text

        // The property names are the JSON fields of the published output (snake_case by contract).
        // swift-format-ignore: AlwaysUseLowerCamelCase
        struct Item: Encodable {
            var id: String
            var title: String
            var severity: String
            var golden_path: String
            var language: String
            var select: [String]
            var fixable: Bool
            var suppressible: Bool
            var aliases: [String]
        }

        func run() throws {
            let ws = Workspace.load(
                configPath: workspace.config, extraPacks: workspace.pack, trustPath: workspace.trust, createStore: false)
            let problems = reportLoadProblems(ws)
            if format == .json {
                let items = ws.goldenPaths.flatMap { path in
                    path.rules.map { rule in
                        Item(
                            id: rule.id, title: rule.title, severity: ws.severity(of: rule)?.rawValue ?? "off", golden_path: path.id,
                            language: path.language, select: path.select, fixable: rule.fix != nil, suppressible: rule.suppressible,
                            aliases: rule.aliases)
                    }
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: (try? encoder.encode(items)) ?? Data("[]".utf8), as: UTF8.self))
                if problems { throw ExitCode(2) }
                return
            }
            for path in ws.goldenPaths {
                print("\(path.id) (\(path.language), selects \(path.select.joined(separator: ", "))): \(path.title)")
                for rule in path.rules {
                    let sev = ws.severity(of: rule)?.rawValue ?? "off"
                    let pad = String(repeating: " ", count: max(1, 8 - sev.count))
                    print("  \(rule.id)  \(sev)\(pad)\(rule.title)\(rule.fix != nil ? "  [fix]" : "")")
                }
            }
            if problems { throw ExitCode(2) }
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain", abstract: "Explain one rule: condition, rationale, parameters and examples.")
        @OptionGroup var workspace: WorkspaceOptions
        @Argument(help: "The rule id (K8S001) or another tool's id for it (CKV_K8S_14, latest-tag).") var id: String

        func run() throws {
            let ws = Workspace.load(
                configPath: workspace.config, extraPacks: workspace.pack, trustPath: workspace.trust, createStore: false)
            var found = ws.rule(id)
            if found == nil {
                let matches = ws.goldenPaths.flatMap(\.rules).filter {
                    $0.aliases.contains { $0.caseInsensitiveCompare(id) == .orderedSame }
                }
                if matches.count > 1 {
                    printError(
                        "error: '\(id)' is an alias of several rules: \(matches.map(\.id).joined(separator: ", ")); explain one of them")
                    throw ExitCode(2)
                }
                if let only = matches.first {
                    print("(\(id) is goldpath's \(only.id))")
                    found = only
                }
            }
            guard let rule = found, let path = ws.goldenPath(of: rule) else {
                printError("error: no rule '\(id)' in the enabled packs, by id or alias (see goldpath rules list)")
                throw ExitCode(2)
            }
            print("\(rule.id): \(rule.title)")
            print("golden path: \(path.id) - \(path.title) (\(path.language), \(path.select.joined(separator: ", ")))")
            print("severity:    \(ws.severity(of: rule)?.rawValue ?? "off")\(rule.suppressible ? "" : " (not suppressible)")")
            if let when = rule.when { print("applies when: \(when.program.source)") }
            print("requires:    \(rule.require.program.source)")
            let places = rule.atTemplates.map(\.raw) + ([rule.at].compactMap { $0 } + rule.alsoAt).map(\.description)
            if !places.isEmpty { print("reported at: \(places.joined(separator: ", else "))") }
            if !rule.aliases.isEmpty { print("also known as: \(rule.aliases.joined(separator: ", "))") }
            let params = ws.params(for: path)
            if !params.isEmpty {
                print("parameters:  " + params.keys.sorted().map { "\($0)=\(params[$0]!.canonical)" }.joined(separator: ", "))
            }
            if let r = rule.rationale { print("\nwhy: \(r)") }
            if rule.fix != nil { print("\nfix: goldpath fix rewrites the value (verified before it is offered)") }
            func indented(_ text: String) -> String {
                text.trimmingCharacters(in: .newlines).split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(
                    separator: "\n")
            }
            func withParams(_ e: RuleExample) -> String {
                e.params.isEmpty
                    ? "" : " (with " + e.params.keys.sorted().map { "\($0)=\(e.params[$0]!.canonical)" }.joined(separator: ", ") + ")"
            }
            for e in rule.examples.fail { print("\nfails\(withParams(e)):\n" + indented(e.text)) }
            for e in rule.examples.pass { print("\npasses\(withParams(e)):\n" + indented(e.text)) }
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract:
                "Run rule examples: fail examples raise the rule, pass examples do not, fixes turn fail into pass, and a pack file's .golden file holds each fail example's findings and fixed texts (GOLDPATH_UPDATE_GOLDEN=1 writes it)."
        )
        @OptionGroup var workspace: WorkspaceOptions
        @Argument(help: "A pack file or directory to test (default: the enabled packs).") var path: String?

        func run() throws {
            var ws = Workspace.load(
                configPath: workspace.config, extraPacks: workspace.pack, trustPath: workspace.trust, createStore: false)
            if let path {
                // Test the named pack on its own, without the built-in packs.
                let loaded = Workspace.load(extraPacks: [path])
                // The pack is loaded again on its own below; only the problems of reading it carry over (not its
                // rule ids clashing with the built-in packs loaded beside it here).
                ws = Workspace(
                    config: .onlyExtraPacks, packSources: loaded.packSources.filter { !$0.path.hasPrefix("builtin:") },
                    packErrors: loaded.packErrors.filter { $0.kind == .unreadable })
            }
            let problems = reportLoadProblems(ws)
            // A team's pack is checked against its golden file when it has one; the built-in packs' are checked by swift test.
            let golden = GoldenFiles(
                update: GoldenFiles.updateRequested, required: false, regenerate: "GOLDPATH_UPDATE_GOLDEN=1 goldpath rules test [PATH]")
            let (failures, checks) = RuleExampleRunner(workspace: ws, golden: golden).run()
            for f in failures { print("FAIL \(f)") }
            print("\(checks - failures.count) passed, \(failures.count) failed")
            if problems { throw ExitCode(2) }
            if !failures.isEmpty { throw ExitCode(1) }
        }
    }
}
