/// The differences between the entries a pack file's examples produce and the entries its golden file holds.
enum GoldenComparison {
    /// One failure, named by the rule, for each fail example whose findings differ, each fixed text that
    /// differs, and each fix entry only one side has; `golden` is the golden file's path, for the messages.
    static func mismatches(expected: [GoldenEntry], got: [GoldenEntry], golden: String) -> [ExampleFailure] {
        var examples: [ExampleKey] = []
        var seen = Set<ExampleKey>()
        for entry in got + expected where seen.insert(ExampleKey(entry)).inserted { examples.append(ExampleKey(entry)) }
        var failures: [ExampleFailure] = []
        for key in examples {
            func fail(_ what: String) {
                failures.append(ExampleFailure(id: key.rule, message: "fail example \(key.example) differs from \(golden): \(what)"))
            }
            let expectedHere = expected.filter { ExampleKey($0) == key }
            let gotHere = got.filter { ExampleKey($0) == key }
            let expectedFindings = expectedHere.compactMap(\.findingLocation)
            let gotFindings = gotHere.compactMap(\.findingLocation)
            if expectedFindings != gotFindings {
                fail("findings expected \(list(expectedFindings)), got \(list(gotFindings))")
            }
            let expectedFixes = expectedHere.compactMap(\.fixedText)
            let gotFixes = gotHere.compactMap(\.fixedText)
            for fix in gotFixes {
                guard let recorded = expectedFixes.first(where: { $0.title == fix.title && $0.file == fix.file }) else {
                    fail("fix \"\(fix.title)\" changes \(fix.file), the golden file has no text for it")
                    continue
                }
                if recorded.text != fix.text {
                    fail("fix \"\(fix.title)\" in \(fix.file), \(firstDifference(expected: recorded.text, got: fix.text))")
                }
            }
            for fix in expectedFixes where !gotFixes.contains(where: { $0.title == fix.title && $0.file == fix.file }) {
                fail("fix \"\(fix.title)\" does not change \(fix.file), the golden file has a text for it")
            }
        }
        return failures
    }

    /// A rule's fail example.
    private struct ExampleKey: Hashable {
        var rule: String
        var example: Int

        init(_ entry: GoldenEntry) {
            rule = entry.rule
            example = entry.example
        }
    }

    /// Finding locations for a message: `2:3-2:20, 4:1-4:9`, or `none`.
    private static func list(_ locations: [String]) -> String {
        locations.isEmpty ? "none" : locations.joined(separator: ", ")
    }

    /// Where two texts first differ: `line 3 expected `a`, got `b``, or the newline at their end.
    private static func firstDifference(expected: String, got: String) -> String {
        let a = GoldenFileFormat.textLines(expected)
        let b = GoldenFileFormat.textLines(got)
        let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        // Texts that differ only in the newline at their end.
        if a.count == i + 1 && b.count == i && a[i] == GoldenFileFormat.noNewline { return "expected no newline at the end, got one" }
        if b.count == i + 1 && a.count == i && b[i] == GoldenFileFormat.noNewline { return "expected a newline at the end, got none" }
        func shown(_ lines: [String]) -> String {
            guard i < lines.count else { return "the end of the text" }
            if lines[i] == GoldenFileFormat.noNewline { return "the end of the text without a newline" }
            if lines[i] == GoldenFileFormat.textMarker { return "an empty line" }
            return "`" + lines[i].dropFirst(GoldenFileFormat.textMarker.count + 1) + "`"
        }
        return "line \(i + 1) expected \(shown(a)), got \(shown(b))"
    }
}

extension GoldenEntry {
    /// The location of a finding entry, nil for a fix.
    fileprivate var findingLocation: String? {
        if case .finding(let location) = expectation { return location }
        return nil
    }

    /// The title, file and text of a fix entry, nil for a finding.
    fileprivate var fixedText: (title: String, file: String, text: String)? {
        if case .fix(let title, let file, let text) = expectation { return (title, file, text) }
        return nil
    }
}
