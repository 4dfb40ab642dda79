import Foundation
import GRDB
import Rules
import TextCore

// The property names are the SQLite columns and JSON fields (snake_case by contract).
// swift-format-ignore: AlwaysUseLowerCamelCase
/// A row of the audit log.
public struct AuditRow: Codable, Sendable, Hashable, FetchableRecord {
    public var seq: Int64
    public var time: String
    public var actor: String
    public var action: String
    public var subject: String
    public var outcome: String
    public var prev_hash: String
    public var hash: String
    /// The name of the key that signed the row, its public key (base64) and its signature of `signedMessage`; nil
    /// for a row appended without a key.
    public var signer: String? = nil
    public var public_key: String? = nil
    public var signature: String? = nil

    /// What the appender signs: the row's hash, which covers its content and the whole chain before it.
    public var signedMessage: String { AuditRow.signedMessage(hash: hash) }

    static func signedMessage(hash: String) -> String { "goldpath-audit-v1\n" + hash }

    /// The hash a row must carry: SHA-256 over the previous hash and every field, including its sequence number.
    static func hash(seq: Int64, time: String, actor: String, action: String, subject: String, outcome: String, prev: String) -> String {
        SHA256.hex([prev, String(seq), time, actor, action, subject, outcome].joined(separator: "\u{1F}"))
    }
}

/// What `audit verify` found.
public struct AuditVerification: Sendable {
    /// The number of rows checked.
    public var rows: Int
    /// The hash of the last row, to anchor elsewhere (a deleted tail is only detectable against an anchor).
    public var head: String
    /// Rows appended without a key: requests, check runs and tool calls, which grant nothing.
    public var unsigned: Int = 0
    /// Each problem, naming the row or the decision.
    public var problems: [String]
    /// Whether the trail is intact.
    public var ok: Bool { problems.isEmpty }
}

extension DecisionStore: AuditLog {
    /// Appends an event, chained to the previous row's hash and signed with the store's `signer` if it has one;
    /// write errors are reported on standard error.
    public func record(_ event: AuditEvent) { record(event, signedBy: signer) }

    /// Appends an event signed with `key` (unsigned when nil).
    public func record(_ event: AuditEvent, signedBy key: ReviewerKey?) {
        // Stored exactly as hashed: SQLite's text functions stop at a NUL byte, so it is escaped at this edge.
        var event = event
        for key in [\AuditEvent.actor, \.action, \.subject, \.outcome, \.time] {
            event[keyPath: key] = event[keyPath: key].replacingOccurrences(of: "\u{0}", with: "\\u{0}")
        }
        do {
            try db.write { db in
                let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                let seq = (last?["seq"] as Int64? ?? 0) + 1
                let prev = last?["hash"] as String? ?? String(repeating: "0", count: 64)
                let hash = AuditRow.hash(
                    seq: seq, time: event.time, actor: event.actor, action: event.action, subject: event.subject, outcome: event.outcome,
                    prev: prev)
                try db.execute(
                    sql: """
                        INSERT INTO audit_log (seq, time, actor, action, subject, outcome, prev_hash, hash, signer, public_key, signature)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        seq, event.time, event.actor, event.action, event.subject, event.outcome, prev, hash, key?.name, key?.publicKey,
                        key?.sign(AuditRow.signedMessage(hash: hash)),
                    ])
            }
        } catch {
            FileHandle.standardError.write(Data("goldpath: cannot write the audit log in \(path): \(error)\n".utf8))
        }
    }

    /// The audit rows, oldest first, optionally from a time on.
    public func auditRows(since: String? = nil) throws(DecisionStoreError) -> [AuditRow] {
        do {
            return try db.read { db in
                if let since {
                    return try AuditRow.fetchAll(db, sql: "SELECT * FROM audit_log WHERE time >= ? ORDER BY seq", arguments: [since])
                }
                return try AuditRow.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY seq")
            }
        } catch {
            throw DecisionStoreError("cannot read the audit log: \(error)")
        }
    }

    /// The actions that grant or take away something: each must be signed by a trusted key of its actor.
    static let grantingActions: Set<String> = ["review.approve", "review.deny", "review.waive", "review.import"]

    /// Verifies the trail: the hash chain (modified, inserted, deleted and reordered rows), every row's signature,
    /// that each decision row has its audit row and each recorded decision is still in the store, and, given a
    /// checkpoint taken earlier, that the trail still extends it (a truncated, rechained, replaced or emptied store).
    public func verifyAudit(trust: TrustedKeys, checkpoint: AuditCheckpoint? = nil) throws(DecisionStoreError) -> AuditVerification {
        let rows = try auditRows()
        var problems: [String] = []
        var prev = String(repeating: "0", count: 64)
        var expectedSeq: Int64 = 1
        var unsigned = 0
        var recorded: [String: Int64] = [:]
        for row in rows {
            if row.seq != expectedSeq {
                problems.append("row \(row.seq): expected row \(expectedSeq) here (rows were deleted, inserted or renumbered)")
            }
            if row.prev_hash != prev {
                problems.append(
                    "row \(row.seq): its link to the previous row is broken (a row before it was changed, deleted or reordered)")
            }
            let expected = AuditRow.hash(
                seq: row.seq, time: row.time, actor: row.actor, action: row.action, subject: row.subject, outcome: row.outcome,
                prev: row.prev_hash)
            if expected != row.hash {
                problems.append("row \(row.seq): its content does not match its hash (the row was modified or forged)")
            }
            let verdict = trust.verify(
                message: row.signedMessage, signature: row.signature, publicKey: row.public_key, name: row.signer ?? "")
            if Self.grantingActions.contains(row.action) {
                if verdict != .trusted || row.signer != row.actor {
                    problems.append(
                        "row \(row.seq): a \(row.action) by \(row.actor) that no trusted key of \(row.actor) signed: \(verdict.reason)")
                }
                if let reference = Self.decisionReference(row.outcome) { recorded[reference] = row.seq }
            } else if verdict == .unsigned {
                unsigned += 1
            } else if verdict == .badSignature {
                problems.append("row \(row.seq): \(verdict.reason)")
            }
            prev = row.hash
            expectedSeq = row.seq + 1
        }
        var stored = Set<String>()
        for d in try decisions() {
            stored.insert(d.auditReference)
            let verdict = d.verdict(trust)
            if verdict != .trusted { problems.append("decision \(d.id) (\(d.summary)): \(verdict.reason)") }
            if recorded[d.auditReference] == nil {
                problems.append("decision \(d.id) (\(d.summary)) has no row in the audit trail: it was written beside goldpath")
            }
        }
        for (reference, seq) in recorded.sorted(by: { $0.value < $1.value }) where !stored.contains(reference) {
            problems.append("row \(seq) records \(reference), which is no longer in the store: the decision was deleted or changed")
        }
        if let checkpoint { problems += Self.check(checkpoint, against: rows, trust: trust) }
        return AuditVerification(rows: rows.count, head: prev, unsigned: unsigned, problems: problems)
    }

    /// The `[decision …]` reference at the end of a decision's audit outcome.
    static func decisionReference(_ outcome: String) -> String? {
        guard outcome.hasSuffix("]"), let open = outcome.range(of: "[decision ", options: .backwards) else { return nil }
        return String(outcome[outcome.index(after: open.lowerBound)..<outcome.index(before: outcome.endIndex)])
    }

    /// What is wrong with the trail measured against a checkpoint taken earlier.
    static func check(_ checkpoint: AuditCheckpoint, against rows: [AuditRow], trust: TrustedKeys) -> [String] {
        let verdict = checkpoint.verdict(trust)
        guard verdict == .trusted else { return ["the checkpoint cannot be trusted: \(verdict.reason)"] }
        if checkpoint.seq == 0 { return [] }
        guard let row = rows.first(where: { $0.seq == checkpoint.seq }) else {
            let end = rows.last?.seq ?? 0
            return [
                end == 0
                    ? "the checkpoint of \(checkpoint.time) names row \(checkpoint.seq), but the trail is empty: the store was replaced or emptied"
                    : "the checkpoint of \(checkpoint.time) names row \(checkpoint.seq), but the trail ends at row \(end): it was truncated or replaced"
            ]
        }
        guard row.hash == checkpoint.hash else {
            return ["row \(row.seq)'s hash differs from the checkpoint of \(checkpoint.time): the trail up to it was rewritten"]
        }
        return []
    }
}
