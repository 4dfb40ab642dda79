import Analysis

/// Compiler-style text output: `path:line:col: severity: message [RULE]`, the source line and a caret underline.
enum TextReporter {
    static func render(_ report: AnalysisReport) -> String {
        let sources = report.sources
        var out = ""
        let findings = report.findings
        for f in findings {
            guard let source = sources[f.file] else {
                out += "\(f.file): \(f.severity.rawValue): \(f.message) [\(f.ruleId)]\n"
                continue
            }
            let (line, column) = source.humanPosition(of: f.range.start)
            out += "\(f.file):\(line):\(column): \(f.severity.rawValue): \(f.message) [\(f.ruleId)]\n"
            let text = source.lineText(line - 1)
            let lineRange = source.lineIndex.contentRange(ofLine: line - 1)
            let end = min(f.range.end, lineRange.end)
            let width = max(1, source.lineIndex.scalarPosition(of: end).column - (column - 1))
            out += "    " + text + "\n"
            out += "    " + String(repeating: " ", count: column - 1) + String(repeating: "^", count: width) + "\n"
            for r in f.related {
                let p = sources[r.file]?.humanPosition(of: r.range.start) ?? (line: 1, column: 1)
                out += "    note: \(r.file):\(p.line):\(p.column): \(r.message)\n"
            }
            if let fix = f.fix { out += "    fix available: \(fix.title)\n" }
        }
        let files = report.units.reduce(0) { $0 + $1.unit.files.count }
        let subjects = report.units.reduce(0) { $0 + $1.subjects.count }
        let bySeverity = Dictionary(grouping: findings, by: \.severity).mapValues(\.count)
        let parts = Severity.allCases.reversed().compactMap { s in bySeverity[s].map { "\($0) \(s.rawValue)\($0 == 1 ? "" : "s")" } }
        let fixable = findings.filter { $0.fix != nil }.count
        out += "\(findings.count) finding\(findings.count == 1 ? "" : "s")"
        if !parts.isEmpty { out += " (\(parts.joined(separator: ", ")))" }
        out += " in \(files) file\(files == 1 ? "" : "s"), \(subjects) subject\(subjects == 1 ? "" : "s")"
        if fixable > 0 { out += "; \(fixable) fixable with `goldpath fix`" }
        return out + "\n"
    }
}
