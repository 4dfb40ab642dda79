import Foundation
import GRDB
import PolicyModel
import Rules
import TextCore

// The property names are the SQLite columns and JSON fields (snake_case by contract).
// swift-format-ignore: AlwaysUseLowerCamelCase
/// A request for a human review of a change.
public struct ReviewRequest: Codable, Sendable, Hashable, FetchableRecord {
    public var id: String
    public var language: String
    public var subject_type: String
    public var subject: String
    public var file: String
    public var fingerprint: String
    public var snippet: String
    public var requester: String
    public var justification: String
    public var time: String
    /// `pending`, `approved` or `denied`.
    public var status: String
}

// The property names are the SQLite columns and JSON fields (snake_case by contract).
// swift-format-ignore: AlwaysUseLowerCamelCase
/// A reviewer's decision.
public struct Decision: Codable, Sendable, Hashable, FetchableRecord {
    public var id: Int64
    /// `approve`, `deny` or `waive`.
    public var kind: String
    public var request_id: String?
    public var language: String?
    public var subject_type: String?
    public var subject: String?
    public var fingerprint: String?
    public var rule_id: String?
    /// The CEL condition of an approval.
    public var condition: String?
    public var reason: String
    public var reviewer: String
    /// The expiry date of a waiver (YYYY-MM-DD).
    public var until: String?
    public var time: String
    /// The reviewer's Ed25519 signature of `signedMessage` (base64); nil for a decision nobody signed.
    public var signature: String? = nil
    /// The public key (base64) that made `signature`.
    public var public_key: String? = nil
}

extension DecisionStore {
    /// Whether `name` is a plain subject type or language name (`resource.aws_s3_bucket`, `helm.workload`).
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 200
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_.-/".unicodeScalars.contains($0)
            }
    }

    /// Records a request, or returns the open one for the same subject and content (`merged` true).
    public func requestReview(
        language: String, subjectType: String, subject: String, file: String, fingerprint: String, snippet: String, requester: String,
        justification: String
    ) throws(DecisionStoreError) -> (request: ReviewRequest, merged: Bool) {
        // The subject type and language become a learned golden path's `select` and `language`: only names made
        // of the characters resource types and languages use are accepted.
        for (what, name) in [("subject type", subjectType), ("language", language)] where !DecisionStore.isPlainName(name) {
            throw DecisionStoreError(
                "cannot request a review of \(what) \(Value.quote(name)): it may hold only letters, digits and _ . - /")
        }
        let id = "RR-" + String(SHA256.hex("\(subject)\u{0}\(fingerprint)").prefix(8))
        do {
            let result = try db.write { db -> (ReviewRequest, Bool) in
                if let open = try ReviewRequest.fetchOne(db, sql: "SELECT * FROM review_request WHERE id = ?", arguments: [id]) {
                    return (open, true)
                }
                let request = ReviewRequest(
                    id: id, language: language, subject_type: subjectType, subject: subject, file: file, fingerprint: fingerprint,
                    snippet: snippet, requester: requester, justification: justification, time: DecisionStore.now(), status: "pending")
                try db.execute(
                    sql: """
                        INSERT INTO review_request (id, language, subject_type, subject, file, fingerprint, snippet, requester, justification, time, status)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        id, language, subjectType, subject, file, fingerprint, snippet, requester, justification, request.time, "pending",
                    ])
                return (request, false)
            }
            record(
                AuditEvent(
                    actor: requester, action: "review.request", subject: subject, outcome: result.1 ? "merged into \(id)" : "opened \(id)"))
            return result
        } catch {
            throw DecisionStoreError("cannot record the review request: \(error)")
        }
    }

    /// Review requests, newest first, optionally with one status.
    public func requests(status: String? = nil) throws(DecisionStoreError) -> [ReviewRequest] {
        do {
            return try db.read { db in
                if let status {
                    return try ReviewRequest.fetchAll(
                        db, sql: "SELECT * FROM review_request WHERE status = ? ORDER BY time DESC", arguments: [status])
                }
                return try ReviewRequest.fetchAll(db, sql: "SELECT * FROM review_request ORDER BY time DESC")
            }
        } catch {
            throw DecisionStoreError("cannot read review requests: \(error)")
        }
    }

    /// One request by id.
    public func request(_ id: String) throws(DecisionStoreError) -> ReviewRequest? {
        do {
            return try db.read { db in try ReviewRequest.fetchOne(db, sql: "SELECT * FROM review_request WHERE id = ?", arguments: [id]) }
        } catch {
            throw DecisionStoreError("cannot read review request \(id): \(error)")
        }
    }

    /// Every decision, oldest first.
    public func decisions() throws(DecisionStoreError) -> [Decision] {
        do {
            return try db.read { db in try Decision.fetchAll(db, sql: "SELECT * FROM decision ORDER BY id") }
        } catch {
            throw DecisionStoreError("cannot read decisions: \(error)")
        }
    }

    /// Approves or denies a pending request (`condition` only for approvals), signed with the reviewer's key.
    public func decide(_ id: String, approve: Bool, condition: String?, reason: String, key: ReviewerKey) throws(DecisionStoreError) {
        guard let request = try request(id) else { throw DecisionStoreError("no review request \(id)") }
        guard request.status == "pending" else { throw DecisionStoreError("review request \(id) is already \(request.status)") }
        var decision = Decision(
            id: 0, kind: approve ? "approve" : "deny", request_id: id, language: request.language, subject_type: request.subject_type,
            subject: request.subject, fingerprint: request.fingerprint, rule_id: nil, condition: condition, reason: reason,
            reviewer: key.name, until: nil, time: DecisionStore.now())
        decision.sign(with: key)
        // The status is claimed and the decision stored in one write transaction: of two reviewers deciding at
        // once, exactly one claims the pending request; the other finds it decided.
        var decidedBy: String?
        do {
            try db.write { db in
                try db.execute(
                    sql: "UPDATE review_request SET status = ? WHERE id = ? AND status = 'pending'",
                    arguments: [approve ? "approved" : "denied", id])
                guard db.changesCount == 1 else {
                    decidedBy = try String.fetchOne(db, sql: "SELECT status FROM review_request WHERE id = ?", arguments: [id])
                    return
                }
                try insert(decision, db)
            }
        } catch {
            throw DecisionStoreError("cannot record the decision: \(error)")
        }
        if let decidedBy { throw DecisionStoreError("review request \(id) is already \(decidedBy)") }
        record(
            AuditEvent(
                actor: key.name, action: approve ? "review.approve" : "review.deny", subject: request.subject,
                outcome: "\(id)" + (condition.map { " when \($0)" } ?? "") + ": \(reason) [\(decision.auditReference)]"),
            signedBy: key)
    }

    /// Stores a signed decision row.
    func insert(_ d: Decision, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO decision (kind, request_id, language, subject_type, subject, fingerprint, rule_id, condition, reason, reviewer,
                  until, time, signature, public_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                d.kind, d.request_id, d.language, d.subject_type, d.subject, d.fingerprint, d.rule_id, d.condition, d.reason, d.reviewer,
                d.until, d.time, d.signature, d.public_key,
            ])
    }

    /// Waives one finding (by fingerprint) until a date, signed with the reviewer's key.
    public func waive(fingerprint: String, until: String, reason: String, key: ReviewerKey) throws(DecisionStoreError) {
        var decision = Decision(
            id: 0, kind: "waive", request_id: nil, language: nil, subject_type: nil, subject: nil, fingerprint: fingerprint, rule_id: nil,
            condition: nil, reason: reason, reviewer: key.name, until: until, time: DecisionStore.now())
        decision.sign(with: key)
        do {
            try db.write { db in try insert(decision, db) }
        } catch {
            throw DecisionStoreError("cannot record the waiver: \(error)")
        }
        record(
            AuditEvent(
                actor: key.name, action: "review.waive", subject: fingerprint,
                outcome: "until \(until): \(reason) [\(decision.auditReference)]"),
            signedBy: key)
    }

    /// Unexpired waivers signed by a trusted reviewer: fingerprint → expiry date.
    public func waivers(today: String, trust: TrustedKeys) throws(DecisionStoreError) -> [String: String] {
        var out: [String: String] = [:]
        for d in try decisionsInForce(trust: trust).honoured where d.kind == "waive" {
            guard let f = d.fingerprint, let until = d.until, until >= today else { continue }
            out[f] = max(out[f] ?? "", until)
        }
        return out
    }
}

/// The store's decisions as `check` applies them: approvals and waivers only when a trusted reviewer signed them.
public struct DecisionsInForce: Sendable {
    /// The decisions applied: trusted approvals and waivers, and every denial (a denial only makes checks stricter,
    /// so one that is not trusted is applied too, and reported).
    public var honoured: [Decision] = []
    /// Approvals and waivers not applied, with the reason.
    public var ignored: [(decision: Decision, verdict: SignatureVerdict)] = []
    /// Denials applied although no trusted reviewer signed them.
    public var unverifiedDenials: [(decision: Decision, verdict: SignatureVerdict)] = []

    /// One report line per decision not signed by a trusted reviewer.
    public var problems: [String] {
        ignored.map { "decision \($0.decision.id) (\($0.decision.summary)) is ignored: \($0.verdict.reason)" }
            + unverifiedDenials.map {
                "decision \($0.decision.id) (\($0.decision.summary)) is applied although \($0.verdict.reason): a denial only adds findings"
            }
    }
}

extension DecisionStore {
    /// Sorts the decisions by whether `trust` vouches for them.
    public func decisionsInForce(trust: TrustedKeys) throws(DecisionStoreError) -> DecisionsInForce {
        var out = DecisionsInForce()
        for d in try decisions() {
            let verdict = d.verdict(trust)
            if verdict == .trusted {
                out.honoured.append(d)
            } else if d.kind == "deny" {
                out.honoured.append(d)
                out.unverifiedDenials.append((d, verdict))
            } else {
                out.ignored.append((d, verdict))
            }
        }
        return out
    }
}

extension DecisionStore {
    /// A token that changes whenever a decision is recorded (approve, deny, waive, import): a long-running
    /// front end reloads its learned golden paths and waivers when it differs from the one it loaded with.
    public func decisionsToken() -> String {
        (try? db.read { db in
            try String.fetchOne(db, sql: "SELECT count(*) || ':' || ifnull(max(id), 0) FROM decision")
        }) ?? "unreadable"
    }
}
