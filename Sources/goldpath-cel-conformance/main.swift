import CELConformance
import Foundation

// Usage: goldpath-cel-conformance DIR [--verbose] [--skips]
// DIR holds cel-spec's tests/simple/testdata/*.textproto.
let arguments = Array(CommandLine.arguments.dropFirst())
guard let directory = arguments.first(where: { !$0.hasPrefix("-") }) else {
    FileHandle.standardError.write(Data("usage: goldpath-cel-conformance DIR [--verbose] [--skips]\n".utf8))
    exit(2)
}
let verbose = arguments.contains("--verbose")
let showSkips = arguments.contains("--skips")
guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
    FileHandle.standardError.write(Data("\(directory): cannot read the directory\n".utf8))
    exit(2)
}
var totals = FileOutcome(name: "total")
for name in names.filter({ $0.hasSuffix(".textproto") }).sorted() {
    do {
        let o = try ConformanceRunner().run(file: directory + "/" + name)
        let rate = o.passed + o.failed == 0 ? "-" : String(format: "%.1f%%", 100 * Double(o.passed) / Double(o.passed + o.failed))
        print(
            "\(name.replacingOccurrences(of: ".textproto", with: "")): \(o.passed) passed, \(o.failed) failed, \(o.skipped) outside the subset (\(rate))"
        )
        if verbose { for f in o.failures { print("  FAIL \(f)") } }
        if showSkips { for s in o.skips { print("  SKIP \(s)") } }
        totals.passed += o.passed
        totals.failed += o.failed
        totals.skipped += o.skipped
    } catch {
        print("\(name): cannot parse: \(error)")
    }
}
let rate = totals.passed + totals.failed == 0 ? 0 : 100 * Double(totals.passed) / Double(totals.passed + totals.failed)
print(
    String(
        format: "total: %d passed, %d failed, %d outside the subset (pass rate %.1f%% of the cases inside the subset)", totals.passed,
        totals.failed, totals.skipped, rate))
