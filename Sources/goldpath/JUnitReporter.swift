import Analysis

/// JUnit XML, which most CI systems show as test results: one test case per finding, failed when it is at or above
/// `--fail-on` (passed, with the message as output, below it), and one passed test case per file without findings.
enum JUnitReporter {
    static func render(_ report: AnalysisReport, failOn: Severity) -> String {
        let sources = report.sources
        let findings = report.findings
        var cases: [String] = []
        var failures = 0
        for f in findings {
            let position =
                sources[f.file].map { s -> String in
                    let p = s.humanPosition(of: f.range.start)
                    return ":\(p.line):\(p.column)"
                } ?? ""
            let name = "\(f.ruleId) \(f.file)\(position)"
            let text = "\(f.file)\(position): \(f.severity.rawValue): \(f.message) [\(f.ruleId)]"
            var element = "    <testcase classname=\"\(escape(f.file))\" name=\"\(escape(name))\">"
            if f.severity >= failOn {
                failures += 1
                element +=
                    "\n      <failure type=\"\(f.severity.rawValue)\" message=\"\(escape(f.message))\">\(escape(text))</failure>\n    "
            } else {
                element += "\n      <system-out>\(escape(text))</system-out>\n    "
            }
            cases.append(element + "</testcase>")
        }
        let withFindings = Set(findings.map(\.file))
        for file in report.units.flatMap({ $0.unit.files.map(\.path) }) where !withFindings.contains(file) {
            cases.append("    <testcase classname=\"\(escape(file))\" name=\"\(escape(file)) conforms\"/>")
        }
        let total = cases.count
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="goldpath" tests="\(total)" failures="\(failures)">
              <testsuite name="goldpath check" tests="\(total)" failures="\(failures)" errors="0" skipped="0">
            \(cases.joined(separator: "\n"))
              </testsuite>
            </testsuites>

            """
    }

    /// XML text and attribute escapes; characters XML 1.0 cannot hold are dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
