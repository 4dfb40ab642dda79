import Foundation
import PolicyModel
import Rules

extension DecisionStore {
    /// The decisions as a rule pack: each approval a learned golden path for its subject type (its CEL conditions
    /// are the rule), each denial a golden path that flags the denied subject. Loaded next to the packs, and
    /// written by `goldpath review export` for code review in git.
    public func learnedPack() throws(DecisionStoreError) -> String {
        var out = """
            # Learned golden paths: generated from the decisions of human reviewers (goldpath review export).
            pack: learned
            learned: true
            golden_paths:

            """
        var any = false
        for d in try decisions() where d.kind != "waive" {
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
        "    decision:\n      kind: \(d.kind)\n      request: \(yaml(requestID))\n      reviewer: \(yaml(d.reviewer))\n"
            + "      time: \(yaml(d.time))"
    }
}

extension DecisionStore {
    /// Reads a learned pack (as `export` writes it) back into decisions; returns how many were new.
    ///
    /// Each `learned-RR-…` golden path becomes an approval with its rule's condition, each
    /// `denied-RR-…` a denial of the subject its `when` names. The reviewer and time come from the path's
    /// `decision:` record (packs exported before it existed: the importer and now); the audit row names the
    /// importer. A decision already in the store is skipped.
    public func importLearned(_ pack: RulePack, importedBy: String) throws(DecisionStoreError) -> Int {
        let existing = Set(try decisions().compactMap(\.request_id))
        var added = 0
        for path in pack.goldenPaths {
            let approve = path.id.hasPrefix("learned-")
            guard approve || path.id.hasPrefix("denied-"), let rule = path.rules.first, let type = path.select.first else { continue }
            let requestID = String(path.id.drop { $0 != "-" }.dropFirst())
            guard !existing.contains(requestID) else { continue }
            var subject: String?
            if let when = path.when?.program.source, let open = when.firstIndex(of: "\"") {
                subject = Self.celUnquote(when[open...])
            }
            do {
                try db.write { db in
                    try db.execute(
                        sql: """
                            INSERT INTO decision (kind, request_id, language, subject_type, subject, condition, reason, reviewer, time)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            approve ? "approve" : "deny", requestID, path.language, type, subject,
                            approve ? rule.require.program.source : nil, rule.rationale ?? path.title,
                            path.decision?.reviewer ?? importedBy,
                            path.decision?.time ?? DecisionStore.now(),
                        ])
                }
            } catch {
                throw DecisionStoreError("cannot import \(path.id): \(error)")
            }
            let decidedBy = path.decision.map { " (decided by \($0.reviewer) at \($0.time))" } ?? ""
            record(AuditEvent(actor: importedBy, action: "review.import", subject: type, outcome: path.id + decidedBy))
            added += 1
        }
        return added
    }
}
