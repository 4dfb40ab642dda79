import CEL
import PolicyModel
import Testing
import TextCore

@Suite struct CELEvaluationTests {
    static let env = CELEnvironment(variables: ["self", "params", "x"])

    /// Compiles and evaluates `expr` with `self` bound to `value`.
    func eval(_ expr: String, _ value: Value = .null, env: CELEnvironment = env) throws -> Result<Value, CELEvalError> {
        try CELProgram.compile(expr, environment: env).evaluate(
            CELActivation(variables: ["self": value, "params": .map(ValueMap()), "x": .int(3)]))
    }

    func check(_ expr: String, _ expected: Value, self value: Value = .null) throws {
        #expect(try eval(expr, value).get() == expected, "\(expr)")
    }

    static let workload: Value = .map(
        ValueMap([
            ("image", .map(ValueMap([("repository", .string("nginx")), ("tag", .string("1.27"))]))),
            ("ports", .list([.int(80), .int(443)])),
            ("empty", .null),
        ]))

    @Test func aChainLongerThanTheNestingLimitIsACompileErrorNotACrash() throws {
        for expr in [
            Array(repeating: "true", count: 6_000).joined(separator: " && "),
            Array(repeating: "1", count: 6_000).joined(separator: " + "),
            "self" + String(repeating: "[0]", count: 105_000),
        ] {
            #expect(throws: CELCompileError.self) { try CELProgram.compile(expr, environment: Self.env) }
        }
        try check(Array(repeating: "true", count: 100).joined(separator: " && "), .bool(true))
    }

    @Test func aPatternThatBacktracksCatastrophicallyGivesUpInsteadOfStalling() throws {
        let value: Value = .map(ValueMap([("name", .string(String(repeating: "a", count: 40) + "b"))]))
        let result = try eval("self.name.matches('(a+)+$')", value)
        #expect(result.failureKind == .costLimitExceeded)
        #expect(
            result.failureMessage
                == "matches() gave up after 250 ms on a value of 41 bytes: the pattern backtracks too much on it")
        try check("self.name.matches('(a+)+b$')", .bool(true), self: value)
        // A match that gave up is not remembered as a miss: asked again, it gives up again.
        #expect(try eval("self.name.matches('(a+)+$')", value).failureKind == .costLimitExceeded)
    }

    @Test func aRememberedMatchIsKeptByPatternAndValue() throws {
        let value: Value = .map(ValueMap([("name", .string("User_Email"))]))
        try check("self.name.matches('(?i)(^|_)e_?mail$')", .bool(true), self: value)
        try check("self.name.matches('(^|_)e_?mail$')", .bool(false), self: value)
        try check("self.name.lowerAscii().matches('(^|_)e_?mail$')", .bool(true), self: value)
        try check("self.name.matches('(?i)(^|_)e_?mail$')", .bool(true), self: value)
    }

    @Test func literalsAndArithmetic() throws {
        try check("1 + 2 * 3", .int(7))
        try check("7 / 2", .int(3))
        try check("-7 % 3", .int(-1))
        try check("1.5 + 1.0", .double(2.5))
        try check("2u + 3u", .uint(5))
        try check("'a' + \"b\" + r'\\n'", .string("ab\\n"))
        try check("[1] + [2]", .list([.int(1), .int(2)]))
        try check("-9223372036854775808", .int(Int64.min))
        try check("0x10", .int(16))
    }

    @Test func listIndexOfGivesAnElementsRank() throws {
        try check("['public', 'internal', 'pii'].indexOf('pii')", .int(2))
        try check("['public', 'internal', 'pii'].indexOf('secret')", .int(-1))
        try check("[1, 2, 3].indexOf(2)", .int(1))
        try check("'internal'.indexOf('t')", .int(2))
    }

    @Test func overflowAndDivisionByZeroAreErrors() throws {
        #expect(try eval("9223372036854775807 + 1").failureKind == .overflow)
        #expect(try eval("1 / 0").failureKind == .divideByZero)
        #expect(try eval("0u - 1u").failureKind == .overflow)
    }

    @Test func heterogeneousNumericComparison() throws {
        try check("1 == 1.0", .bool(true))
        try check("2u > 1", .bool(true))
        try check("1 < 1.5", .bool(true))
        try check("'a' == 1", .bool(false))
        try check("[1, 'a'] == [1.0, 'a']", .bool(true))
    }

    @Test func fieldAccessHasAndMacros() throws {
        let w = CELEvaluationTests.workload
        try check("self.image.tag.startsWith('1.')", .bool(true), self: w)
        try check("has(self.image.digest)", .bool(false), self: w)
        try check("self.ports.all(p, p > 0)", .bool(true), self: w)
        try check("self.ports.exists(p, p == 443)", .bool(true), self: w)
        try check("self.ports.exists_one(p, p > 100)", .bool(true), self: w)
        try check("self.ports.map(p, p * 2)", .list([.int(160), .int(886)]), self: w)
        try check("self.ports.map(p, p > 100, p + 1)", .list([.int(444)]), self: w)
        try check("self.ports.filter(p, p < 100)", .list([.int(80)]), self: w)
        try check("'tag' in self.image", .bool(true), self: w)
        try check("size(self.ports) == 2 && self.ports[1] == 443", .bool(true), self: w)
        try check("self.image.repository.matches('^ngi')", .bool(true), self: w)
        try check("{'a': 1}['a']", .int(1))
        try check("x > 2 ? 'big' : 'small'", .string("big"))
    }

    @Test func missingKeyIsAnErrorThatLogicalOperatorsAbsorb() throws {
        let w = CELEvaluationTests.workload
        #expect(try eval("self.nope", w).failureKind == .noSuchKey)
        try check("true || self.nope", .bool(true), self: w)
        try check("self.nope || true", .bool(true), self: w)
        try check("false && self.nope", .bool(false), self: w)
        #expect(try eval("self.nope && true", w).failureKind == .noSuchKey)
    }

    @Test func unknownsPropagateButDecidedLogicWins() throws {
        let u: Value = .map(ValueMap([("enc", .unknown("depends on var.x"))]))
        try check("self.enc == true", .unknown("depends on var.x"), self: u)
        try check("self.enc == true || true", .bool(true), self: u)
        try check("self.enc == true && false", .bool(false), self: u)
        try check("!(self.enc == true)", .unknown("depends on var.x"), self: u)
    }

    @Test func policyModeTreatsAbsentAsFalse() throws {
        let policy = CELEnvironment(variables: ["self", "params", "x"], absentIsFalse: true)
        let w = CELEvaluationTests.workload
        #expect(try eval("has(self.securityContext.runAsNonRoot)", w, env: policy).get() == .bool(false))
        #expect(try eval("has(self.empty.x)", w, env: policy).get() == .bool(false))
        #expect(try eval("self.empty.x", w, env: policy).failureKind == .noSuchKey)
        // Standard CEL: has() on a missing intermediate is an error.
        #expect(try eval("has(self.securityContext.runAsNonRoot)", w).failureKind == .noSuchKey)
    }

    @Test func costLimitStopsRunawayEvaluation() throws {
        let tight = CELEnvironment(variables: ["self", "params", "x"], costLimit: 100)
        let r = try eval("[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, a * b > 0))", env: tight)
        #expect(r.failureKind == .costLimitExceeded)
    }

    @Test func quantities() throws {
        try check("quantity('500m') < quantity('1')", .bool(true))
        try check("quantity('1Gi') == 1073741824.0", .bool(true))
        try check("quantity('256Mi') >= quantity('128Mi')", .bool(true))
    }

    @Test func compileErrorsCarryTheirPosition() {
        func error(_ text: String) -> CELCompileError? {
            do {
                _ = try CELProgram.compile(text, environment: CELEvaluationTests.env)
                return nil
            } catch { return error }
        }
        #expect(error("self.a ==")?.range == SourceRange(start: 9, end: 9))
        #expect(error("self.a = 1")?.range == SourceRange(start: 7, end: 8))
        #expect(error("slef.a")?.message.hasPrefix("undeclared reference to 'slef'") == true)
        #expect(error("self.a.startswith('x')")?.message == "undeclared function 'startswith'")
        #expect(error("self.a.matches('(')")?.message.hasPrefix("invalid regular expression") == true)
        #expect(error("'abc")?.message == "unterminated string literal")
    }
}

extension Result where Failure == CELEvalError {
    var failureMessage: String? {
        if case .failure(let e) = self { return e.message }
        return nil
    }

    var failureKind: CELEvalError.Kind? {
        if case .failure(let e) = self { return e.kind }
        return nil
    }
}

@Suite struct CELSyntaxTests {
    func value(_ expr: String) throws -> Value {
        try CELProgram.compile(expr, environment: CELEnvironment(variables: ["a.b"])).evaluate(CELActivation(variables: ["a.b": .int(7)]))
            .get()
    }

    @Test func reservedWordsAreAllowedAsFieldNames() throws {
        #expect(try value("{'as': 1}.as") == .int(1))
    }

    @Test func backquotedFieldNames() throws {
        #expect(try value("{'app.kubernetes.io/name': 'x'}.`app.kubernetes.io/name`") == .string("x"))
    }

    @Test func qualifiedNamesResolveAsVariables() throws {
        #expect(try value("a.b + 1") == .int(8))
    }

    @Test func aQualifiedVariableSetAfterTheActivationIsMadeResolves() throws {
        let program = try CELProgram.compile("a.b + 1", environment: CELEnvironment(variables: ["a.b"]))
        var activation = CELActivation(variables: ["self": .null])
        activation.variables["a.b"] = .int(41)
        #expect(program.evaluate(activation) == .success(.int(42)))
    }

    @Test func escapesInStringsAreCodePointsAndInBytesAreBytes() throws {
        #expect(try value("'\\xff' == '\\u00ff'") == .bool(true))
        #expect(try value("b'\\xff'") == .bytes([0xFF]))
        #expect(try value("size(b'\\303\\251') == 2 && size('\\303') == 1") == .bool(true))
    }
}
