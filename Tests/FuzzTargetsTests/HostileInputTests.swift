import FuzzTargets
import Testing

/// The inputs that once took a front end down (or would have), run through the same entry points libFuzzer
/// drives (`scripts/fuzz`): each must return with the problem its bound reports (a crash fails the whole run).
@Suite struct HostileInputTests {
    static let inputs: [(FuzzTarget, String)] = [
        (.hcl, String(repeating: "[", count: 100_000)),
        (.hcl, "locals {\n  b = local." + String(repeating: "x.", count: 50_000) + "x\n}\n"),
        (.hcl, "a = \"${" + String(repeating: "(", count: 20_000) + "\n"),
        (.terraform, "locals {\n  a = " + String(repeating: "1 + ", count: 50_000) + "1\n}\n"),
        (
            .terraform,
            "locals {\n" + (0..<40).map { "  s\($0 + 1) = \"${local.s\($0)}${local.s\($0)}\"" }.joined(separator: "\n")
                + "\n  s0 = \"ab\"\n}\nresource \"null_resource\" \"r\" {\n  triggers = { v = local.s40 }\n}\n"
        ),
        (.terraform, "variable \"v\" {\n  default = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]\n}\n"),
        (.yaml, String(repeating: "- ", count: 20_000) + "x\n"),
        (
            .yaml,
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
                + (1..<30).map { "l\($0): &l\($0) [*\($0 == 1 ? "a" : "l\($0 - 1)"), *\($0 == 1 ? "a" : "l\($0 - 1)")]" }.joined(
                    separator: "\n")
        ),
        (.sql, "SELECT " + String(repeating: "(", count: 50_000) + "1;\n"),
        (.sql, "CREATE TABLE t (a text DEFAULT 'unterminated);\n$$ $x$ -- /* \u{0}"),
        (.cel, String(repeating: "!", count: 100_000) + "true"),
        (.cel, (0..<6_000).map { _ in "self.enabled" }.joined(separator: " && ")),
        (.cel, "self.name.matches('(a+)+$')"),
        (.jsonrpc, "Content-Length: 9223372036854775807\r\n\r\n{}"),
        (.jsonrpc, "Content-Length: 5\r\n\r\n" + String(repeating: "[", count: 100_000)),
        (.jsonrpc, "{\"jsonrpc\":\"2.0\",\"id\":1e300,\"method\":\"x\",\"params\":{\"version\":18446744073709551616}}"),
        (
            .mcp,
            String(repeating: "[", count: 100_000) + "\n" + String(repeating: "x", count: 5_000)
                + "\n{\"jsonrpc\":\"2.0\",\"method\":\"ping\"}\n"
        ),
    ]

    /// What each input must be answered with: the first problem reported (nil: accepted without one) and how many.
    static let outcomes: [(first: String?, count: Int)] = [
        ("expected an attribute or a block, found '['", 1),
        ("the expression nests too deeply (a chain of attribute or index steps)", 1),
        ("the expression nests too deeply", 1),
        ("the expression nests too deeply (a chain of operators)", 1),
        ("a string over 1 MiB", 1),
        ("depends on a for expression over unknown values", 1),
        ("collections nest deeper than 256 levels; the document is not read", 1),
        ("alias expansion exceeds 100000 nodes (a recursive or exponential alias structure); the document is not read", 1),
        (nil, 0),
        ("unterminated string", 2),
        ("expression nests too deeply", 1),
        ("expression nests too deeply (a chain)", 1),
        (nil, 0),
        ("Content-Length 9223372036854775807 is over the 64 MiB a message may have", 1),
        ("the message is not valid JSON", 2),
        (nil, 0),
        ("message of 100000 bytes is over the 4 KiB limit", 2),
    ]

    @Test("every front end answers hostile input with a bounded, reported outcome", arguments: 0..<inputs.count)
    func returns(_ index: Int) {
        let (target, text) = Self.inputs[index]
        let problems = target.run(Array(text.utf8))
        #expect(problems.first.map { String($0.prefix(160)) } == Self.outcomes[index].first, "\(target) input \(index)")
        #expect(problems.count == Self.outcomes[index].count, "\(target) input \(index)")
    }
}
