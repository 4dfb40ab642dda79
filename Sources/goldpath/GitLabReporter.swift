import Analysis
import Foundation

/// GitLab Code Quality: a JSON array of `{description, check_name, fingerprint, severity, location: {path, lines: {begin}}}`,
/// which GitLab shows in the merge request's widget and diff when a job uploads it as a `codequality` report.
enum GitLabReporter {
    // The property names are GitLab's (snake_case by contract).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct Issue: Encodable {
        struct Lines: Encodable { var begin: Int }
        struct Location: Encodable {
            var path: String
            var lines: Lines
        }
        var description: String
        var check_name: String
        var fingerprint: String
        var severity: String
        var location: Location
    }

    /// GitLab's severities: blocker, critical, major, minor, info.
    static func severity(_ s: Severity) -> String {
        switch s {
        case .error: "critical"
        case .warning: "major"
        case .info: "minor"
        case .hint: "info"
        }
    }

    static func render(_ report: AnalysisReport) -> String {
        let sources = report.sources
        var seen: [String: Int] = [:]
        let issues = report.findings.map { f -> Issue in
            let line = sources[f.file].map { $0.humanPosition(of: f.range.start).line } ?? 1
            // GitLab keys issues by fingerprint: one that repeats (the same finding in two files) gets a suffix.
            let count = seen[f.fingerprint, default: 0]
            seen[f.fingerprint] = count + 1
            return Issue(
                description: "\(f.ruleId): \(f.message)", check_name: f.ruleId,
                fingerprint: count == 0 ? f.fingerprint : "\(f.fingerprint)-\(count)", severity: severity(f.severity),
                location: Issue.Location(path: ReportPaths.repositoryRelative(f.file), lines: Issue.Lines(begin: line)))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(issues)) ?? Data("[]".utf8), as: UTF8.self)
    }
}

/// Paths as CI systems want them in reports.
enum ReportPaths {
    /// A path relative to the working directory (the repository root in CI) when it lies under it, else as given.
    static func repositoryRelative(_ path: String) -> String {
        guard path.hasPrefix("/") else { return path.hasPrefix("./") ? String(path.dropFirst(2)) : path }
        let cwd = FileManager.default.currentDirectoryPath
        let root = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
    }
}
