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
    public func decide(_ id: String, approve: Bool, condition: String?, reason: String, reviewer: String) throws(DecisionStoreError) {
        try store().decide(id, approve: approve, condition: condition, reason: reason, reviewer: reviewer)
    }

    /// Waives one finding until a date.
    public func waive(fingerprint: String, until: String, reason: String, reviewer: String) throws(DecisionStoreError) {
        try store().waive(fingerprint: fingerprint, until: until, reason: reason, reviewer: reviewer)
    }

    /// The learned golden paths as a rule pack's text.
    public func learnedPackText() throws(DecisionStoreError) -> String { try store().learnedPack() }

    /// Reads a learned pack (as `learnedPackText` writes it) back into the store; returns how many decisions were added.
    public func importLearned(_ pack: RulePack, importedBy: String) throws(DecisionStoreError) -> Int {
        try store().importLearned(pack, importedBy: importedBy)
    }

    /// The audit trail, optionally from a time on.
    public func auditRows(since: String? = nil) throws(DecisionStoreError) -> [AuditRow] { try store().auditRows(since: since) }

    /// Recomputes the audit trail's hash chain.
    public func verifyAudit() throws(DecisionStoreError) -> AuditVerification { try store().verifyAudit() }
}

extension Workspace {
    /// Why the decisions store is unavailable, or nil when it is open.
    public var decisionsUnavailable: String? { decisions == nil ? (decisionsError ?? "the decisions store is unavailable") : nil }
}
