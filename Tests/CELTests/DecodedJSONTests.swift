import CEL
import PolicyModel
import Testing

/// JSON texts decode the same way the first time and when the decoding is remembered, the invalid ones included.
@Suite struct DecodedJSONTests {
    @Test func aTextDecodesAlikeEachTime() {
        let policy = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": 1.5, "Max": 7}]}"#
        let statement: Value = .map(
            ValueMap([("Action", .string("*")), ("Effect", .string("Allow")), ("Max", .int(7)), ("Resource", .double(1.5))]))
        let expected: Value = .map(ValueMap([("Statement", .list([statement])), ("Version", .string("2012-10-17"))]))
        for _ in 0..<3 {
            #expect(Value.decodeJSON(policy) == expected)
            #expect(Value.decodeJSON("{\"a\": ") == nil)
            #expect(Value.decodeJSON("[true, null]") == .list([.bool(true), .null]))
        }
    }

    @Test func parseJSONFailsOnAnInvalidTextEveryTime() throws {
        let program = try CELProgram.compile("parseJSON(x)", environment: CELEnvironment(variables: ["x"]))
        for _ in 0..<2 {
            guard case .failure(let error) = program.evaluate(CELActivation(variables: ["x": .string("{nope")])) else {
                Issue.record("parseJSON of invalid JSON succeeded")
                return
            }
            #expect(error.message == "parseJSON: the string is not JSON")
        }
    }
}
