import Analysis
import Foundation

/// A baseline: the findings of an earlier `goldpath check --format json` run, by fingerprint, so that a
/// legacy repository can turn the gate on and be failed only by what it adds.
struct Baseline {
    /// How many findings of each fingerprint the baseline holds (two equal findings need two entries).
    var counts: [String: Int]

    /// Reads a `--format json` report.
    static func read(_ path: String) throws(BaselineError) -> Baseline {
        guard let data = FileManager.default.contents(atPath: path) else { throw BaselineError("\(path): cannot read the baseline") }
        guard let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any], doc["version"] as? Int == 1,
            let findings = doc["findings"] as? [[String: Any]]
        else {
            throw BaselineError("\(path): not a goldpath JSON report (make one with goldpath check --format json --output \(path))")
        }
        var counts: [String: Int] = [:]
        for (i, f) in findings.enumerated() {
            guard let fingerprint = f["fingerprint"] as? String else {
                throw BaselineError("\(path): finding \(i + 1) has no fingerprint")
            }
            counts[fingerprint, default: 0] += 1
        }
        return Baseline(counts: counts)
    }

    /// The report without the findings the baseline holds; and how many were hidden.
    func filter(_ report: AnalysisReport) -> (report: AnalysisReport, hidden: Int) {
        var left = counts
        var hidden = 0
        var filtered = report
        for u in filtered.units.indices {
            filtered.units[u].findings = filtered.units[u].findings.filter { f in
                guard let n = left[f.fingerprint], n > 0 else { return true }
                left[f.fingerprint] = n - 1
                hidden += 1
                return false
            }
        }
        return (filtered, hidden)
    }
}

/// A baseline that cannot be used.
struct BaselineError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
