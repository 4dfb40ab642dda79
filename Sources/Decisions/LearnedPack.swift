import Foundation
import PolicyModel
import Rules

extension DecisionStore {
    /// The decisions as a rule pack: each approval a learned golden path for its subject type (its CEL conditions
    /// are the rule), each denial a golden path that flags the denied subject. Loaded next to the packs, and
    /// written by `goldpath review export` for code review in git.
    ///
    /// Only the decisions `trust` lets apply are written (`decisionsInForce`), each with its signature so that
    /// `review import` can check it in another store.
    public func learnedPack(trust: TrustedKeys) throws(DecisionStoreError) -> String {
        var out = """
            # Learned golden paths: generated from the decisions of human reviewers (goldpath review export).
            pack: learned
            learned: true
            golden_paths:

            """
        var any = false
        for d in try decisionsInForce(trust: trust).honoured where d.kind != "waive" {
            guard let type = d.subject_type, let language = d.language, let requestID = d.request_id else { continue }
            any = true
            let ruleID = (d.kind == "approve" ? "LEARNED-" : "DENIED-") + requestID.replacingOccurrences(of: "RR-", with: "")
            let date = String(d.time.prefix(10))
            if d.kind == "approve" {
                let condition = d.condition ?? "true"
                out += """
                      - id: learned-\(requestID)
                        title: \(yaml("Approved by \(d.reviewer) on \(date) (\(requestID)): \(d.reason)"))
                        language: \(yaml(language))
                        select: \(yaml(type))
                    \(decisionRecord(d, requestID: requestID))
                        rules:
                          - id: \(ruleID)
                            title: \(yaml("Reviewer's conditions for \(type)"))
                            severity: error
                            require: \(yaml(condition))
                            message: \(yaml("\(type) is approved by \(d.reviewer) (\(requestID)) only when \(condition); this change does not meet it."))
                            rationale: \(yaml(d.reason))

                    """
            } else {
                out += """
                      - id: denied-\(requestID)
                        title: \(yaml("Denied by \(d.reviewer) on \(date) (\(requestID)): \(d.reason)"))
                        language: \(yaml(language))
                        select: \(yaml(type))
                        when: \(yaml("subject.address == \(Value.quote(d.subject ?? ""))"))
                    \(decisionRecord(d, requestID: requestID))
                        rules:
                          - id: \(ruleID)
                            title: \(yaml("Denied change to \(d.subject ?? type)"))
                            severity: error
                            suppressible: false
                            require: "false"
                            message: \(yaml("\(d.reviewer) denied this change (\(requestID)): \(d.reason)"))
                            rationale: \(yaml(d.reason))

                    """
            }
        }
        if !any { out += "  []\n" }
        return out
    }

    private func yaml(_ s: String) -> String { Value.quote(s) }

    /// The text of the CEL string literal `literal` (as `Value.quote` writes it: JSON escapes are CEL escapes), or
    /// nil when it is not one.
    static func celUnquote(_ literal: Substring) -> String? {
        var scalars = literal.unicodeScalars.makeIterator()
        guard scalars.next() == "\"" else { return nil }
        var out = String.UnicodeScalarView()
        while let c = scalars.next() {
            switch c {
            case "\"": return String(out)
            case "\\":
                switch scalars.next() {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "u":
                    var hex = ""
                    for _ in 0..<4 { if let h = scalars.next() { hex.unicodeScalars.append(h) } }
                    guard let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else { return nil }
                    out.append(scalar)
                default: return nil
                }
            default: out.append(c)
            }
        }
        return nil
    }

    /// The `decision:` record of a learned golden path (indented for its place under the path), so
    /// `review import` keeps the reviewer and the time.
    private func decisionRecord(_ d: Decision, requestID: String) -> String {
        var lines = [
            "    decision:", "      kind: \(d.kind)", "      request: \(yaml(requestID))", "      reviewer: \(yaml(d.reviewer))",
            "      time: \(yaml(d.time))",
        ]
        if let subject = d.subject { lines.append("      subject: \(yaml(subject))") }
        if let fingerprint = d.fingerprint { lines.append("      fingerprint: \(yaml(fingerprint))") }
        if let condition = d.condition { lines.append("      condition: \(yaml(condition))") }
        lines.append("      reason: \(yaml(d.reason))")
        if let signature = d.signature, let key = d.public_key {
            lines += ["      signature: \(yaml(signature))", "      key: \(yaml(key))"]
        }
        return lines.joined(separator: "\n")
    }
}

/// What `review import` did with a learned pack.
public struct ImportResult: Sendable, Equatable {
    /// Decisions added with their original reviewer's trusted signature.
    public var added = 0
    /// Decisions added as the importer's own, signed with the importer's key (`signAsImporter`).
    public var signedByImporter = 0
    /// Decisions already in the store.
    public var alreadyPresent = 0
    /// Golden paths not imported, each with the reason (no trusted signature).
    public var refused: [String] = []
}

extension DecisionStore {
    /// Reads a learned pack (as `export` writes it) back into decisions.
    ///
    /// Each `learned-RR-…` golden path becomes an approval with its rule's condition, each `denied-RR-…` a denial
    /// of the subject its `when` names. A path whose `decision:` record carries a signature that `trust` vouches for
    /// keeps its reviewer, time and signature. Any other path is refused, unless `signAsImporter`: then it becomes
    /// the importer's own decision, signed with `key`. The audit rows are signed with `key`. A decision already in
    /// the store is skipped.
    public func importLearned(_ pack: RulePack, key: ReviewerKey, trust: TrustedKeys, signAsImporter: Bool = false)
        throws(DecisionStoreError) -> ImportResult
    {
        let existing = Set(try decisions().compactMap(\.request_id))
        var result = ImportResult()
        for path in pack.goldenPaths {
            let approve = path.id.hasPrefix("learned-")
            guard approve || path.id.hasPrefix("denied-"), let rule = path.rules.first, let type = path.select.first else { continue }
            let requestID = String(path.id.drop { $0 != "-" }.dropFirst())
            guard !existing.contains(requestID) else {
                result.alreadyPresent += 1
                continue
            }
            var subject: String?
            if let when = path.when?.program.source, let open = when.firstIndex(of: "\"") {
                subject = Self.celUnquote(when[open...])
            }
            let signed = path.decision
            var decision = Decision(
                id: 0, kind: approve ? "approve" : "deny", request_id: requestID, language: path.language, subject_type: type,
                subject: signed?.subject ?? subject, fingerprint: signed?.fingerprint, rule_id: nil,
                condition: approve ? (signed == nil ? rule.require.program.source : signed?.condition) : nil,
                reason: signed?.reason ?? rule.rationale ?? path.title, reviewer: signed?.reviewer ?? key.name,
                until: nil, time: signed?.time ?? DecisionStore.now(), signature: signed?.signature, public_key: signed?.key)
            let verdict = decision.verdict(trust)
            var outcome = path.id
            if verdict == .trusted {
                result.added += 1
                outcome += " (decided by \(decision.reviewer) at \(decision.time))"
            } else if signAsImporter {
                let original = decision.reviewer
                decision.time = DecisionStore.now()
                decision.sign(with: key)
                result.signedByImporter += 1
                outcome += " (signed by the importer; the pack named \(original), but \(verdict.reason))"
            } else {
                result.refused.append("\(path.id) (by \(decision.reviewer)): \(verdict.reason)")
                continue
            }
            do {
                try db.write { db in try insert(decision, db) }
            } catch {
                throw DecisionStoreError("cannot import \(path.id): \(error)")
            }
            record(
                AuditEvent(actor: key.name, action: "review.import", subject: type, outcome: outcome + " [\(decision.auditReference)]"),
                signedBy: key)
        }
        return result
    }
}
