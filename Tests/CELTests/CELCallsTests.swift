import CEL
import Testing

/// `CELProgram.calls` finds a global call wherever the expression holds it, and not a field or variable of the same name.
@Suite struct CELCallsTests {
    static let env = CELEnvironment(
        variables: ["self", "x"], functions: [CELCustomFunction(name: "related", arities: [2])], checksReferences: false)

    func calls(_ expr: String) throws -> Bool {
        try CELProgram.compile(expr, environment: Self.env).calls("related")
    }

    @Test func aGlobalCallIsFoundWhereverItIs() throws {
        for expr in [
            #"related("t", "a") == null"#,
            #"self.a || size(related("t", "a")) > 0"#,
            #"x > 1 ? true : related("t", "a") != null"#,
            #"[1, related("t", "a")].size() == 2"#,
            #"{"k": related("t", "a")}.size() == 1"#,
            #"self.items.all(i, i == related("t", "a"))"#,
            #"!(related ("t", "a") == null)"#,
            #"self[related("t", "a")] == 1"#,
            #"related("t", "a").exists(r, r == 1)"#,
        ] {
            #expect(try calls(expr), "\(expr)")
        }
    }

    @Test func aFieldOrVariableOfTheNameIsNoCall() throws {
        for expr in [#"self.related == "x""#, #"has(self.related)"#, #"self.items.exists(related, related == 1)"#, #""related(" == x"#] {
            #expect(try !calls(expr), "\(expr)")
        }
    }
}
