import Analysis

/// Compiler-style text output: `path:line:col: severity: message [RULE]`, the source line and a caret underline.
enum TextReporter {
    /// How the text is dressed.
    struct Style {
        /// ANSI colours (a terminal that did not ask for `NO_COLOR`).
        var colour = false
        /// The closing summary line.
        var summary = true

        func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

        func severity(_ s: Severity) -> String {
            switch s {
            case .error: "1;31"
            case .warning: "1;33"
            case .info, .hint: "1;36"
            }
        }
    }

    /// `count` copies of an ASCII character, written at once (`String(repeating:count:)` appends one at a time).
    static func repeated(_ character: Unicode.Scalar, _ count: Int) -> String {
        guard count > 0 else { return "" }
        return String(unsafeUninitializedCapacity: count) { buffer in
            buffer.initialize(repeating: UInt8(ascii: character))
            return count
        }
    }

    static func render(_ report: AnalysisReport, style: Style = Style()) -> String {
        let sources = report.sources
        var out = ""
        let findings = report.findings
        for f in findings {
            guard let source = sources[f.file] else {
                out += "\(style.paint(f.file, "1")): \(style.paint(f.severity.rawValue, style.severity(f.severity))): \(f.message) "
                out += style.paint("[\(f.ruleId)]", "2") + "\n"
                continue
            }
            let (line, column) = source.humanPosition(of: f.range.start)
            out += "\(style.paint("\(f.file):\(line):\(column)", "1")): \(style.paint(f.severity.rawValue, style.severity(f.severity))): "
            out += "\(f.message) " + style.paint("[\(f.ruleId)]", "2") + "\n"
            let text = source.lineText(line - 1)
            let lineRange = source.lineIndex.contentRange(ofLine: line - 1)
            let end = min(f.range.end, lineRange.end)
            let width = max(1, source.lineIndex.scalarPosition(of: end).column - (column - 1))
            out += "    " + text + "\n"
            out +=
                "    " + repeated(" ", column - 1) + style.paint(repeated("^", width), style.severity(f.severity)) + "\n"
            for r in f.related {
                let p = sources[r.file]?.humanPosition(of: r.range.start) ?? (line: 1, column: 1)
                out += "    note: \(r.file):\(p.line):\(p.column): \(r.message)\n"
            }
            if let fix = f.fix { out += "    fix available: \(fix.title)\n" }
        }
        guard style.summary else { return out }
        return out + summary(report) + "\n"
    }

    /// `59 findings (24 errors, 26 warnings, 9 infos) in 16 files, 56 subjects; 44 fixable with `goldpath fix``.
    static func summary(_ report: AnalysisReport) -> String {
        let findings = report.findings
        let files = report.units.reduce(0) { $0 + $1.unit.files.count }
        let subjects = report.units.reduce(0) { $0 + $1.subjectCount }
        let bySeverity = Dictionary(grouping: findings, by: \.severity).mapValues(\.count)
        let parts = Severity.allCases.reversed().compactMap { s in bySeverity[s].map { "\($0) \(s.rawValue)\($0 == 1 ? "" : "s")" } }
        let fixable = findings.filter { $0.fix != nil }.count
        var out = "\(findings.count) finding\(findings.count == 1 ? "" : "s")"
        if !parts.isEmpty { out += " (\(parts.joined(separator: ", ")))" }
        out += " in \(files) file\(files == 1 ? "" : "s"), \(subjects) subject\(subjects == 1 ? "" : "s")"
        if fixable > 0 { out += "; \(fixable) fixable with `goldpath fix`" }
        return out
    }
}
