import Analysis
import Foundation
import JSONRPC

/// A tool's result: a short text summary and compact structured content.
struct ToolOutput: Sendable {
    var summary: String
    var structured: JSON

    /// `value` as structured content: its JSON encoding.
    static func structured<T: Encodable>(_ value: T) throws(ToolError) -> JSON {
        guard let data = try? JSONEncoder().encode(value), let json = try? JSONParser.parse(data) else {
            throw ToolError("cannot encode the result")
        }
        return json
    }
}

/// A 1-based position.
struct PositionOut: Codable, Sendable {
    var line: Int
    var column: Int
}

// The property names are the JSON fields of the published output (snake_case by contract).
// swift-format-ignore: AlwaysUseLowerCamelCase
/// A finding as tools return it.
struct FindingOut: Codable, Sendable {
    var rule: String
    var golden_path: String?
    var severity: String
    var message: String
    var file: String
    var start: PositionOut
    var end: PositionOut
    var fixable: Bool
    var fingerprint: String
    var related: [String]?

    init(_ f: Finding, sources: [String: SourceText], sandbox: Sandbox) {
        let s = sources[f.file]
        let a = s?.humanPosition(of: f.range.start) ?? (line: 1, column: 1)
        let b = s?.humanPosition(of: f.range.end) ?? (line: 1, column: 1)
        rule = f.ruleId
        golden_path = f.goldenPath
        severity = f.severity.rawValue
        message = f.message
        file = sandbox.display(f.file)
        start = PositionOut(line: a.line, column: a.column)
        end = PositionOut(line: b.line, column: b.column)
        fixable = f.fix != nil
        fingerprint = f.fingerprint
        related =
            f.related.isEmpty
            ? nil
            : f.related.map { r in
                let p = sources[r.file]?.humanPosition(of: r.range.start) ?? (line: 1, column: 1)
                return "\(sandbox.display(r.file)):\(p.line):\(p.column): \(r.message)"
            }
    }
}

/// Fits a list into the token budget: the items that fit from `offset`, and the cursor of the rest.
enum Paging {
    /// About four characters per token.
    static let charactersPerToken = 4

    static func page<T: Encodable>(_ items: [T], from cursor: String?, budgetCharacters: Int) throws(ToolError) -> (
        items: [T], next: String?
    ) {
        var offset = 0
        if let cursor {
            guard let n = Int(cursor), n >= 0, n <= items.count else {
                throw ToolError("field 'cursor': \(cursor) is not a cursor this tool returned")
            }
            offset = n
        }
        let encoder = JSONEncoder()
        var used = 0
        var out: [T] = []
        for item in items[offset...] {
            let size = ((try? encoder.encode(item))?.count ?? 200) + 1
            if used + size > budgetCharacters && !out.isEmpty { break }
            used += size
            out.append(item)
        }
        let end = offset + out.count
        return (out, end < items.count ? String(end) : nil)
    }
}

extension Array where Element == Finding {
    /// "3 findings (2 errors, 1 warning)".
    var countSummary: String {
        let by = Dictionary(grouping: self, by: \.severity).mapValues(\.count)
        let parts = Severity.allCases.reversed().compactMap { s in by[s].map { "\($0) \(s.rawValue)\($0 == 1 ? "" : "s")" } }
        return "\(count) finding\(count == 1 ? "" : "s")" + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))")
    }
}
