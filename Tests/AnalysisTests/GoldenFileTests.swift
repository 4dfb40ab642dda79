import Analysis
import Foundation
import Testing
import TextCore

/// The example runner's golden files: compared, written, or skipped for a team pack without one.
@Suite struct GoldenFileTests {
    /// A team pack with two fix alternatives and two fail examples: one holds a YAML `---` and a blank line, the
    /// other ends without a newline and has a two-byte code point before the finding (columns count code points).
    static let pack = """
        pack: t
        golden_paths:
          - id: g
            title: g
            language: helm-values
            select: helm.workload
            rules:
              - id: X1
                title: x
                severity: error
                require: self.image.tag != "latest"
                at: image.tag
                message: m
                fix: [{title: Pin the tag, set: {image.tag: "1.0"}}, {title: Use a digest, set: {image.tag: "sha256-0"}}]
                examples:
                  fail:
                    - |
                      # ---
                      image:

                        repository: a
                        tag: latest
                    - "image: {repository: café, tag: latest}"
                  pass: "image: {repository: a, tag: '1'}"
        """

    /// The golden file of `pack`: the finding on the key `tag` of each fail example (column 27 after `café`, not
    /// byte 28), and the text each fix leaves.
    static let golden = """
        # Generated from the rule examples of t.yaml; do not edit, regenerate with: GOLDPATH_UPDATE_GOLDEN=1 goldpath rules test [PATH]

        === X1 fail 1: finding 5:3-5:6

        === X1 fail 1: fix "Pin the tag" values.yaml
        | # ---
        | image:
        |
        |   repository: a
        |   tag: "1.0"

        === X1 fail 1: fix "Use a digest" values.yaml
        | # ---
        | image:
        |
        |   repository: a
        |   tag: sha256-0

        === X1 fail 2: finding 1:27-1:30

        === X1 fail 2: fix "Pin the tag" values.yaml
        | image: {repository: café, tag: "1.0"}
        \\ no newline at end of text

        === X1 fail 2: fix "Use a digest" values.yaml
        | image: {repository: café, tag: sha256-0}
        \\ no newline at end of text

        """

    /// Runs `pack`'s examples from a fresh directory holding it as `t.yaml` and `golden` as `t.golden` (none when
    /// nil); returns the failures and the golden file afterwards.
    func check(golden: String?, update: Bool = false, required: Bool = false) throws -> (failures: [String], golden: String?) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("goldpath-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let goldenFile = dir.appendingPathComponent("t.golden")
        if let golden { try golden.write(to: goldenFile, atomically: true, encoding: .utf8) }
        let ws = Workspace(config: .onlyExtraPacks, packSources: [SourceText(path: "t.yaml", text: GoldenFileTests.pack)])
        let files = GoldenFiles(
            root: dir.path, update: update, required: required, regenerate: "GOLDPATH_UPDATE_GOLDEN=1 goldpath rules test [PATH]")
        let (failures, _) = RuleExampleRunner(workspace: ws, golden: files).run()
        return (failures.map(\.description), try? String(contentsOf: goldenFile, encoding: .utf8))
    }

    @Test func theUpdateModeWritesTheGoldenFile() throws {
        let (failures, written) = try check(golden: nil, update: true)
        #expect(failures == [])
        #expect(written == GoldenFileTests.golden)
    }

    @Test func theUpdateModeRewritesAWrongGoldenFile() throws {
        let (failures, written) = try check(golden: "=== nonsense\n", update: true)
        #expect(failures == [])
        #expect(written == GoldenFileTests.golden)
    }

    @Test func aMatchingGoldenFilePasses() throws {
        #expect(try check(golden: GoldenFileTests.golden).failures == [])
    }

    @Test func anotherPositionIsAMismatch() throws {
        let golden = GoldenFileTests.golden.replacingOccurrences(of: "finding 5:3-5:6", with: "finding 5:3-5:9")
        #expect(try check(golden: golden).failures == ["X1: fail example 1 differs from t.golden: findings expected 5:3-5:9, got 5:3-5:6"])
    }

    @Test func anotherFixedTextIsAMismatch() throws {
        let golden = GoldenFileTests.golden.replacingOccurrences(of: "|   tag: \"1.0\"", with: "|   tag: \"1.1\"")
        #expect(
            try check(golden: golden).failures == [
                "X1: fail example 1 differs from t.golden: fix \"Pin the tag\" in values.yaml, line 5 expected `  tag: \"1.1\"`, got `  tag: \"1.0\"`"
            ])
    }

    @Test func aFixTheGoldenFileLacksIsAMismatch() throws {
        let golden = GoldenFileTests.golden.components(separatedBy: "\n=== X1 fail 2: fix")[0]
        #expect(
            try check(golden: golden).failures == [
                "X1: fail example 2 differs from t.golden: fix \"Pin the tag\" changes values.yaml, the golden file has no text for it",
                "X1: fail example 2 differs from t.golden: fix \"Use a digest\" changes values.yaml, the golden file has no text for it",
            ])
    }

    @Test func aLostNewlineAtTheEndIsAMismatch() throws {
        let golden = GoldenFileTests.golden.replacingOccurrences(of: "sha256-0}\n\\ no newline at end of text\n", with: "sha256-0}\n")
        #expect(
            try check(golden: golden).failures == [
                "X1: fail example 2 differs from t.golden: fix \"Use a digest\" in values.yaml, expected a newline at the end, got none"
            ])
    }

    @Test func aFixTheExamplesNoLongerMakeIsAMismatch() throws {
        let golden = GoldenFileTests.golden.replacingOccurrences(
            of: "fix \"Use a digest\" values.yaml\n| # ---", with: "fix \"Use a tag\" values.yaml\n| # ---")
        #expect(
            try check(golden: golden).failures == [
                "X1: fail example 1 differs from t.golden: fix \"Use a digest\" changes values.yaml, the golden file has no text for it",
                "X1: fail example 1 differs from t.golden: fix \"Use a tag\" does not change values.yaml, the golden file has a text for it",
            ])
    }

    @Test func aGoldenFileInAnotherOrderFails() throws {
        let entries = GoldenFileTests.golden.components(separatedBy: "\n=== ")
        let golden = ([entries[0]] + entries.dropFirst().reversed()).joined(separator: "\n=== ")
        #expect(
            try check(golden: golden).failures == [
                "t.yaml: t.golden holds the expected entries in another order: run GOLDPATH_UPDATE_GOLDEN=1 goldpath rules test [PATH]"
            ])
    }

    /// The first line names the command of whoever generated the file (swift test, goldpath rules test).
    @Test func commentsAndBlankLinesMayDiffer() throws {
        let golden = GoldenFileTests.golden.replacingOccurrences(of: "goldpath rules test [PATH]", with: "swift test")
            .replacingOccurrences(of: "\n\n===", with: "\n===")
        #expect(try check(golden: golden).failures == [])
    }

    @Test func aTextLineOutsideAFixIsALocatedError() throws {
        let golden = GoldenFileTests.golden.replacingOccurrences(of: "5:3-5:6\n", with: "5:3-5:6\n| stray\n")
        #expect(try check(golden: golden).failures == ["t.yaml: cannot read the golden file: t.golden:4: a text line outside a fix entry"])
    }

    /// `goldpath rules test PATH` on a team's pack: without a golden file there is nothing to compare and nothing is written.
    @Test func aTeamPackWithoutAGoldenFilePasses() throws {
        let (failures, written) = try check(golden: nil)
        #expect(failures == [])
        #expect(written == nil)
    }

    /// A built-in pack without a golden file fails in swift test.
    @Test func aRequiredGoldenFileThatIsMissingFails() throws {
        #expect(
            try check(golden: nil, required: true).failures == [
                "t.yaml: no golden file t.golden: run GOLDPATH_UPDATE_GOLDEN=1 goldpath rules test [PATH]"
            ])
    }

    @Test func theGoldenFileSitsNextToThePackFile() {
        #expect(GoldenFiles.path(ofPack: "rulepacks/aws/aws-rds.yaml") == "rulepacks/aws/aws-rds.golden")
        #expect(GoldenFiles.path(ofPack: "team/packs.yml") == "team/packs.golden")
    }
}
