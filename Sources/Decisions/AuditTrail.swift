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
    /// Each broken link, naming the row.
    public var problems: [String]
    /// Whether the chain is intact.
    public var ok: Bool { problems.isEmpty }
}

extension DecisionStore: AuditLog {
    /// Appends an event, chained to the previous row's hash; write errors are reported on standard error.
    public func record(_ event: AuditEvent) {
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
                    sql:
                        "INSERT INTO audit_log (seq, time, actor, action, subject, outcome, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [seq, event.time, event.actor, event.action, event.subject, event.outcome, prev, hash])
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

    /// Recomputes the chain: detects modified, inserted, deleted and reordered rows.
    public func verifyAudit() throws(DecisionStoreError) -> AuditVerification {
        let rows = try auditRows()
        var problems: [String] = []
        var prev = String(repeating: "0", count: 64)
        var expectedSeq: Int64 = 1
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
            prev = row.hash
            expectedSeq = row.seq + 1
        }
        return AuditVerification(rows: rows.count, head: prev, problems: problems)
    }
}
