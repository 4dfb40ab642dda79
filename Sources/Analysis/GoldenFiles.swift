import Foundation

/// The golden files of rule examples, and what a ``RuleExampleRunner`` does with them.
///
/// A pack file's golden file sits next to it, its `.yaml` or `.yml` suffix replaced by `.golden`
/// (`rulepacks/aws/aws-rds.yaml` → `rulepacks/aws/aws-rds.golden`). For every fail example of every rule in the
/// file, in rule order then example order, it holds where each finding of the rule sits (1-based
/// `line:column-line:column`, columns in code points) and, for each fix alternative that verifies (preferred
/// first), the whole text of every file the fix changes. The runner compares what the examples produce with
/// it, or with `update` writes it instead. Packs that were not read from a file (the binary's `builtin:`
/// packs) have no golden file.
public struct GoldenFiles: Sendable {
    /// The directory relative pack paths are read from (`.` for the working directory).
    public var root: String
    /// Whether to write the golden files instead of comparing with them (no mismatch is then reported).
    public var update: Bool
    /// Whether a pack file without a golden file is a failure (the built-in packs in `swift test`) or is not
    /// checked (a team's own pack).
    public var required: Bool
    /// The command that regenerates the golden files, named in their first line and when one is missing.
    public var regenerate: String

    /// Creates the settings; `update` is usually ``updateRequested``.
    public init(root: String = ".", update: Bool, required: Bool, regenerate: String) {
        self.root = root
        self.update = update
        self.required = required
        self.regenerate = regenerate
    }

    /// Whether the environment asks to write the golden files: `GOLDPATH_UPDATE_GOLDEN=1`.
    public static var updateRequested: Bool { ProcessInfo.processInfo.environment["GOLDPATH_UPDATE_GOLDEN"] == "1" }

    /// The golden file of the pack file `pack`: its `.yaml` or `.yml` suffix replaced by `.golden`, or
    /// `.golden` appended to another name.
    public static func path(ofPack pack: String) -> String {
        for suffix in [".yaml", ".yml"] where pack.hasSuffix(suffix) { return String(pack.dropLast(suffix.count)) + ".golden" }
        return pack + ".golden"
    }

    /// Compares the entries the examples of the pack file `pack` produce with its golden file (comments and
    /// blank lines aside), or writes it; returns the failures and the number of checks made (one per entry).
    func check(_ entries: [GoldenEntry], pack: String) -> (failures: [ExampleFailure], checks: Int) {
        guard !pack.hasPrefix("builtin:") else { return ([], 0) }
        let golden = GoldenFiles.path(ofPack: pack)
        let file = golden.hasPrefix("/") ? golden : (root as NSString).appendingPathComponent(golden)
        let rendered = GoldenFileFormat.render(entries, pack: pack, regenerate: regenerate)
        let current = try? String(contentsOfFile: file, encoding: .utf8)
        if update {
            guard current != rendered else { return ([], entries.count) }
            do {
                try rendered.write(toFile: file, atomically: true, encoding: .utf8)
            } catch {
                return ([ExampleFailure(id: pack, message: "cannot write \(golden): \(error.localizedDescription)")], 1)
            }
            return ([], entries.count)
        }
        guard let current else {
            guard FileManager.default.fileExists(atPath: file) else {
                return required ? ([ExampleFailure(id: pack, message: "no golden file \(golden): run \(regenerate)")], 1) : ([], 0)
            }
            return ([ExampleFailure(id: pack, message: "cannot read \(golden) as UTF-8")], 1)
        }
        if current == rendered { return ([], entries.count) }
        let expected: [GoldenEntry]
        do {
            expected = try GoldenFileFormat.parse(current, file: golden)
        } catch {
            return ([ExampleFailure(id: pack, message: "cannot read the golden file: \(error)")], 1)
        }
        let checks = Set((expected + entries).map(\.header)).count
        let failures = GoldenComparison.mismatches(expected: expected, got: entries, golden: golden)
        guard failures.isEmpty else { return (failures, checks) }
        // Comments and blank lines may differ (the first line names the command of whoever generated the file);
        // the entries' order may not, as it follows the pack's.
        guard expected == entries else {
            return ([ExampleFailure(id: pack, message: "\(golden) holds the expected entries in another order: run \(regenerate)")], checks)
        }
        return ([], checks)
    }
}
