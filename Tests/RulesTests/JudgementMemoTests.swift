import Analysis
import PolicyModel
import Testing
import TextCore

@testable import Rules

/// The engine reuses a subject's judgement only while the subject and the subjects `related()` gave it are the same.
@Suite struct JudgementMemoTests {
    static let pack = """
        pack: test
        golden_paths:
          - id: buckets
            title: Buckets
            language: terraform
            select: resource.aws_s3_bucket
            rules:
              - id: T100
                title: Versioned
                severity: error
                require: >-
                  related("aws_s3_bucket_versioning", "bucket").exists(v,
                    v.versioning_configuration.exists(c, c.status == "Enabled"))
                message: "bucket {{ subject.name }} is not versioned"
                examples:
                  fail: 'resource "aws_s3_bucket" "logs" { bucket = "logs" }'
                  pass: |
                    resource "aws_s3_bucket" "logs" { bucket = "logs" }
                    resource "aws_s3_bucket_versioning" "logs" {
                      bucket = aws_s3_bucket.logs.id
                      versioning_configuration { status = "Enabled" }
                    }
              - id: T101
                title: Named
                severity: warning
                require: has(self.bucket)
                message: no bucket name
                examples:
                  fail: 'resource "aws_s3_bucket" "logs" {}'
                  pass: 'resource "aws_s3_bucket" "logs" { bucket = "logs" }'
        """

    static func bucket(named name: String?) -> Subject {
        var value = ValueMap()
        if let name { value["bucket"] = .string(name) }
        return Subject(
            type: "resource.aws_s3_bucket", name: "logs", address: "aws_s3_bucket.logs", language: "terraform", file: "main.tf",
            headerRange: SourceRange(start: 0, end: 8), value: .map(value))
    }

    static func versioning(_ status: String) -> Subject {
        Subject(
            type: "resource.aws_s3_bucket_versioning", name: "logs", address: "aws_s3_bucket_versioning.logs", language: "terraform",
            file: "main.tf", headerRange: SourceRange(start: 40, end: 48),
            value: .map(
                ValueMap([
                    ("bucket", .reference("aws_s3_bucket.logs")),
                    ("versioning_configuration", .list([.map(ValueMap([("status", .string(status))]))])),
                ])))
    }

    func rules(_ h: RulesHarness, _ subjects: [Subject]) throws -> [String] {
        let language = try #require(h.workspace.languages["terraform"])
        let unit = AnalysisUnit(language: "terraform", name: "m", files: [SourceText(path: "main.tf", text: "")])
        return h.workspace.engine.evaluate(LoweredUnit(subjects: subjects, diagnostics: [], comments: []), unit: unit, language: language)
            .map { "\($0.ruleId) \($0.subjectAddress ?? "")" }
    }

    @Test func aJudgementIsReusedOnlyWhileTheSubjectAndItsRelationsAreTheSame() throws {
        let h = RulesHarness(pack: Self.pack)
        #expect(h.workspace.packErrors.map(\.message) == [])
        let named = Self.bucket(named: "logs")
        #expect(try rules(h, [named, Self.versioning("Enabled")]) == [])
        // The same bucket: a versioning resource that changed changes the bucket's finding.
        #expect(try rules(h, [named, Self.versioning("Suspended")]) == ["T100 aws_s3_bucket.logs"])
        #expect(try rules(h, [named]) == ["T100 aws_s3_bucket.logs"])
        #expect(try rules(h, [named, Self.versioning("Enabled")]) == [])
        // The bucket's own value changed.
        #expect(try rules(h, [Self.bucket(named: nil), Self.versioning("Enabled")]) == ["T101 aws_s3_bucket.logs"])
        // Its origins changed: the finding moves with them.
        var moved = Self.bucket(named: nil)
        moved.headerRange = SourceRange(start: 100, end: 108)
        let language = try #require(h.workspace.languages["terraform"])
        let unit = AnalysisUnit(language: "terraform", name: "m", files: [SourceText(path: "main.tf", text: "")])
        let findings = h.workspace.engine.evaluate(
            LoweredUnit(subjects: [moved, Self.versioning("Enabled")], diagnostics: [], comments: []), unit: unit, language: language)
        #expect(findings.map(\.range) == [SourceRange(start: 100, end: 108)])
    }

    @Test func theMemoKeepsTwoVersionsOfASubjectAndForgetsAFile() {
        let memo = JudgementMemo()
        let finding = Finding(ruleId: "T101", severity: .warning, message: "", file: "main.tf", range: .empty(at: 0))
        let named = Self.bucket(named: "logs")
        let unnamed = Self.bucket(named: nil)
        memo.remember("k", JudgementMemo.Entry(subject: named, relations: [], findings: []))
        memo.remember("k", JudgementMemo.Entry(subject: unnamed, relations: [], findings: [finding]))
        #expect(memo.findings("k", for: named) { _ in true } == [])
        #expect(memo.findings("k", for: unnamed) { _ in true } == [finding])
        #expect(memo.findings("k", for: unnamed) { _ in false } == nil)
        memo.remember("k", JudgementMemo.Entry(subject: Self.bucket(named: "other"), relations: [], findings: []))
        #expect(memo.findings("k", for: named) { _ in true } == nil)
        memo.forget(files: ["main.tf"])
        #expect(memo.findings("k", for: unnamed) { _ in true } == nil)
    }
}
