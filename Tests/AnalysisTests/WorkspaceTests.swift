import Analysis
import Foundation
import PolicyModel
import Testing
import TextCore

@Suite struct WorkspaceTests {
    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("goldpath-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func write(_ text: String, _ path: URL) throws {
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: path, atomically: true, encoding: .utf8)
    }

    @Test func configProblemsAreLocatedAndValidSettingsKept() {
        let (config, errors) = GoldpathConfig.parse(
            SourceText(
                path: ".goldpath.yaml",
                text: """
                    severity: {K8S001: off, K8S002: loud}
                    foak_severity: info
                    colour: blue
                    params: {k8s-chart: {max_replicas: 30}}
                    """))
        #expect(
            errors.map(\.message) == [
                "unknown severity 'loud' (error, warning, info, hint or off)",
                "unknown key 'colour' in the config (allowed: packs, params, severity, foak_severity, suppressions, exclude, files, store, decisions, reviewer, migrations, helm)",
            ])
        #expect(errors.map(\.range.start) == [32, 58])
        #expect(config.severities["K8S001"] == Severity?.none)
        #expect(config.foakSeverity == .info)
        #expect(config.params["k8s-chart"]?["max_replicas"] == .int(30))
    }

    @Test func discoveryGroupsChartsAndSkipsTemplates() throws {
        let dir = try tempDir()
        try write("name: a\n", dir.appendingPathComponent("charts/a/Chart.yaml"))
        try write("x: 1\n", dir.appendingPathComponent("charts/a/values.yaml"))
        try write("x: 2\n", dir.appendingPathComponent("charts/a/values-prod.yaml"))
        try write("x: {{ .Values.x }}\n", dir.appendingPathComponent("charts/a/templates/values.yaml"))
        try write("name: b\n", dir.appendingPathComponent("charts/b/Chart.yaml"))
        try write("y: 1\n", dir.appendingPathComponent("charts/b/values.yaml"))
        try write("y: 1\n", dir.appendingPathComponent("vendor/c/values.yaml"))
        let (units, errors) = FileDiscovery(exclude: ["**/b"]).units(for: [dir.path, dir.path + "/missing"])
        #expect(units.map { $0.files.map { ($0.path as NSString).lastPathComponent } } == [["values.yaml", "values-prod.yaml"]])
        // Templates are context (how the chart renders its values), never values themselves.
        #expect(units.first?.contextFiles.map { $0.path.fileName } == ["Chart.yaml", "values.yaml"])
        #expect(units.first?.contextFiles.last?.path.hasSuffix("charts/a/templates/values.yaml") == true)
        #expect(errors.map(\.message) == ["no such file or directory"])
    }

    @Test func configuredPatternsFindValuesFilesOutsideTheConvention() throws {
        let dir = try tempDir()
        try write("name: a\n", dir.appendingPathComponent("chart/Chart.yaml"))
        try write("x: 1\n", dir.appendingPathComponent("chart/values.yaml"))
        try write("x: 2\n", dir.appendingPathComponent("chart/prod.values.yaml"))
        try write("y: 1\n", dir.appendingPathComponent("deploy/prod/settings.yaml"))
        try write("z: 1\n", dir.appendingPathComponent("deploy/prod/other.yaml"))
        let discovery = FileDiscovery(patterns: ["helm-values": ["**/*.values.yaml", "deploy/**/settings.yaml"]])
        let (units, _) = discovery.units(for: [dir.path])
        #expect(
            units.map { $0.files.map { ($0.path as NSString).lastPathComponent } } == [
                ["values.yaml", "prod.values.yaml"], ["settings.yaml"],
            ])
    }

    @Test func configuredPatternsWorkForEveryLanguage() throws {
        let dir = try tempDir()
        try write("variable \"size\" {\n  type = number\n}\n", dir.appendingPathComponent("infra/main.tf"))
        try write("size = 1\n", dir.appendingPathComponent("infra/terraform.tfvars"))
        try write("size = 3\n", dir.appendingPathComponent("infra/env/prod.tfvars"))
        try write("CREATE TABLE t (id bigint);\n", dir.appendingPathComponent("db/changes/001_t.sql"))
        try write("CREATE INDEX t_id ON t (id);\n", dir.appendingPathComponent("db/changes/002_t_id.sql"))
        let discovery = FileDiscovery(patterns: ["terraform": ["infra/env/*.tfvars"], "sql-migration": ["db/changes/*.sql"]])
        let (units, errors) = discovery.units(for: [dir.path])
        #expect(errors.isEmpty)
        let names = units.map { "\($0.language) \($0.files.map { $0.path.dropFirst(dir.path.count + 1) }.joined(separator: " "))" }
        #expect(
            names == [
                "terraform infra/main.tf infra/terraform.tfvars infra/env/prod.tfvars",
                "sql-migration db/changes/001_t.sql db/changes/002_t_id.sql",
            ])
    }

    @Test func aNamedFileNoLanguageReadsIsSkipped() throws {
        let dir = try tempDir()
        try write("hello\n", dir.appendingPathComponent("notes.txt"))
        // YAML that is neither named like values nor beside a Chart.yaml is not values either.
        try write("services: {web: {image: nginx}}\n", dir.appendingPathComponent("docker-compose.yaml"))
        let paths = ["notes.txt", "docker-compose.yaml"].map { dir.appendingPathComponent($0).path }
        let (units, errors) = FileDiscovery().units(for: paths)
        #expect(units.isEmpty)
        #expect(errors.map(\.message) == Array(repeating: "not a file goldpath checks (helm-values, terraform, sql-migration)", count: 2))
        #expect(errors.allSatisfy { $0.skipped })
    }

    @Test func theConfigAndPacksNameOnlyKnownLanguages() {
        let (_, errors) = GoldpathConfig.parse(SourceText(path: ".goldpath.yaml", text: "files: {dockerfile: [\"**/Dockerfile\"]}\n"))
        #expect(errors.map(\.message) == ["unknown language 'dockerfile' in files (helm-values, terraform, sql-migration)"])
        let pack = "pack: p\ngolden_paths:\n  - id: g\n    title: g\n    language: terrafrom\n    select: resource.x\n    rules: []\n"
        let ws = Workspace(config: .onlyExtraPacks, packSources: [SourceText(path: "p.yaml", text: pack)])
        #expect(
            ws.packErrors.map(\.message) == [
                "unknown language 'terrafrom' (known: helm-values, terraform, sql-migration); did you mean 'terraform'?"
            ])
    }

    @Test func aSessionReloadsOnlyWhenAPackOrADecisionChanged() throws {
        let dir = try tempDir()
        func pack(_ id: String) -> String {
            """
            pack: team
            golden_paths:
              - id: team-streams
                title: Streams
                language: terraform
                select: resource.aws_kinesis_stream
                rules:
                  - {id: \(id), title: t, severity: warning, require: 'true', message: m, examples: {fail: 'x', pass: 'y'}}
            """
        }
        try write("packs: [./team.yaml]\nstore: db/goldpath.db\n", dir.appendingPathComponent(".goldpath.yaml"))
        try write(pack("T1"), dir.appendingPathComponent("team.yaml"))
        let alice = try ReviewerKey.generate(name: "alice")
        try write(alice.trustLine + "\n", dir.appendingPathComponent("trusted-reviewers"))
        let session = Session(trustPath: dir.appendingPathComponent("trusted-reviewers").path, root: dir.path)
        #expect(session.workspace.rule("T1") != nil)
        #expect(session.workspace.engine.config.waivedFingerprints.isEmpty)

        try write(pack("T222"), dir.appendingPathComponent("team.yaml"))
        #expect(session.workspace.rule("T1") == nil)
        #expect(session.workspace.rule("T222") != nil)

        let store = try #require(session.workspace.decisions)
        try store.waive(fingerprint: "f1", until: "2999-12-31", reason: "accepted for now", key: alice)
        #expect(session.workspace.engine.config.waivedFingerprints == ["f1": "2999-12-31"])
    }

    @Test func aSessionJudgesAUnitOnceUntilAFileOrTheWorkspaceChanges() throws {
        let dir = try tempDir()
        try write("resource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n}\n", dir.appendingPathComponent("infra/main.tf"))
        let session = Session(root: dir.path)
        let unit = try #require(session.units(under: dir.path).first)
        let first = session.analyze(unit, verifyFixes: false)
        let again = session.analyze(unit, verifyFixes: false)
        #expect(again.findings.map(\.fingerprint) == first.findings.map(\.fingerprint))
        #expect(session.reportCounts == (judged: 1, cached: 1))

        session.setOverlay(
            dir.path + "/infra/main.tf",
            text: "resource \"aws_db_instance\" \"db\" {\n  engine            = \"postgres\"\n  storage_encrypted = true\n}\n")
        let edited = try #require(session.units(under: dir.path).first)
        let third = session.analyze(edited, verifyFixes: false)
        #expect(first.findings.contains { $0.ruleId == "AWS001" })
        #expect(!third.findings.contains { $0.ruleId == "AWS001" })
        #expect(session.reportCounts == (judged: 2, cached: 1))

        session.reload()
        _ = session.analyze(edited, verifyFixes: false)
        #expect(session.loadCount == 2)
        #expect(session.reportCounts == (judged: 3, cached: 1))
    }

    @Test func aWorkspacePullForgetsTheJudgementsThatAnEditKeeps() throws {
        let dir = try tempDir()
        let path = dir.appendingPathComponent("infra/main.tf")
        try write("resource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n}\n", path)
        let session = Session(root: dir.path)
        let unit = try #require(session.units(under: dir.path).first)
        let file = try #require(unit.files.first).path
        _ = session.analyze(unit, verifyFixes: false, subjects: false)
        #expect(session.workspace.engine.rememberedJudgements(inFile: file) == 0)
        session.setOverlay(file, text: "resource \"aws_db_instance\" \"db\" {\n  engine = \"mysql\"\n}\n")
        _ = session.analyze(try #require(session.units(under: dir.path).first), verifyFixes: false)
        #expect(session.workspace.engine.rememberedJudgements(inFile: file) == 1)
    }

    @Test func requestsForAUnitBeingJudgedWaitForThatJudgementInsteadOfJudgingItAgain() throws {
        let dir = try tempDir()
        let resources = (0..<200).map { "resource \"aws_db_instance\" \"db\($0)\" {\n  engine = \"postgres\"\n}\n" }
        try write(resources.joined(), dir.appendingPathComponent("infra/main.tf"))
        let session = Session(root: dir.path)
        let unit = try #require(session.units(under: dir.path).first)
        let reports = Array(repeating: unit, count: 8).concurrentMap { session.analyze($0, verifyFixes: false) }
        #expect(session.reportCounts == (judged: 1, cached: 7))
        #expect(Set(reports.map { $0.findings.map(\.fingerprint) }).count == 1)
        #expect(reports[0].findings.filter { $0.ruleId == "AWS001" }.count == 200)
    }

    @Test func aWorkspacePullKeepsAReportWithoutItsSubjectsAndAnEditorRequestJudgesItAgain() throws {
        let dir = try tempDir()
        try write("resource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n}\n", dir.appendingPathComponent("infra/main.tf"))
        let session = Session(root: dir.path)
        let unit = try #require(session.units(under: dir.path).first)
        let pulled = session.analyze(unit, verifyFixes: false, subjects: false)
        #expect(pulled.subjects.map(\.address) == ["aws_db_instance.db"])
        #expect(session.analyze(unit, verifyFixes: false, subjects: false).subjects.isEmpty)
        #expect(session.reportCounts == (judged: 1, cached: 1))
        let hovered = session.analyze(unit, verifyFixes: false)
        #expect(hovered.subjects.map(\.address) == ["aws_db_instance.db"])
        #expect(hovered.findings.map(\.ruleId) == pulled.findings.map(\.ruleId))
        #expect(session.reportCounts == (judged: 2, cached: 1))
        #expect(session.analyze(unit, verifyFixes: false, subjects: false).subjects.map(\.address) == ["aws_db_instance.db"])
        #expect(session.reportCounts == (judged: 2, cached: 2))
    }

    @Test func anEditedUnitKeepsOnlyItsLatestReport() throws {
        let dir = try tempDir()
        let path = dir.path + "/infra/main.tf"
        try write("resource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n}\n", URL(fileURLWithPath: path))
        let session = Session(root: dir.path)
        let first = try #require(session.units(under: dir.path).first)
        _ = session.analyze(first, verifyFixes: false)
        session.setOverlay(path, text: "resource \"aws_db_instance\" \"db\" {\n  engine = \"mysql\"\n}\n")
        let second = try #require(session.units(under: dir.path).first)
        _ = session.analyze(second, verifyFixes: false)
        _ = session.analyze(second, verifyFixes: false)
        #expect(session.reportCounts == (judged: 2, cached: 1))
        // The first version's report was dropped when the second was kept: it is judged again.
        _ = session.analyze(first, verifyFixes: false)
        #expect(session.reportCounts == (judged: 3, cached: 1))
    }

    @Test func aFindingThatHoldsOnlyWithAnOverrideNamesIt() throws {
        let ws = Workspace(config: GoldpathConfig(), packSources: BuiltinPacks.all.map { SourceText(path: $0.path, text: $0.text) })
        let unit = AnalysisUnit(
            language: "helm-values", name: "c",
            files: [
                SourceText(
                    path: "c/values.yaml",
                    text: "ingress:\n  enabled: false\n  className: nginx\n  hosts:\n    - host: a.example.com\n  tls: []\n"),
                SourceText(path: "c/values-prod.yaml", text: "ingress:\n  enabled: true\n"),
            ])
        let tls = try #require(ws.analyze(unit).findings.first { $0.ruleId == "K8S038" })
        #expect(tls.file == "c/values.yaml")
        #expect(tls.range == SourceRange(start: 82, end: 85))
        #expect(
            tls.related == [
                RelatedLocation(
                    file: "c/values-prod.yaml", range: SourceRange(start: 0, end: 7),
                    message: "this holds when values-prod.yaml is merged over the base values")
            ])
    }

    @Test func globs() {
        #expect(Glob.matches("**/values*.yaml", "a/b/values-prod.yaml"))
        #expect(Glob.matches("**/values*.yaml", "values.yaml"))
        #expect(!Glob.matches("*.yaml", "a/b.yaml"))
        #expect(Glob.matches("vendor/**", "vendor/x/y"))
        #expect(Glob.matches("a/?/c", "a/b/c"))
        #expect(!Glob.matches("a/?/c", "a/bb/c"))
        #expect(Glob.matches("**/b/**/d.tf", "a/b/c/d.tf"))
        // A pattern that backtracks exponentially without memory: 28 levels of ** against a long path that fails.
        let hostile = Array(repeating: "**", count: 28).joined(separator: "/") + "/x"
        #expect(!Glob.matches(hostile, Array(repeating: "a", count: 60).joined(separator: "/") + "/y"))
    }

    @Test func fixAllConvergesAndKeepsComments() throws {
        let ws = Workspace(config: GoldpathConfig(), packSources: BuiltinPacks.all.map { SourceText(path: $0.path, text: $0.text) })
        let unit = AnalysisUnit(
            language: "helm-values", name: "c",
            files: [SourceText(path: "values.yaml", text: "# Web tier\nreplicaCount: 1 # one for now\nservice:\n  type: LoadBalancer\n")],
            contextFiles: [SourceText(path: "Chart.yaml", text: "name: c\nappVersion: \"1.0\"\n")])
        let result = ws.fixAll(unit)
        let (fixed, applied) = (result.unit, result.applied)
        #expect(result.created.isEmpty)
        #expect(applied == ["K8S030: Set replicaCount to 2", "K8S036: Set service.type to \"ClusterIP\""])
        #expect(fixed.files[0].text == "# Web tier\nreplicaCount: 2 # one for now\nservice:\n  type: ClusterIP\n")
        #expect(ws.analyze(fixed).findings.isEmpty)
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

@Suite struct ConfigIdTests {
    @Test("rule ids under severity and golden path ids under params that no loaded pack defines are config errors, at the key")
    func unknownIdsAreReported() {
        let text = "severity: {K8S001: off, K8S0001: info}\nparams: {k8s-chart: {max_replicas: 30}, k8s-chrt: {x: 1}}\n"
        let source = SourceText(path: ".goldpath.yaml", text: text)
        let (config, errors) = GoldpathConfig.parse(source)
        #expect(errors.isEmpty)
        let ws = Workspace(config: config, packSources: BuiltinPacks.all.map { SourceText(path: $0.path, text: $0.text) })
        #expect(
            ws.configErrors.map { "\(source.slice($0.range)): \($0.message)" } == [
                "K8S0001: severity: no loaded pack defines the rule 'K8S0001' (did you mean K8S001?)",
                "k8s-chrt: params: no loaded pack defines the golden path 'k8s-chrt' (did you mean k8s-chart?)",
            ])
    }
}
