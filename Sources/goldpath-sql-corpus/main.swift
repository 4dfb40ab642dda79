import Foundation
import SQLSyntax
import TextCore

// Usage: goldpath-sql-corpus DIR... [--runs N] [--dump]
// Parses every .sql file under the directories; prints the totals, the
// statement kinds and the parse throughput (median of N runs). With --dump,
// prints one JSON line per statement instead (file, index, kind, byte range),
// for comparison with pglast (scripts/compare-pglast.py).
var arguments = Array(CommandLine.arguments.dropFirst())
let dump = arguments.contains("--dump")
arguments.removeAll { $0 == "--dump" }
var runs = 3
if let i = arguments.firstIndex(of: "--runs"), i + 1 < arguments.count {
    runs = Int(arguments[i + 1]) ?? 3
    arguments.removeSubrange(i...(i + 1))
}
guard !arguments.isEmpty else {
    FileHandle.standardError.write(Data("usage: goldpath-sql-corpus DIR... [--runs N] [--dump]\n".utf8))
    exit(2)
}
var files: [(path: String, bytes: [UInt8])] = []
for dir in arguments {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), !isDir.boolValue {
        if let data = FileManager.default.contents(atPath: dir) { files.append((dir, Array(data))) }
        continue
    }
    let names = FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String } ?? []
    for f in names.sorted() where f.hasSuffix(".sql") {
        let path = dir + "/" + f
        if let data = FileManager.default.contents(atPath: path) { files.append((path, Array(data))) }
    }
}
if dump {
    for f in files {
        for (i, s) in SQLParser.parse(f.bytes).statements.enumerated() {
            let line = try JSONSerialization.data(
                withJSONObject: ["file": f.path, "index": i, "kind": s.kind, "start": s.range.start, "end": s.range.end],
                options: [.sortedKeys])
            print(String(decoding: line, as: UTF8.self))
        }
    }
    exit(0)
}
let bytes = files.reduce(0) { $0 + $1.bytes.count }
var statements = 0
var kinds: [String: Int] = [:]
var lexErrors = 0
for f in files {
    let parsed = SQLParser.parse(f.bytes)
    statements += parsed.statements.count
    lexErrors += parsed.errors.count
    for s in parsed.statements { kinds[s.kind, default: 0] += 1 }
}
var times: [Double] = []
for _ in 0..<runs {
    let start = Date()
    var n = 0
    for f in files { n += SQLParser.parse(f.bytes).statements.count }
    times.append(Date().timeIntervalSince(start))
    precondition(n == statements)
}
times.sort()
let median = times[times.count / 2]
print("\(files.count) files, \(bytes) bytes, \(statements) statements, \(kinds["unknown"] ?? 0) unknown, \(lexErrors) lexical errors")
print(String(format: "parse: median %.3f s of %d runs, %.1f MB/s", median, runs, Double(bytes) / median / 1_000_000))
for (k, n) in kinds.sorted(by: { $0.value > $1.value }).prefix(40) { print("  \(k): \(n)") }
