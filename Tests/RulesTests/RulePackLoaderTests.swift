import Analysis
import Rules
import Testing
import TextCore

@Suite struct RulePackLoaderTests {
    /// Loads a pack and returns its errors as `line:column kind message`.
    func errors(_ text: String) -> [String] {
        let source = SourceText(path: "p.yaml", text: text)
        return RulePackLoader(languages: Languages.ids).load(source).errors.map { e in
            let p = source.humanPosition(of: e.range.start)
            return "\(p.line):\(p.column) \(e.kind.rawValue) \(e.message)"
        }
    }

    static let valid = """
        pack: p
        golden_paths:
          - id: gp
            title: T
            language: helm-values
            select: helm.workload
            rules:
              - id: R1
                title: r
                severity: error
                require: self.a == 1
                message: m
                examples: {fail: "a: 2", pass: "a: 1"}
        """

    @Test func aValidPackLoads() throws {
        let (pack, errors) = RulePackLoader(languages: Languages.ids).load(SourceText(path: "p.yaml", text: RulePackLoaderTests.valid))
        #expect(errors.isEmpty)
        #expect(try #require(pack).goldenPaths.first?.rules.map(\.id) == ["R1"])
    }

    @Test func unknownKeysSuggestTheClosestOne() {
        let text = RulePackLoaderTests.valid.replacingOccurrences(of: "    title: T", with: "    titel: T")
        #expect(
            errors(text) == [
                "4:5 unknownKey unknown key 'titel' in a golden path (allowed: id, title, description, language, select, when, params, rules, example, baseline); did you mean 'title'?",
                "3:5 missingKey a golden path is missing the required key 'title'",
            ])
    }

    static let learned = """
        pack: learned
        learned: true
        golden_paths:
          - id: learned-RR-3
            title: "Approved by alice on 2026-12-06 (RR-3): small streams"
            language: terraform
            select: aws_kinesis_stream
            decision:
              kind: approve
              request: RR-3
              reviewer: alice
              time: 2026-12-06T21:04:05.123Z
            rules:
              - id: LEARNED-3
                title: conditions
                severity: error
                require: self.shard_count <= 4
                message: m
        """

    @Test func aLearnedPathKeepsItsDecisionRecord() throws {
        let (pack, errors) = RulePackLoader(languages: Languages.ids).load(SourceText(path: "l.yaml", text: Self.learned))
        #expect(errors.isEmpty)
        #expect(
            try #require(pack).goldenPaths.first?.decision
                == LearnedDecision(kind: "approve", request: "RR-3", reviewer: "alice", time: "2026-12-06T21:04:05.123Z"))
    }

    @Test func aDecisionRecordIsValidated() {
        let text = Self.learned.replacingOccurrences(of: "kind: approve", with: "kind: waive")
            .replacingOccurrences(of: "2026-12-06T21:04:05.123Z", with: "2026-13-06T21:04:05Z")
        #expect(
            errors(text) == [
                "9:13 invalidValue decision kind must be approve or deny, not 'waive'",
                "12:13 invalidValue decision time must be an ISO 8601 UTC time like 2026-12-06T21:00:00Z, not '2026-13-06T21:04:05Z'",
            ])
        let authored = Self.learned.replacingOccurrences(of: "learned: true\n", with: "")
        #expect(errors(authored).first?.hasPrefix("7:5 unknownKey unknown key 'decision' in a golden path") == true)
    }

    @Test func badCELPointsIntoTheExpression() {
        let text = RulePackLoaderTests.valid.replacingOccurrences(of: "require: self.a == 1", with: "require: self.a === 1")
        #expect(errors(text) == ["11:27 badExpression invalid CEL in require: unexpected '='; use '==' to compare"])
    }

    @Test func duplicateIdsAreErrors() {
        let text =
            RulePackLoaderTests.valid + """

                      - id: R1
                        title: again
                        severity: error
                        require: "true"
                        message: m
                        examples: {fail: "a: 2", pass: "a: 1"}
                """
        #expect(errors(text) == ["14:13 duplicateId duplicate rule id 'R1' (first defined on line 8)"])
    }

    @Test func aGoldenPathWithABrokenRuleIsLeftOutWholeAndTheOtherPathsLoad() throws {
        let text =
            RulePackLoaderTests.valid + """

                      - id: R2
                        title: broken
                        severity: loud
                        require: "true"
                        message: m
                        examples: {fail: "a: 2", pass: "a: 1"}
                  - id: gp2
                    title: T2
                    language: helm-values
                    select: helm.workload
                    rules:
                      - id: R3
                        title: r
                        severity: error
                        require: self.b == 1
                        message: m
                        examples: {fail: "b: 2", pass: "b: 1"}
                """
        let (pack, errs) = RulePackLoader(languages: Languages.ids).load(SourceText(path: "p.yaml", text: text))
        #expect(errs.map(\.kind) == [.invalidValue])
        // Kept without R2, gp would make every workload routine with one rule fewer; left out, they go to review.
        #expect(try #require(pack).goldenPaths.map(\.id) == ["gp2"])
    }

    @Test func yamlSyntaxErrorsAreLocated() {
        #expect(errors("pack: p\ngolden_paths: [\n") == ["3:1 syntax did not find expected node content (while parsing a flow node)"])
    }

    @Test func fixAlternativesNeedTitles() throws {
        let text =
            RulePackLoaderTests.valid + """

                        fix:
                          - title: Set a to 1
                            set: {a: 1}
                          - set: {a: 3}
                """
        #expect(errors(text) == ["17:13 missingKey each alternative in a fix list needs a title"])
        let ok = text.replacingOccurrences(of: "      - set: {a: 3}", with: "      - {title: Set a to 3, set: {a: 3}}")
        let (pack, errs) = RulePackLoader(languages: Languages.ids).load(SourceText(path: "p.yaml", text: ok))
        #expect(errs.isEmpty)
        #expect(try #require(pack).goldenPaths[0].rules[0].fixes.map(\.title) == ["Set a to 1", "Set a to 3"])
    }
}
