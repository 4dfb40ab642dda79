import Foundation
import PolicyModel
import Rules
import Testing
import TextCore

@testable import Analysis

@Suite struct PackLanguagesTests {
    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("goldpath-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func write(_ text: String, _ path: URL) throws {
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: path, atomically: true, encoding: .utf8)
    }

    /// The scan names exactly the languages the loader reads from each built-in pack file.
    @Test func theScanOfEachBuiltinPackNamesItsGoldenPathsLanguages() {
        for file in BuiltinPacks.all {
            let (pack, errors) = RulePackLoader(languages: Languages.ids).load(SourceText(path: file.path, text: file.text))
            #expect(errors.isEmpty)
            let parsed = Set(pack?.goldenPaths.map(\.language) ?? [])
            #expect(PackLanguages.named(in: file.text) == parsed, "\(file.path)")
        }
    }

    @Test func theScanReadsBlockStyleKeysWithQuotesCommentsAndSequenceItems() {
        let text = """
            golden_paths:
              - language: terraform
                id: a
              - id: b
                language: "sql-migration"   # the migrations
                example: |
                  SELECT language_id FROM posts;
            """
        #expect(PackLanguages.named(in: text) == ["terraform", "sql-migration"])
        #expect(PackLanguages.named(in: "golden_paths: []\n") == [])
    }

    /// A migration checked alone loads only the packs with golden paths for migrations, and finds what a
    /// workspace with every pack finds.
    @Test func aRunOverMigrationsLoadsOnlyTheMigrationPacks() throws {
        let dir = try tempDir()
        try write("", dir.appendingPathComponent("goldpath.yaml"))
        let migration = dir.appendingPathComponent("migrations/2024-01-01-000000_index/up.sql")
        try write("CREATE INDEX posts_author ON posts (author_id);\n", migration)
        let (ws, units, errors) = Workspace.load(
            checking: [migration.path], configPath: dir.appendingPathComponent("goldpath.yaml").path, createStore: false)
        #expect(errors.isEmpty)
        #expect(Set(ws.engine.goldenPaths.map(\.language)) == ["sql-migration"])
        let everything = Workspace.load(configPath: dir.appendingPathComponent("goldpath.yaml").path, openDecisions: false)
        #expect(everything.engine.goldenPaths.count > ws.engine.goldenPaths.count)
        let found = ws.analyze(units: units, discoveryErrors: errors).findings.map { "\($0.ruleId) \($0.range)" }
        #expect(found == ["PG001 0..<28", "PG060 0..<28", "PG061 0..<28"])
        #expect(found == everything.analyze(paths: [migration.path]).findings.map { "\($0.ruleId) \($0.range)" })
    }

    /// A config that names rule ids gets every pack, so that an id no pack defines is still reported.
    @Test func aConfigNamingRuleIdsLoadsEveryPack() throws {
        let dir = try tempDir()
        let config = dir.appendingPathComponent("goldpath.yaml")
        try write("severity: {AWS001: warning, AWS0001: off}\n", config)
        let migration = dir.appendingPathComponent("migrations/2024-01-01-000000_index/up.sql")
        try write("CREATE INDEX posts_author ON posts (author_id);\n", migration)
        let (ws, _, _) = Workspace.load(checking: [migration.path], configPath: config.path, createStore: false)
        #expect(Set(ws.engine.goldenPaths.map(\.language)) == ["helm-values", "terraform", "sql-migration"])
        #expect(ws.configErrors.map(\.message) == ["severity: no loaded pack defines the rule 'AWS0001' (did you mean AWS001?)"])
    }
}
