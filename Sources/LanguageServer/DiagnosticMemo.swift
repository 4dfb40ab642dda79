import JSONRPC
import PolicyModel
import TextCore

/// The diagnostics last made for an open document, kept so that the next edit rebuilds only those it can change.
///
/// A diagnostic's JSON depends on its finding, on the positions of its ranges (which depend only on the text before
/// them) and on the workspace (a rule's help URL). So a finding equal to the one made at the same place last time,
/// whose ranges all lie in the document before the first byte the edit changed, has the same JSON, in the same
/// workspace generation. On a 5,000-line `.tf` with 1,925 findings this spares rebuilding most of them per keystroke.
struct DiagnosticMemo {
    /// The workspace generation the diagnostics were made in.
    var generation: Int
    /// The document version they were made for.
    var version: Int
    /// The document's text as analysed.
    var source: SourceText
    /// The document's findings, in the order sent, each with its diagnostic.
    var entries: [(finding: Finding, json: JSON)]
    /// The result id of these diagnostics (`textDocument/diagnostic`): it changes only when the diagnostics do.
    var resultId: String

    /// The diagnostics of `findings` (findings of `source`'s file), taking from this memo each one it can, and
    /// whether all of them were taken, in the same number (then they are the ones made last time).
    func diagnostics(
        _ findings: [Finding], in source: SourceText, generation: Int, make: (Finding) -> JSON
    ) -> (items: [JSON], unchanged: Bool) {
        guard generation == self.generation else { return (findings.map(make), false) }
        let unchangedBytes = ByteSearch.commonPrefix(self.source.bytes, source.bytes)
        var items: [JSON] = []
        items.reserveCapacity(findings.count)
        var taken = 0
        for (i, finding) in findings.enumerated() {
            if i < entries.count, Self.lies(finding, before: unchangedBytes, in: source.path), entries[i].finding == finding {
                items.append(entries[i].json)
                taken += 1
            } else {
                items.append(make(finding))
            }
        }
        return (items, taken == findings.count && findings.count == entries.count)
    }

    /// Whether every range of `finding` lies in `path` and ends at or before `offset`.
    static func lies(_ finding: Finding, before offset: Int, in path: String) -> Bool {
        finding.range.end <= offset && finding.related.allSatisfy { $0.file == path && $0.range.end <= offset }
    }
}
