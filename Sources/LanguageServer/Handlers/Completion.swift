import Analysis
import Foundation
import JSONRPC

extension LanguageServer {
    /// `textDocument/completion`: where a rule of a golden path covering the subject restricts the value
    /// being written to a list (`allowed_values`), those values — guidance before the deviation happens.
    func completion(_ params: TextDocumentPositionParams) throws -> JSON {
        let (_, report, s) = try document(params.textDocument)
        let position = params.position
        guard let ws = workspace else { return .array([]) }
        let offset = codec.offset(position, in: s.lineIndex)
        let line = s.lineIndex.line(containing: offset)
        let lineRange = s.lineIndex.contentRange(ofLine: line)
        guard let syntax = ws.valueSyntax(of: report.unit.language),
            let entry = ValueEntry(line: s.slice(lineRange), separator: syntax.separator),
            offset - lineRange.start >= entry.valueStart
        else { return .array([]) }
        guard let subject = enclosingSubject(at: offset, line: line, in: s, report: report) else { return .array([]) }
        var items: [JSON] = []
        var seen = Set<String>()
        for path in ws.applicablePaths(for: subject, in: report) {
            for rule in path.rules where !rule.allowedValues.isEmpty && rule.at?.lastKey == entry.key {
                for value in rule.allowedValues {
                    let text = value.stringValue ?? value.canonical
                    guard seen.insert(text).inserted else { continue }
                    let newText = syntax.literal(text)
                    let replace = SourceRange(start: lineRange.start + entry.valueStart, end: lineRange.start + entry.valueEnd)
                    items.append(
                        .object([
                            "label": .string(text), "kind": .number(12), "filterText": .string(newText),
                            "detail": .string("allowed by \(rule.id) (\(path.title))"),
                            "documentation": .string(rule.title),
                            "sortText": .string(String(format: "%04d", items.count)),
                            "textEdit": .object(["range": codec.range(replace, in: s.lineIndex).json, "newText": .string(newText)]),
                        ]))
                }
            }
        }
        return .object(["isIncomplete": .bool(false), "items": .array(items)])
    }

    /// The subject a position belongs to: one with a value written on that line, else the nearest header above.
    private func enclosingSubject(at offset: Int, line: Int, in s: SourceText, report: UnitReport) -> Subject? {
        let mine = report.subjects.filter { $0.file == s.path }
        if let onLine = mine.first(where: { subject in
            subject.origins.values.contains { $0.file == s.path && s.lineIndex.line(containing: ($0.keyRange ?? $0.range).start) == line }
                && subject.headerRange.start <= offset
        }) {
            return onLine
        }
        return mine.filter { $0.headerRange.start <= offset }.max { $0.headerRange.start < $1.headerRange.start }
    }
}

/// A `key = value` (Terraform) or `key: value` (YAML) line, split at its separator.
struct ValueEntry {
    /// The key, without quotes or a YAML list dash.
    var key: String
    /// Where the value starts (after the separator and spaces), as a byte offset in the line.
    var valueStart: Int
    /// Where the value ends (before trailing spaces), as a byte offset in the line.
    var valueEnd: Int

    init?(line: String, separator: Character) {
        let bytes = Array(line.utf8)
        guard let sep = bytes.firstIndex(of: separator.asciiValue!) else { return nil }
        var key = String(decoding: bytes[..<sep], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        if key.hasPrefix("- ") { key = String(key.dropFirst(2)).trimmingCharacters(in: .whitespaces) }
        key = key.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        guard !key.isEmpty, !key.contains(" ") else { return nil }
        var start = sep + 1
        while start < bytes.count, bytes[start] == 32 || bytes[start] == 9 { start += 1 }
        var end = bytes.count
        while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 9 { end -= 1 }
        self.key = key
        valueStart = start
        valueEnd = end
    }
}
