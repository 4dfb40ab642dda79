import Analysis
import Foundation

/// The JSON contract: `{"version":1,"findings":[...],"summary":{...}}` with 1-based lines and columns.
enum JSONReporter {
    struct Position: Encodable {
        var line: Int
        var column: Int
    }
    // The property names are the JSON fields of the published output (snake_case by contract).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct Item: Encodable {
        var rule: String
        var golden_path: String?
        var severity: String
        var message: String
        var file: String
        var subject: String?
        var start: Position
        var end: Position
        var fixable: Bool
        var fingerprint: String
    }
    struct Summary: Encodable {
        var files: Int
        var subjects: Int
        var findings: Int
    }
    struct Document: Encodable {
        var version = 1
        var findings: [Item]
        var summary: Summary
    }

    static func render(_ report: AnalysisReport) -> String {
        let sources = report.sources
        let items = report.findings.map { f -> Item in
            let s = sources[f.file]
            let start = s?.humanPosition(of: f.range.start) ?? (line: 1, column: 1)
            let end = s?.humanPosition(of: f.range.end) ?? (line: 1, column: 1)
            return Item(
                rule: f.ruleId, golden_path: f.goldenPath, severity: f.severity.rawValue, message: f.message, file: f.file,
                subject: f.subjectAddress,
                start: Position(line: start.line, column: start.column), end: Position(line: end.line, column: end.column),
                fixable: f.fix != nil, fingerprint: f.fingerprint)
        }
        let doc = Document(
            findings: items,
            summary: Summary(
                files: report.units.reduce(0) { $0 + $1.unit.files.count }, subjects: report.units.reduce(0) { $0 + $1.subjectCount },
                findings: items.count))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(doc)) ?? Data(), as: UTF8.self)
    }
}
