import Analysis
import Foundation

/// SARIF 2.1.0 output with rule metadata, regions and partial fingerprints.
enum SARIFReporter {
    static func level(_ s: Severity) -> String {
        switch s {
        case .error: return "error"
        case .warning: return "warning"
        case .info, .hint: return "note"
        }
    }

    static func render(_ report: AnalysisReport, workspace: Workspace) -> String {
        let sources = report.sources
        let findings = report.findings
        var ruleIndex: [String: Int] = [:]
        var rules: [[String: Any]] = []
        for f in findings where ruleIndex[f.ruleId] == nil {
            ruleIndex[f.ruleId] = rules.count
            var rule: [String: Any] = ["id": f.ruleId]
            if let r = workspace.rule(f.ruleId) {
                rule["name"] = r.title
                rule["shortDescription"] = ["text": r.title]
                rule["fullDescription"] = ["text": r.rationale ?? r.title]
                rule["help"] = help(r)
                rule["defaultConfiguration"] = ["level": level(r.severity)]
                // GitHub code scanning ranks alerts by `security-severity` (a number as a string) and files them by tag.
                rule["properties"] = [
                    "golden_path": r.goldenPath, "tags": ["security", "goldpath", r.goldenPath] + r.aliases,
                    "security-severity": securitySeverity(r.severity),
                ]
                if let url = workspace.helpURL(of: r) { rule["helpUri"] = url }
            } else {
                rule["shortDescription"] = ["text": builtinDescription(f.ruleId)]
                rule["help"] = ["text": builtinDescription(f.ruleId)]
            }
            rules.append(rule)
        }
        let results: [[String: Any]] = findings.map { f in
            var region: [String: Any] = [:]
            if let s = sources[f.file] {
                let start = s.humanPosition(of: f.range.start)
                let end = s.humanPosition(of: f.range.end)
                region = ["startLine": start.line, "startColumn": start.column, "endLine": end.line, "endColumn": end.column]
            }
            var result: [String: Any] = [
                "ruleId": f.ruleId, "ruleIndex": ruleIndex[f.ruleId] ?? 0, "level": level(f.severity),
                "message": ["text": f.message],
                "locations": [["physicalLocation": ["artifactLocation": artifactLocation(f.file), "region": region]]],
                // GitHub matches alerts across runs by `primaryLocationLineHash`; goldpath's fingerprint (rule, subject,
                // value) survives line shifts, so it is given under that key too.
                "partialFingerprints": ["goldpathFingerprint/v1": f.fingerprint, "primaryLocationLineHash": f.fingerprint],
            ]
            if !f.related.isEmpty {
                result["relatedLocations"] = f.related.enumerated().map { i, r -> [String: Any] in
                    var location: [String: Any] = ["artifactLocation": artifactLocation(r.file)]
                    if let s = sources[r.file] {
                        let start = s.humanPosition(of: r.range.start)
                        let end = s.humanPosition(of: r.range.end)
                        location["region"] = [
                            "startLine": start.line, "startColumn": start.column, "endLine": end.line, "endColumn": end.column,
                        ]
                    }
                    return ["id": i, "message": ["text": r.message], "physicalLocation": location]
                }
            }
            if f.kind == .suppression || f.kind == .needsReview { result["kind"] = f.kind == .needsReview ? "review" : "fail" }
            return result
        }
        let cwd = FileManager.default.currentDirectoryPath
        let doc: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                [
                    "tool": [
                        "driver": [
                            "name": "goldpath", "version": "0.1.0", "rules": rules,
                        ]
                    ],
                    "originalUriBaseIds": ["%SRCROOT%": ["uri": "file://" + (cwd.hasSuffix("/") ? cwd : cwd + "/")]],
                    "columnKind": "unicodeCodePoints",
                    "results": results,
                ]
            ],
        ]
        let data =
            (try? JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// GitHub's severity bands: critical ≥ 9, high ≥ 7, medium ≥ 4, low below.
    static func securitySeverity(_ s: Severity) -> String {
        switch s {
        case .error: "8.0"
        case .warning: "5.0"
        case .info: "3.0"
        case .hint: "1.0"
        }
    }

    /// The rule's full help: title, rationale, the condition, and its failing and passing examples, as text and markdown.
    static func help(_ r: Rule) -> [String: String] {
        var text = r.title + "\n\n" + (r.rationale.map { $0 + "\n\n" } ?? "") + "Required: " + r.require.program.source
        var markdown = "**\(r.title)**\n\n" + (r.rationale.map { $0 + "\n\n" } ?? "") + "Required: `\(r.require.program.source)`"
        for (label, examples) in [("Fails", r.examples.fail), ("Passes", r.examples.pass)] {
            guard let example = examples.first?.text.trimmingCharacters(in: .newlines) else { continue }
            text += "\n\n\(label):\n" + example
            markdown += "\n\n\(label):\n\n```\n" + example + "\n```"
        }
        if !r.aliases.isEmpty {
            text += "\n\nAlso known as: " + r.aliases.joined(separator: ", ")
            markdown += "\n\nAlso known as: " + r.aliases.map { "`\($0)`" }.joined(separator: ", ")
        }
        return ["text": text, "markdown": markdown]
    }

    /// A repo-relative URI (against `%SRCROOT%`, the working directory) for a relative path or an absolute one under the
    /// working directory, a `file://` URI for an absolute one elsewhere.
    static func artifactLocation(_ path: String) -> [String: Any] {
        var p = ReportPaths.repositoryRelative(path)
        while p.hasPrefix("./") { p.removeFirst(2) }
        let encoded = p.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String($0) }.joined(separator: "/")
        if p.hasPrefix("/") { return ["uri": "file://" + encoded] }
        return ["uri": encoded, "uriBaseId": "%SRCROOT%"]
    }

    static func builtinDescription(_ id: String) -> String {
        switch id {
        case "needs-review": return "No golden path covers this subject: a first-of-a-kind change needs a human review."
        case "syntax-error": return "The file could not be read completely."
        case "suppression-malformed": return "A goldpath:ignore comment is malformed or has no reason."
        case "suppression-expired": return "A suppression's until= date has passed."
        case "suppression-unused": return "A suppression matches no finding."
        case "suppression-not-allowed": return "The rule cannot be suppressed inline."
        case "suppression-unapproved": return "The suppression has no approved waiver."
        default: return id
        }
    }
}
