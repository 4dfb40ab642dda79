import TextCore

extension Decision {
    /// The exact bytes a reviewer signs: every field that gives the decision its effect, each length-prefixed so
    /// no two different decisions share a message. The row id is left out (it differs between stores).
    public var signedMessage: String {
        let fields: [String?] = [
            kind, request_id, language, subject_type, subject, fingerprint, rule_id, condition, reason, reviewer, until, time,
        ]
        return "goldpath-decision-v1\n"
            + fields.map { field in field.map { "\($0.utf8.count):\($0)" } ?? "-" }.joined(separator: "\n")
    }

    /// Signs the decision with `key`: the reviewer becomes the key's name.
    mutating func sign(with key: ReviewerKey) {
        reviewer = key.name
        public_key = key.publicKey
        signature = key.sign(signedMessage)
    }

    /// Whether the decision's signature verifies against a trusted key of its reviewer.
    public func verdict(_ trust: TrustedKeys) -> SignatureVerdict {
        trust.verify(message: signedMessage, signature: signature, publicKey: public_key, name: reviewer)
    }

    /// A short, stable reference to the signed decision that its audit row carries, so `audit verify` can tell a
    /// decision deleted from the store, or one inserted beside the audit trail.
    public var auditReference: String { "decision " + String(TextCore.SHA256.hex(signature ?? signedMessage).prefix(16)) }

    /// One line naming the decision for reports: "waiver of 1a2b… by carol", "approval of RR-1a2b3c4d by alice".
    public var summary: String {
        switch kind {
        case "waive": "waiver of \(fingerprint ?? "?") by \(reviewer)"
        case "approve": "approval of \(request_id ?? "?") by \(reviewer)"
        default: "denial of \(request_id ?? "?") by \(reviewer)"
        }
    }
}
