import Decisions
import Rules

/// The human side of the review loop, for the CLI's `review` and `audit` commands: the decisions store of
/// this workspace, or the reason it is unavailable as the error of every call.
extension Workspace {
    /// The store, or why there is none.
    private func store() throws(DecisionStoreError) -> DecisionStore {
        guard let decisions else { throw DecisionStoreError(decisionsError ?? "the decisions store is unavailable") }
        return decisions
    }

    /// Review requests, newest first, optionally with one status.
    public func reviewRequests(status: String? = nil) throws(DecisionStoreError) -> [ReviewRequest] {
        try store().requests(status: status)
    }

    /// One review request.
    public func reviewRequest(_ id: String) throws(DecisionStoreError) -> ReviewRequest? { try store().request(id) }

    /// Approves (with an optional CEL condition that becomes a learned golden path) or denies a request.
    /// The decision is signed with the reviewer's `key`.
    public func decide(_ id: String, approve: Bool, condition: String?, reason: String, key: ReviewerKey) throws(DecisionStoreError) {
        try store().decide(id, approve: approve, condition: condition, reason: reason, key: key)
    }

    /// Waives one finding until a date, signed with the reviewer's `key`.
    public func waive(fingerprint: String, until: String, reason: String, key: ReviewerKey) throws(DecisionStoreError) {
        try store().waive(fingerprint: fingerprint, until: until, reason: reason, key: key)
    }

    /// The learned golden paths that the trusted keys let apply, as a rule pack's text.
    public func learnedPackText() throws(DecisionStoreError) -> String { try store().learnedPack(trust: trust) }

    /// Reads a learned pack (as `learnedPackText` writes it) back into the store: decisions signed by a trusted
    /// reviewer keep their signature; others are refused, or taken as the importer's own with `signAsImporter`.
    public func importLearned(_ pack: RulePack, key: ReviewerKey, signAsImporter: Bool) throws(DecisionStoreError) -> ImportResult {
        try store().importLearned(pack, key: key, trust: trust, signAsImporter: signAsImporter)
    }

    /// The audit trail, optionally from a time on.
    public func auditRows(since: String? = nil) throws(DecisionStoreError) -> [AuditRow] { try store().auditRows(since: since) }

    /// Verifies the audit trail (chain, signatures, decisions), optionally against a checkpoint taken earlier.
    public func verifyAudit(checkpoint: AuditCheckpoint? = nil) throws(DecisionStoreError) -> AuditVerification {
        try store().verifyAudit(trust: trust, checkpoint: checkpoint)
    }

    /// A checkpoint of the audit trail's head, signed with `key`.
    public func auditCheckpoint(key: ReviewerKey) throws(DecisionStoreError) -> AuditCheckpoint {
        let rows = try store().auditRows()
        return AuditCheckpoint.sign(seq: rows.last?.seq ?? 0, hash: rows.last?.hash ?? String(repeating: "0", count: 64), key: key)
    }
}

extension Workspace {
    /// Why the decisions store is unavailable, or nil when it is open.
    public var decisionsUnavailable: String? { decisions == nil ? (decisionsError ?? "the decisions store is unavailable") : nil }
}
