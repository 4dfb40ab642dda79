import Analysis

/// GitHub Actions workflow commands: one `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`
/// per finding (info and hint as `::notice`), which GitHub shows as annotations on the pull request's diff.
enum GitHubReporter {
    static func render(_ report: AnalysisReport) -> String {
        let sources = report.sources
        var out = ""
        for f in report.findings {
            let level = f.severity == .error ? "error" : f.severity == .warning ? "warning" : "notice"
            var properties = [("file", f.file)]
            if let source = sources[f.file] {
                let start = source.humanPosition(of: f.range.start)
                let end = source.humanPosition(of: f.range.end)
                properties += [
                    ("line", "\(start.line)"), ("col", "\(start.column)"), ("endLine", "\(end.line)"), ("endColumn", "\(end.column)"),
                ]
            }
            properties.append(("title", "goldpath \(f.ruleId)"))
            let props = properties.map { "\($0.0)=\(escape($0.1, property: true))" }.joined(separator: ",")
            out += "::\(level) \(props)::\(escape(f.message + (f.fix.map { " (fix available: \($0.title))" } ?? ""), property: false))\n"
        }
        return out
    }

    /// The escapes GitHub's workflow-command parser undoes: `%`, CR and LF everywhere, and `:` and `,` in properties.
    static func escape(_ text: String, property: Bool) -> String {
        var out = text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
        if property { out = out.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C") }
        return out
    }
}
