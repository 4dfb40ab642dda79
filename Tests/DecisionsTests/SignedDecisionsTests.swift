import Foundation
import GRDB
import PolicyModel
import Rules
import Testing
import TextCore

@testable import Decisions

/// Decisions apply only with a trusted signature, and the audit trail proves itself against a checkpoint: each
/// attack of the threat model, done to the SQLite file directly as an agent with the developer's permissions could.
@Suite struct SignedDecisionsTests {
    let alice = try! ReviewerKey.generate(name: "alice")
    let mallory = try! ReviewerKey.generate(name: "mallory")
    var trust: TrustedKeys { TrustedKeys(source: "test", keys: ["alice": [alice.publicKey]]) }

    func pendingRequest(_ store: DecisionStore, subject: String = "aws_kinesis_stream.events") throws -> ReviewRequest {
        try store.requestReview(
            language: "terraform", subjectType: "resource.aws_kinesis_stream", subject: subject, file: "main.tf",
            fingerprint: "f-\(subject)",
            snippet: "resource ...", requester: "agent", justification: "needed"
        ).request
    }

    @Test func aSignedWaiverAppliesAndOneWrittenWithSQLDoesNot() throws {
        let store = try DecisionStore()
        try store.waive(fingerprint: "aaa", until: "2999-01-01", reason: "accepted", key: alice)
        try store.db.write { db in
            try db.execute(
                sql:
                    "INSERT INTO decision (kind, fingerprint, reason, reviewer, until, time) VALUES ('waive', 'bbb', 'x', 'alice', '2999-01-01', 't')"
            )
        }
        #expect(try store.waivers(today: "2026-12-07", trust: trust) == ["aaa": "2999-01-01"])
        #expect(try store.decisionsInForce(trust: trust).problems == ["decision 2 (waiver of bbb by alice) is ignored: it is not signed"])
        #expect(try store.decisions().first?.reviewer == "alice")
    }

    @Test func aChangedDecisionAndOneSignedByAnUntrustedKeyAreIgnored() throws {
        let store = try DecisionStore()
        try store.waive(fingerprint: "aaa", until: "2026-12-31", reason: "accepted", key: alice)
        try store.waive(fingerprint: "ccc", until: "2999-01-01", reason: "mine", key: mallory)
        try store.db.write { try $0.execute(sql: "UPDATE decision SET until = '2999-01-01' WHERE id = 1") }
        #expect(try store.waivers(today: "2026-12-07", trust: trust) == [:])
        #expect(
            try store.decisionsInForce(trust: trust).problems == [
                "decision 1 (waiver of aaa by alice) is ignored: its signature does not verify (changed after signing, or forged)",
                "decision 2 (waiver of ccc by mallory) is ignored: it is signed by a key the trust file does not list for mallory",
            ])
    }

    @Test func anUnsignedDenialStillAppliesAndIsReported() throws {
        let store = try DecisionStore()
        let r = try pendingRequest(store)
        try store.db.write { db in
            try db.execute(
                sql: """
                    INSERT INTO decision (kind, request_id, language, subject_type, subject, reason, reviewer, time)
                    VALUES ('deny', ?, 'terraform', 'resource.aws_kinesis_stream', 'aws_kinesis_stream.events', 'no', 'bob', 't')
                    """, arguments: [r.id])
        }
        let inForce = try store.decisionsInForce(trust: trust)
        #expect(inForce.honoured.map(\.kind) == ["deny"])
        #expect(
            inForce.problems == ["decision 1 (denial of \(r.id) by bob) is applied although it is not signed: a denial only adds findings"])
        #expect(try store.learnedPack(trust: trust).contains("id: denied-\(r.id)"))
    }

    @Test func anApprovalCarriesItsSignatureThroughExportAndImport() throws {
        let store = try DecisionStore()
        let r = try pendingRequest(store)
        try store.decide(r.id, approve: true, condition: nil, reason: "small \"streams\"\nare fine", key: alice)
        let text = try store.learnedPack(trust: trust)
        let (pack, errors) = RulePackLoader(languages: ["terraform"]).load(SourceText(path: "learned.yaml", text: text))
        #expect(errors.isEmpty, "\(errors)")
        let other = try DecisionStore()
        let result = try other.importLearned(try #require(pack), key: mallory, trust: trust)
        #expect(result == ImportResult(added: 1), "\(result) \(text)")
        let imported = try #require(try other.decisions().first)
        #expect(imported.reviewer == "alice" && imported.condition == nil && imported.verdict(trust) == .trusted)
        #expect(
            try other.verifyAudit(trust: trust).problems == [
                "row 1: a review.import by mallory that no trusted key of mallory signed: it is signed by a key the trust file does not list for mallory"
            ])
    }

    @Test func anImportedPackWithoutATrustedSignatureIsRefusedUnlessTheImporterSignsIt() throws {
        let store = try DecisionStore()
        let r = try pendingRequest(store)
        try store.decide(r.id, approve: true, condition: "self.shard_count <= 4", reason: "small", key: alice)
        let forged = try store.learnedPack(trust: trust).replacingOccurrences(of: "self.shard_count <= 4", with: "self.shard_count <= 400")
        let (pack, errors) = RulePackLoader(languages: ["terraform"]).load(SourceText(path: "learned.yaml", text: forged))
        #expect(errors.isEmpty, "\(errors)")
        let other = try DecisionStore()
        let refused = try other.importLearned(try #require(pack), key: alice, trust: trust)
        #expect(refused.refused == ["learned-\(r.id) (by alice): its signature does not verify (changed after signing, or forged)"])
        #expect(try other.decisions().isEmpty)
        let taken = try other.importLearned(try #require(pack), key: alice, trust: trust, signAsImporter: true)
        #expect(taken.signedByImporter == 1)
        #expect(try other.decisions().first?.condition == "self.shard_count <= 400")
        #expect(try other.verifyAudit(trust: trust).ok)
    }

    @Test func verifyFindsAForgedAppendADeletedDenialAndADecisionWrittenBesideTheTrail() throws {
        let store = try DecisionStore()
        let r = try pendingRequest(store)
        try store.decide(r.id, approve: false, condition: nil, reason: "no", key: alice)
        #expect(try store.verifyAudit(trust: trust).ok)
        // A forged approval row appended with a correct hash, as anyone can compute it.
        store.record(AuditEvent(actor: "alice", action: "review.approve", subject: "aws_kinesis_stream.x", outcome: "RR-x: ok"))
        try store.db.write { db in
            try db.execute(sql: "DELETE FROM decision WHERE kind = 'deny'")
            try db.execute(
                sql:
                    "INSERT INTO decision (kind, fingerprint, reason, reviewer, until, time) VALUES ('waive', 'f', 'r', 'alice', '2999-01-01', 't')"
            )
        }
        let result = try store.verifyAudit(trust: trust)
        let denial = try #require(try store.auditRows().first { $0.action == "review.deny" })
        #expect(
            result.problems == [
                "row 3: a review.approve by alice that no trusted key of alice signed: it is not signed",
                "decision 2 (waiver of f by alice): it is not signed",
                "decision 2 (waiver of f by alice) has no row in the audit trail: it was written beside goldpath",
                "row \(denial.seq) records \(try #require(AuditTrailReference.of(denial.outcome))), which is no longer in the store: the decision was deleted or changed",
            ])
    }

    @Test func aCheckpointDetectsTruncationRechainingAndAnEmptiedStore() throws {
        let store = try DecisionStore()
        for i in 1...4 { store.record(AuditEvent(actor: "ci", action: "cli.check", subject: "s\(i)", outcome: "pass")) }
        let checkpoint = AuditCheckpoint.sign(seq: 4, hash: try store.auditRows()[3].hash, key: alice, time: "2026-12-07T10:00:00.000Z")
        let parsed = try AuditCheckpoint.parse(checkpoint.text, file: "head.txt")
        #expect(parsed == checkpoint)
        store.record(AuditEvent(actor: "ci", action: "cli.check", subject: "s5", outcome: "pass"))
        #expect(try store.verifyAudit(trust: trust, checkpoint: parsed).ok)
        #expect(try store.verifyAudit(trust: trust, checkpoint: parsed).unsigned == 5)

        // Rechained: row 2 edited and every hash after it recomputed, so the chain itself looks intact.
        let rechained = try DecisionStore()
        for i in 1...4 {
            rechained.record(AuditEvent(actor: "ci", action: "cli.check", subject: i == 2 ? "edited" : "s\(i)", outcome: "pass"))
        }
        #expect(try rechained.verifyAudit(trust: trust).ok)
        #expect(
            try rechained.verifyAudit(trust: trust, checkpoint: parsed).problems == [
                "row 4's hash differs from the checkpoint of 2026-12-07T10:00:00.000Z: the trail up to it was rewritten"
            ])

        let truncated = try DecisionStore()
        for i in 1...2 { truncated.record(AuditEvent(actor: "ci", action: "cli.check", subject: "s\(i)", outcome: "pass")) }
        #expect(
            try truncated.verifyAudit(trust: trust, checkpoint: parsed).problems == [
                "the checkpoint of 2026-12-07T10:00:00.000Z names row 4, but the trail ends at row 2: it was truncated or replaced"
            ])
        #expect(
            try DecisionStore().verifyAudit(trust: trust, checkpoint: parsed).problems == [
                "the checkpoint of 2026-12-07T10:00:00.000Z names row 4, but the trail is empty: the store was replaced or emptied"
            ])

        let byMallory = AuditCheckpoint.sign(seq: 2, hash: try truncated.auditRows()[1].hash, key: mallory)
        #expect(
            try truncated.verifyAudit(trust: trust, checkpoint: byMallory).problems == [
                "the checkpoint cannot be trusted: it is signed by a key the trust file does not list for mallory"
            ])
    }

    @Test func aKeyFileOthersCanReadIsRefusedAndATrustFileErrorNamesItsLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("goldpath-keys-\(UUID().uuidString)")
        let path = dir.appendingPathComponent("alice.key").path
        try alice.write(to: path)
        #expect(try ReviewerKey.load(path).publicKey == alice.publicKey)
        #expect(throws: SigningError(file: path, "a file exists there; not overwritten")) { try alice.write(to: path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: SigningError(file: path, "the key file may be read by others (mode 644); make it private with chmod 600")) {
            try ReviewerKey.load(path)
        }
        #expect(throws: SigningError(file: "trust", line: 2, "unknown key type 'rsa' (goldpath uses ed25519)")) {
            try TrustedKeys.parse("# reviewers\nbob rsa AAAA\n", file: "trust")
        }
        let parsed = try TrustedKeys.parse("\(alice.trustLine)  # platform team\n\n", file: "trust")
        #expect(parsed.keys == ["alice": [alice.publicKey]])
    }
}

/// Reads the `[decision …]` reference at the end of an audit outcome (the test's view of `decisionReference`).
enum AuditTrailReference {
    static func of(_ outcome: String) -> String? { DecisionStore.decisionReference(outcome) }
}
