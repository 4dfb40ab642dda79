import Analysis
import PolicyModel
import Testing
import TextCore

@testable import Rules

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

/// `check` verifies the independent fixes of one file together, and falls back to one at a time.
@Suite struct BatchVerificationTests {
    static let values = "web:\n  image: {repository: a, tag: latest}\nworker:\n  image: {repository: b, tag: latest}\n"

    static func setting(_ pack: String, _ h: RulesHarness) -> (unit: AnalysisUnit, verifier: FixVerifier, lowered: LoweredUnit) {
        let unit = AnalysisUnit(
            language: "helm-values", name: "chart", files: [SourceText(path: "values.yaml", text: values)],
            contextFiles: [SourceText(path: "Chart.yaml", text: "name: c\nappVersion: \"1.0\"\n")])
        let language = h.workspace.languages["helm-values"]!
        return (unit, FixVerifier(engine: h.workspace.engine, language: language), language.lower(unit))
    }

    @Test func independentFixesOfOneFileVerifyTogetherAndEachKeepsItsOwnEdit() throws {
        let h = RulesHarness(pack: EngineTests.pack)
        let f = h.findings(Self.values)
        #expect(f.map(\.ruleId) == ["T001", "T001"])
        #expect(
            f.map { $0.fix?.edits } == [
                [FileEdits(file: "values.yaml", edits: [TextEdit(range: SourceRange(start: 35, end: 41), newText: "\"1.0\"")])],
                [FileEdits(file: "values.yaml", edits: [TextEdit(range: SourceRange(start: 81, end: 87), newText: "\"1.0\"")])],
            ])
        let (unit, verifier, _) = Self.setting(EngineTests.pack, h)
        #expect(verifier.checkBatch(f.map { ($0, $0.fix!) }, unit: unit, before: f))
    }

    @Test func aBatchWhoseFixesAddAFindingFailsAndEachFixIsThenDroppedOnItsOwn() throws {
        let pack = EngineTests.pack.replacingOccurrences(
            of: "fix: {set: {image.tag: \"1.0\"}}", with: "fix: {set: {image.tag: \"1.0\", replicas: 50}}")
        let h = RulesHarness(pack: pack)
        let f = h.findings(Self.values)
        #expect(f.map(\.ruleId) == ["T001", "T001"])
        #expect(f.allSatisfy { $0.fix == nil })
        let (unit, verifier, lowered) = Self.setting(pack, h)
        let planned = try f.map { finding in
            (finding, try verifier.plan(finding, subjects: nil, all: lowered.subjects, unit: unit, alternative: 0).get())
        }
        #expect(!verifier.checkBatch(planned, unit: unit, before: f))
    }

    @Test func aBatchWhoseFixLeavesItsFindingFails() throws {
        let pack = EngineTests.pack.replacingOccurrences(of: "fix: {set: {image.tag: \"1.0\"}}", with: "fix: {set: {image.repository: z}}")
        let h = RulesHarness(pack: pack)
        let f = h.findings(Self.values)
        #expect(f.allSatisfy { $0.fix == nil })
        let (unit, verifier, lowered) = Self.setting(pack, h)
        let planned = try f.map { finding in
            (finding, try verifier.plan(finding, subjects: nil, all: lowered.subjects, unit: unit, alternative: 0).get())
        }
        #expect(!verifier.checkBatch(planned, unit: unit, before: f))
    }

    @Test func aBatchThatVerifiesIsOneGroupAndOneFixPerRuleSplitsIt() throws {
        let h = RulesHarness(pack: EngineTests.pack)
        let f = h.findings(Self.values)
        let (unit, verifier, lowered) = Self.setting(EngineTests.pack, h)
        let together = verifier.verifiedGroups(for: f, unit: unit, lowered: lowered)
        #expect(together.map { $0.map(\.index) } == [[0, 1]])
        let apart = verifier.verifiedGroups(for: f, unit: unit, lowered: lowered, oneFixPerRule: true)
        #expect(apart.map { $0.map(\.index) } == [[0], [1]])
        #expect(apart.map { $0.map(\.fix) } == together.map { $0.map(\.fix) }.flatMap { $0.map { [$0] } })
    }

    @Test func fixesThatFailTogetherAndAloneAreInNoGroup() {
        let pack = EngineTests.pack.replacingOccurrences(
            of: "fix: {set: {image.tag: \"1.0\"}}", with: "fix: {set: {image.tag: \"1.0\", replicas: 50}}")
        let h = RulesHarness(pack: pack)
        let f = h.findings(Self.values)
        let (unit, verifier, lowered) = Self.setting(pack, h)
        #expect(verifier.verifiedGroups(for: f, unit: unit, lowered: lowered).isEmpty)
    }

    @Test func theFirstGroupThatVerifiesIsTheBatchOrItsBestRankedFix() throws {
        let h = RulesHarness(pack: EngineTests.pack)
        let f = h.findings(Self.values)
        let (unit, verifier, lowered) = Self.setting(EngineTests.pack, h)
        let batch = verifier.firstVerifiedGroup(for: f, among: [0, 1], unit: unit, lowered: lowered, rank: { $0 })
        #expect(batch.group?.map(\.index) == [0, 1])
        #expect(batch.failed.isEmpty)
        let second = verifier.firstVerifiedGroup(for: f, among: [0, 1], unit: unit, lowered: lowered, oneFixPerRule: true, rank: { -$0 })
        #expect(second.group?.map(\.index) == [1])
    }

    @Test func theVerifiedGroupsReCheckIsTheEditedUnitAsAFreshAnalysisJudgesIt() throws {
        let h = RulesHarness(pack: EngineTests.pack)
        let f = h.findings(Self.values)
        let (unit, verifier, lowered) = Self.setting(EngineTests.pack, h)
        let outcome = verifier.firstVerifiedGroup(for: f, among: [0, 1], unit: unit, lowered: lowered, oneFixPerRule: true, rank: { $0 })
        let reChecked = try #require(outcome.reChecked)
        let edits = try #require(outcome.group).flatMap { $0.fix.edits.flatMap(\.edits) }
        let edited = unit.replacing(file: "values.yaml", with: try TextEdit.apply(edits, to: Self.values))
        #expect(reChecked.unit.sameFiles(as: edited))
        #expect(!reChecked.unit.sameFiles(as: unit))
        #expect(
            reChecked.unit.files[0].text == "web:\n  image: {repository: a, tag: \"1.0\"}\nworker:\n  image: {repository: b, tag: latest}\n"
        )
        let fresh = h.workspace.engine.evaluate(verifier.language.lower(edited), unit: edited, language: verifier.language)
        #expect(reChecked.findings.map(\.identity) == fresh.map(\.identity))
        #expect(reChecked.findings.map(\.range) == h.findings(reChecked.unit.files[0].text).map(\.range))
        #expect(reChecked.findings.map(\.range) == [SourceRange(start: 75, end: 78)])
        #expect(reChecked.lowered.subjects.map(\.address) == verifier.language.lower(edited).subjects.map(\.address))
    }

    @Test func whenNoGroupVerifiesEveryCandidateTriedHasFailed() {
        let pack = EngineTests.pack.replacingOccurrences(
            of: "fix: {set: {image.tag: \"1.0\"}}", with: "fix: {set: {image.tag: \"1.0\", replicas: 50}}")
        let h = RulesHarness(pack: pack)
        let f = h.findings(Self.values)
        let (unit, verifier, lowered) = Self.setting(pack, h)
        let outcome = verifier.firstVerifiedGroup(for: f, among: [0, 1], unit: unit, lowered: lowered, rank: { $0 })
        #expect(outcome.group == nil)
        #expect(outcome.failed == [0, 1])
    }

    @Test func fixesOnTheSameSubjectOrOverlappingEditsAreNotBatched() {
        let a = VerifiedFix(
            title: "a", edits: [FileEdits(file: "v", edits: [TextEdit(range: SourceRange(start: 5, end: 9), newText: "x")])])
        let b = VerifiedFix(
            title: "b", edits: [FileEdits(file: "v", edits: [TextEdit(range: SourceRange(start: 8, end: 12), newText: "y")])])
        let c = VerifiedFix(title: "c", edits: [FileEdits(file: "v", edits: [TextEdit.insert("z", at: 9)])])
        let d = VerifiedFix(
            title: "d", edits: [FileEdits(file: "v", edits: [TextEdit(range: SourceRange(start: 20, end: 21), newText: "w")])])
        #expect(FixVerifier.overlaps(a, b))
        #expect(FixVerifier.overlaps(a, c))
        #expect(!FixVerifier.overlaps(a, d))
        #expect(!FixVerifier.overlaps(c, VerifiedFix(title: "e", edits: [FileEdits(file: "v", edits: [TextEdit.insert("e", at: 9)])])))
        func inserting(_ text: String, at offset: Int) -> VerifiedFix {
            VerifiedFix(title: text, edits: [FileEdits(file: "v", edits: [TextEdit.insert(text, at: offset)])])
        }
        let requests = inserting("\n  resources:\n    requests:\n      cpu: 100m\n", at: 40)
        #expect(FixVerifier.overlaps(requests, inserting("  resources:\n    limits:\n      memory: 128Mi\n", at: 40)))
        #expect(!FixVerifier.overlaps(requests, inserting("  resources:\n    limits:\n      memory: 128Mi\n", at: 41)))
        #expect(!FixVerifier.overlaps(requests, inserting("  securityContext:\n    runAsNonRoot: true\n", at: 40)))
    }

    @Test func twoRulesOfOneSubjectShareABatchOnlyWhenNeitherFixEditsTheSubject() {
        let subject = Subject(
            type: "t", name: "s", address: "s", language: "l", file: "v", headerRange: SourceRange(start: 10, end: 12), value: .null,
            origins: [.root: Origin(file: "v", range: SourceRange(start: 10, end: 30))])
        func member(_ rule: String, _ edit: TextEdit) -> (finding: Finding, fix: VerifiedFix) {
            (
                Finding(ruleId: rule, severity: .warning, message: "", file: "v", range: subject.headerRange, subjectAddress: "s"),
                VerifiedFix(title: rule, edits: [FileEdits(file: "v", edits: [edit])])
            )
        }
        let before = member("R1", .insert("a", at: 0))
        #expect(FixVerifier.independent(before, member("R2", .insert("b", at: 0)), subject: subject))
        #expect(FixVerifier.independent(before, member("R2", .insert("b", at: 30)), subject: subject))
        #expect(!FixVerifier.independent(before, member("R1", .insert("b", at: 0)), subject: subject))
        #expect(!FixVerifier.independent(before, member("R2", .insert("b", at: 15)), subject: subject))
        #expect(
            !FixVerifier.independent(before, member("R2", TextEdit(range: SourceRange(start: 2, end: 4), newText: "b")), subject: subject))
        #expect(!FixVerifier.independent(before, member("R2", .insert("b", at: 0)), subject: nil))
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

/// A unit of more subjects than `Engine.judgedOnOneCore` is judged in slices on all cores, with the same findings
/// in the same order as subject by subject.
@Suite struct SlicedJudgementTests {
    @Test func aLargeUnitIsJudgedAsEachSubjectAloneInOrder() throws {
        let h = RulesHarness(pack: EngineTests.pack)
        let language = try #require(h.workspace.languages["helm-values"])
        let count = Engine.judgedOnOneCore * 2 + 7
        let subjects = (0..<count).map { i in
            Subject(
                type: "helm.workload", name: "w\(i)", address: "w\(i)", language: "helm-values", file: "values.yaml",
                headerRange: SourceRange(start: i * 10, end: i * 10 + 2),
                value: .map(
                    ValueMap([
                        ("image", .map(ValueMap([("repository", .string("a")), ("tag", .string(i.isMultiple(of: 3) ? "latest" : "1"))]))),
                        ("replicas", .int(Int64(i % 5))),
                    ])))
        }
        let unit = AnalysisUnit(language: "helm-values", name: "chart", files: [SourceText(path: "values.yaml", text: "")])
        let findings = h.workspace.engine.evaluate(
            LoweredUnit(subjects: subjects, diagnostics: [], comments: []), unit: unit, language: language)
        let alone = subjects.flatMap { h.workspace.engine.evaluate($0, all: subjects) }
        #expect(findings.map(\.subjectAddress) == alone.map(\.subjectAddress))
        #expect(findings.map(\.ruleId) == alone.map(\.ruleId))
        // Every third subject's tag is latest (T001); replicas 4 exceed the maximum of 3 (T002).
        #expect(findings.filter { $0.ruleId == "T001" }.count == (count + 2) / 3)
        #expect(findings.filter { $0.ruleId == "T002" }.count == subjects.indices.filter { $0 % 5 == 4 }.count)
        #expect(findings.first?.subjectAddress == "w0" && findings.last?.subjectAddress == "w1029")
    }
}
