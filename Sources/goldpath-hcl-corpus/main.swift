import Foundation
import HCLSyntax
import TextCore

// Usage: goldpath-hcl-corpus DIR... [--runs N] [--dump]
// Parses every .tf and .tfvars file under the directories; prints the files
// with syntax errors, the totals, and the parse throughput (median of N runs).
// With --dump, prints one JSON line per file instead: the literal attribute
// values by block path, for comparison with python-hcl2 (scripts/compare-hcl2.py).
var arguments = Array(CommandLine.arguments.dropFirst())
let dump = arguments.contains("--dump")
arguments.removeAll { $0 == "--dump" }
var runs = 3
if let i = arguments.firstIndex(of: "--runs"), i + 1 < arguments.count {
    runs = Int(arguments[i + 1]) ?? 3
    arguments.removeSubrange(i...(i + 1))
}
guard !arguments.isEmpty else {
    FileHandle.standardError.write(Data("usage: goldpath-hcl-corpus DIR... [--runs N]\n".utf8))
    exit(2)
}
var sources: [SourceText] = []
for dir in arguments {
    let files = FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String } ?? []
    for f in files.sorted() where f.hasSuffix(".tf") || f.hasSuffix(".tfvars") {
        let path = dir + "/" + f
        if let text = try? String(contentsOfFile: path, encoding: .utf8) { sources.append(SourceText(path: path, text: text)) }
    }
}
if dump {
    for s in sources {
        var literals: [[Any]] = []
        LiteralDump.collect(HCLParser().parse(s).body, path: [], into: &literals)
        let line = try JSONSerialization.data(withJSONObject: ["file": s.path, "literals": literals], options: [.sortedKeys])
        print(String(decoding: line, as: UTF8.self))
    }
    exit(0)
}
let bytes = sources.reduce(0) { $0 + $1.bytes.count }
var failing = 0
var errors = 0
for s in sources {
    let file = HCLParser().parse(s)
    if !file.diagnostics.isEmpty {
        failing += 1
        errors += file.diagnostics.count
        for d in file.diagnostics.prefix(3) {
            let p = s.humanPosition(of: d.range.start)
            print("\(s.path):\(p.line):\(p.column): \(d.message)")
        }
    }
}
var times: [Double] = []
for _ in 0..<runs {
    let start = Date()
    var blocks = 0
    for s in sources { blocks += HCLParser().parse(s).body.items.count }
    times.append(Date().timeIntervalSince(start))
    _ = blocks
}
times.sort()
let median = times[times.count / 2]
print("files: \(sources.count), bytes: \(bytes), files with errors: \(failing), errors: \(errors)")
print(String(format: "parse: median %.3f s over %d runs, %.1f MB/s", median, runs, Double(bytes) / 1e6 / median))
