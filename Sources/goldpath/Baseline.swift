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

extension Baseline {
    /// The findings the same paths had at a git revision (`--new-since REV`): the revision's tree is exported to a
    /// temporary directory and checked there with the same workspace, from the same place relative to the repository.
    static func atRevision(_ revision: String, paths: [String], workspace: Workspace) throws(BaselineError) -> Baseline {
        let cwd = FileManager.default.currentDirectoryPath
        guard let top = git(["rev-parse", "--show-toplevel"], in: cwd)?.trimmingCharacters(in: .whitespacesAndNewlines), !top.isEmpty
        else { throw BaselineError("--new-since needs a git repository (the working directory is not in one)") }
        guard git(["rev-parse", "--verify", "--quiet", revision + "^{commit}"], in: cwd) != nil else {
            throw BaselineError("--new-since: '\(revision)' is not a commit of this repository")
        }
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("goldpath-new-since-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        do {
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        } catch {
            throw BaselineError("--new-since: cannot create a temporary directory: \(error.localizedDescription)")
        }
        let archive = temporary + "/tree.tar"
        guard git(["archive", "--format=tar", "-o", archive, revision], in: top) != nil,
            run("/usr/bin/env", ["tar", "-xf", archive, "-C", temporary], in: temporary) != nil
        else { throw BaselineError("--new-since: cannot export '\(revision)' with git archive") }
        // The same place relative to the repository, so paths (and the fingerprints built on them) are the same.
        let relative = cwd.hasPrefix(top) ? String(cwd.dropFirst(top.count)) : ""
        let there = temporary + relative
        guard FileManager.default.changeCurrentDirectoryPath(there) else {
            return Baseline(counts: [:])
        }
        defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
        let existing = paths.filter { FileManager.default.fileExists(atPath: $0) }
        var counts: [String: Int] = [:]
        if !existing.isEmpty {
            for f in workspace.analyze(paths: existing, verifyFixes: false, keepingSubjects: false).findings {
                counts[f.fingerprint, default: 0] += 1
            }
        }
        return Baseline(counts: counts)
    }

    private static func git(_ arguments: [String], in directory: String) -> String? {
        run("/usr/bin/env", ["git"] + arguments, in: directory)
    }

    /// Runs a program; its standard output, or nil when it fails.
    private static func run(_ executable: String, _ arguments: [String], in directory: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
}
