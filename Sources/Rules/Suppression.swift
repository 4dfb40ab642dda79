import Foundation
import PolicyModel
import TextCore

/// A parsed suppression comment: goldpath's own or another tool's.
public struct Suppression: Sendable, Hashable {
    /// The comment it was read from.
    public var comment: SuppressionComment
    /// Rule ids (ours or another tool's), or `*`.
    public var ruleIds: [String]
    /// The mandatory reason (goldpath comments only).
    public var reason: String?
    /// The expiry date `YYYY-MM-DD`, if any.
    public var until: String?
    /// Whether the comment is another tool's (`checkov:skip`, `tfsec:ignore`, ...).
    public var isForeign: Bool
    /// Why the comment is malformed, if it is.
    public var problem: String?
    /// Whether it covers its whole file (`-- squawk-ignore-file [rules]`); an empty `ruleIds` then means
    /// every rule that answers to a squawk name.
    public var fileWide: Bool = false
}

/// Reads suppression comments.
///
/// goldpath's syntax is `goldpath:ignore RULE[,RULE...] reason="..." [until=YYYY-MM-DD]`,
/// with `*` for every suppressible rule. Other tools' comments are honoured:
/// `checkov:skip=ID[:reason]`, `tfsec:ignore:ID`, `trivy:ignore:ID`,
/// `kics-scan ignore-line`, `squawk-ignore ID[, ID]`.
public enum SuppressionParser {
    /// The suppression in `comment`, or nil if the comment is not one of goldpath's or of one of `dialects`.
    public static func parse(_ comment: SuppressionComment, dialects: [SuppressionDialect]) -> Suppression? {
        // Most comments are prose; a byte scan rules them out before any Foundation string search.
        guard SuppressionComment.mayBeSuppression(comment.text) else { return nil }
        let text = comment.text.trimmingCharacters(in: .whitespaces)
        if let r = text.range(of: "goldpath:ignore") {
            return parseOwn(String(text[r.upperBound...]), comment: comment)
        }
        let prefixes: [(SuppressionDialect, String)] = [(.checkov, "checkov:skip="), (.tfsec, "tfsec:ignore:"), (.trivy, "trivy:ignore:")]
        for (dialect, prefix) in prefixes where dialects.contains(dialect) {
            if let r = text.range(of: prefix) {
                let rest = text[r.upperBound...]
                let parts = rest.split(separator: ":", maxSplits: 1)
                let id = parts.first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
                let reason = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : nil
                return Suppression(
                    comment: comment, ruleIds: [id], reason: reason, until: nil, isForeign: true, problem: id.isEmpty ? "no rule id" : nil)
            }
        }
        guard dialects.contains(.squawk) else { return nil }
        if let r = text.range(of: "squawk-ignore-file") {
            let ids = text[r.upperBound...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return Suppression(comment: comment, ruleIds: ids, reason: nil, until: nil, isForeign: true, problem: nil, fileWide: true)
        }
        if let r = text.range(of: "squawk-ignore") {
            let ids = text[r.upperBound...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return Suppression(
                comment: comment, ruleIds: ids, reason: nil, until: nil, isForeign: true, problem: ids.isEmpty ? "no rule id" : nil)
        }
        return nil
    }

    private static func parseOwn(_ rest: String, comment: SuppressionComment) -> Suppression {
        var s = Suppression(comment: comment, ruleIds: [], reason: nil, until: nil, isForeign: false, problem: nil)
        var chars = Substring(rest)
        func skipSpace() { while let c = chars.first, c == " " || c == "\t" { chars = chars.dropFirst() } }
        skipSpace()
        var ids = ""
        while let c = chars.first, c != " ", c != "\t" {
            ids.append(c)
            chars = chars.dropFirst()
        }
        s.ruleIds = ids.split(separator: ",").map(String.init).filter { !$0.isEmpty }
        if s.ruleIds.isEmpty || s.ruleIds.contains(where: { $0.contains("=") }) {
            s.ruleIds = s.ruleIds.filter { !$0.contains("=") }
            s.problem = "names no rule: write goldpath:ignore RULE-ID reason=\"...\""
        }
        while true {
            skipSpace()
            guard !chars.isEmpty else { break }
            var key = ""
            while let c = chars.first, c != "=", c != " " {
                key.append(c)
                chars = chars.dropFirst()
            }
            guard chars.first == "=" else {
                s.problem = s.problem ?? "unexpected '\(key)': options are reason=\"...\" and until=YYYY-MM-DD"
                break
            }
            chars = chars.dropFirst()
            var value = ""
            if let q = chars.first, q == "\"" || q == "'" {
                chars = chars.dropFirst()
                var closed = false
                while let c = chars.first {
                    chars = chars.dropFirst()
                    if c == q {
                        closed = true
                        break
                    }
                    value.append(c)
                }
                if !closed { s.problem = s.problem ?? "unterminated quote in \(key)=" }
            } else {
                while let c = chars.first, c != " " {
                    value.append(c)
                    chars = chars.dropFirst()
                }
            }
            switch key {
            case "reason": s.reason = value
            case "until":
                if isDate(value) { s.until = value } else { s.problem = s.problem ?? "until=\(value) is not a date (YYYY-MM-DD)" }
            default: s.problem = s.problem ?? "unknown option '\(key)': options are reason=\"...\" and until=YYYY-MM-DD"
            }
        }
        if s.problem == nil && (s.reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            s.problem = "a reason is mandatory: add reason=\"why this is acceptable\""
        }
        return s
    }

    static func isDate(_ text: String) -> Bool { CalendarDate.isValid(text) }
}
