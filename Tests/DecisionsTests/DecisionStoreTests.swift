import GRDB
import PolicyModel
import Rules
import Testing
import TextCore

@testable import Decisions

@Suite struct DecisionStoreTests {
    let alice = try! ReviewerKey.generate(name: "alice")
    let bob = try! ReviewerKey.generate(name: "bob")
    let carol = try! ReviewerKey.generate(name: "carol")
    var trust: TrustedKeys {
        TrustedKeys(source: "test", keys: ["alice": [alice.publicKey], "bob": [bob.publicKey], "carol": [carol.publicKey]])
    }

    func request(_ store: DecisionStore, subject: String = "aws_kinesis_stream.events") throws -> ReviewRequest {
        try store.requestReview(
            language: "terraform", subjectType: "resource.aws_kinesis_stream", subject: subject, file: "main.tf", fingerprint: "f1",
            snippet: "resource ...", requester: "agent", justification: "needed for the ledger"
        ).request
    }

    @Test func aRepeatedRequestIsMerged() throws {
        let store = try DecisionStore()
        let first = try request(store)
        let again = try store.requestReview(
            language: "terraform", subjectType: "resource.aws_kinesis_stream", subject: "aws_kinesis_stream.events", file: "main.tf",
            fingerprint: "f1", snippet: "", requester: "agent", justification: "again")
        #expect(again.merged)
        #expect(again.request.id == first.id)
        #expect(try store.requests().count == 1)
    }

    @Test func decisionsBecomeALearnedPackThatLoads() throws {
        let store = try DecisionStore()
        let a = try request(store)
        let d = try request(store, subject: "aws_kinesis_stream.other")
        try store.decide(a.id, approve: true, condition: "self.shard_count <= 4", reason: "small is fine", key: alice)
        try store.decide(d.id, approve: false, condition: nil, reason: "use the bus", key: bob)
        #expect(throws: DecisionStoreError.self) {
            try store.decide(a.id, approve: true, condition: nil, reason: "twice", key: alice)
        }
        let (pack, errors) = RulePackLoader(languages: ["helm-values", "terraform", "sql-migration"]).load(
            SourceText(path: "learned.yaml", text: try store.learnedPack(trust: trust)))
        #expect(errors.isEmpty, "\(errors)")
        let paths = try #require(pack).goldenPaths
        #expect(paths.map(\.id) == ["learned-\(a.id)", "denied-\(d.id)"])
        #expect(paths[0].rules[0].require.program.source == "self.shard_count <= 4")
        #expect(paths[1].rules[0].suppressible == false)
        #expect(try store.requests(status: "pending").isEmpty)
    }

    @Test func aSubjectTypeThatIsNotAPlainNameIsRefused() throws {
        let store = try DecisionStore()
        #expect(throws: DecisionStoreError.self) {
            try store.requestReview(
                language: "terraform", subjectType: "resource.aws_x\nselect: resource.aws_kinesis_stream", subject: "aws_x.y",
                file: "main.tf", fingerprint: "f1", snippet: "", requester: "agent", justification: "inject")
        }
        #expect(try store.requests().isEmpty)
    }

    @Test func aSubjectWithQuotesAndNewlinesStaysOneStringThroughExportAndImport() throws {
        let store = try DecisionStore()
        let subject = "aws_kinesis_stream.a\" || true || \"\n\\z"
        let denied = try request(store, subject: subject)
        try store.decide(denied.id, approve: false, condition: nil, reason: "no", key: bob)
        let (pack, errors) = RulePackLoader(languages: ["terraform"]).load(
            SourceText(path: "learned.yaml", text: try store.learnedPack(trust: trust)))
        #expect(errors.isEmpty, "\(errors)")
        let path = try #require(pack?.goldenPaths.first)
        #expect(path.when?.program.source == "subject.address == \"aws_kinesis_stream.a\\\" || true || \\\"\\n\\\\z\"")
        let other = try DecisionStore()
        #expect(try other.importLearned(try #require(pack), key: carol, trust: trust).added == 1)
        #expect(try other.decisions().first?.subject == subject)
    }

    @Test func waiversExpire() throws {
        let store = try DecisionStore()
        try store.waive(fingerprint: "abc", until: "2026-12-31", reason: "migration", key: carol)
        #expect(try store.waivers(today: "2026-11-22", trust: trust) == ["abc": "2026-12-31"])
        #expect(try store.waivers(today: "2027-01-01", trust: trust) == [:])
    }

    @Test func aNulByteInAnAuditFieldIsStoredAsHashed() throws {
        let store = try DecisionStore()
        store.record(AuditEvent(actor: "mcp", action: "mcp.explain_rule", subject: "AWS001\u{0}tail", outcome: "ok"))
        #expect(try store.verifyAudit(trust: trust).ok)
        #expect(try store.auditRows().last?.subject == "AWS001\\u{0}tail")
    }

    @Test func theAuditChainDetectsAModifiedRow() throws {
        let store = try DecisionStore()
        for i in 1...3 { store.record(AuditEvent(actor: "t", action: "a\(i)", subject: "s", outcome: "ok")) }
        #expect(try store.verifyAudit(trust: trust).ok)
        #expect(throws: (any Error).self) { try store.db.write { try $0.execute(sql: "UPDATE audit_log SET outcome = 'x' WHERE seq = 1") } }
        try store.db.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_update")
            try db.execute(sql: "UPDATE audit_log SET outcome = 'forged' WHERE seq = 2")
        }
        let result = try store.verifyAudit(trust: trust)
        #expect(result.problems == ["row 2: its content does not match its hash (the row was modified or forged)"])
    }
}
