import Analysis
import PolicyModel
import Rules
import Testing
import TextCore

@Suite struct EngineTests {
    static let pack = """
        pack: test
        golden_paths:
          - id: web
            title: Web workloads
            language: helm-values
            select: helm.workload
            params: {max: 3}
            rules:
              - id: T001
                title: Tag pinned
                severity: error
                require: self.image.tag != "latest"
                at: image.tag
                message: "tag {{ self.image.tag }} is not pinned"
                fix: {set: {image.tag: "1.0"}}
                examples: {fail: "image: {repository: a, tag: latest}", pass: "image: {repository: a, tag: '1'}"}
              - id: T002
                title: Replicas bounded
                severity: warning
                when: has(self.replicas)
                require: self.replicas <= params.max
                at: replicas
                message: too many replicas
                suppressible: false
                examples: {fail: "image: a\\nreplicas: 9", pass: "image: a\\nreplicas: 1"}
        """

    @Test func findingsSitOnTheKeyTheyConcern() {
        RulesHarness(pack: EngineTests.pack).check(
            """
            image:
              repository: nginx
              tag: latest
            # ^^^ error T001
            replicas: 5
            ^^^^^^^^ warning T002
            """)
    }

    @Test func aPlaceMayBeComputedForEachSubject() {
        let pack = """
            pack: test
            golden_paths:
              - id: lists
                title: Lists
                language: helm-values
                select: helm.workload
                rules:
                  - id: T010
                    title: No bad port
                    severity: warning
                    require: '!self.ports.exists(p, p.port == 22)'
                    # The offending element, else the list when the interpolation fails.
                    at: ['ports[{{ self.ports.indexOf(self.ports.filter(p, p.port == 22)[0]) }}].port', ports]
                    message: port 22
                    examples: {fail: "image: a\\nports: [{port: 22}]", pass: "image: a\\nports: [{port: 80}]"}
            """
        RulesHarness(pack: pack).check(
            """
            image: a
            ports:
              - port: 80
              - port: 22
              # ^^^^ warning T010
            """)
    }

    @Test func messagesInterpolateCEL() {
        let f = RulesHarness(pack: EngineTests.pack).findings("image: {repository: a, tag: latest}\n")
        #expect(f.map(\.message) == ["tag latest is not pinned"])
    }

    @Test func configOverridesParamsAndSeverities() {
        var config = GoldpathConfig.withoutFOAK
        config.params = ["web": ["max": .int(10)]]
        config.severities = ["T001": .some(.info)]
        let f = RulesHarness(pack: EngineTests.pack, config: config).findings("image: {repository: a, tag: latest}\nreplicas: 5\n")
        #expect(f.map(\.ruleId) == ["T001"])
        #expect(f.map(\.severity) == [.info])
        config.severities = ["T001": Severity?.none]
        #expect(RulesHarness(pack: EngineTests.pack, config: config).findings("image: {repository: a, tag: latest}\n").isEmpty)
    }

    @Test func firstOfAKindSubjectsNeedReview() {
        let pack = EngineTests.pack.replacingOccurrences(of: "select: helm.workload", with: "select: helm.other")
        let f = RulesHarness(pack: pack, config: .onlyExtraPacks).findings("image: {repository: a, tag: latest}\n")
        #expect(Set(f.map(\.ruleId)) == ["needs-review"])
        #expect(f.allSatisfy { $0.kind == .needsReview && $0.severity == .warning })
    }

    @Test func fingerprintsSurviveLineShiftsButNotValueChanges() {
        let h = RulesHarness(pack: EngineTests.pack)
        let a = h.findings("image:\n  repository: a\n  tag: latest\n").first { $0.ruleId == "T001" }
        let b = h.findings("# a comment\n\nimage:\n  tag: latest\n  repository: a\n").first { $0.ruleId == "T001" }
        #expect(a?.fingerprint == b?.fingerprint)
        #expect(a?.range != b?.range)
        let c = h.findings("image:\n  repository: a\n  tag: latest\nreplicas: 1\n").first { $0.ruleId == "T001" }
        #expect(a?.fingerprint == c?.fingerprint)
    }

    @Test func verifiedFixIsAttachedWithItsEdit() throws {
        let f = RulesHarness(pack: EngineTests.pack).findings("image:\n  repository: a\n  tag: latest # moving\n")
        let fix = try #require(f.first?.fix)
        #expect(
            fix.edits == [FileEdits(file: "values.yaml", edits: [TextEdit(range: SourceRange(start: 30, end: 36), newText: "\"1.0\"")])])
    }

    @Test func aFixThatDoesNotClearItsFindingIsDropped() {
        let pack = EngineTests.pack.replacingOccurrences(of: "fix: {set: {image.tag: \"1.0\"}}", with: "fix: {set: {image.tag: latest}}")
        let f = RulesHarness(pack: pack).findings("image: {repository: a, tag: latest}\n")
        #expect(f.count == 1)
        #expect(f[0].fix == nil)
    }

    @Test func aFixThatIntroducesAFindingIsDropped() {
        // The fix pins the tag but also sets replicas above the bound.
        let pack = EngineTests.pack.replacingOccurrences(
            of: "fix: {set: {image.tag: \"1.0\"}}", with: "fix: {set: {image.tag: \"1.0\", replicas: 50}}")
        let h = RulesHarness(pack: pack)
        let f = h.findings("image: {repository: a, tag: latest}\n")
        #expect(f.map(\.ruleId) == ["T001"])
        #expect(f[0].fix == nil)
        let unit = AnalysisUnit(
            language: "helm-values", name: "chart", files: [SourceText(path: "values.yaml", text: "image: {repository: a, tag: latest}\n")])
        let lowered = h.workspace.languages["helm-values"]!.lower(unit)
        let verifier = FixVerifier(engine: h.workspace.engine, language: h.workspace.languages["helm-values"]!)
        #expect(verifier.verify(f[0], unit: unit, lowered: lowered, before: f) == .failure(.introduces(["T002@chart:root"])))
    }
}

@Suite struct FixTemplateTests {
    static func plan(_ transform: String) throws -> FixPlan? {
        let pack = EngineTests.pack.replacingOccurrences(of: "fix: {set: {image.tag: \"1.0\"}}", with: "fix: {transform: '\(transform)'}")
        let h = RulesHarness(pack: pack)
        let unit = AnalysisUnit(
            language: "helm-values", name: "chart", files: [SourceText(path: "values.yaml", text: "image: {repository: a, tag: latest}\n")])
        let subjects = h.workspace.languages["helm-values"]!.lower(unit).subjects
        let workload = try #require(subjects.first { $0.type == "helm.workload" })
        let rule = try #require(h.workspace.engine.rule("T001"))
        return h.workspace.engine.fixPlan(for: rule, subject: workload, all: subjects)
    }

    @Test func aTransformArgumentInterpolatesCEL() throws {
        #expect(try Self.plan("pin:{{ self.image.repository }}-{{ params.max + 1 }}")?.operations == [.transform("pin:a-4")])
    }

    @Test func aTransformWhoseInterpolationFailsIsNotProposed() throws {
        #expect(try Self.plan("pin:{{ self.image.digest }}") == nil)
        #expect(try Self.plan("pin:{{ self.image }}") == nil)
    }
}
