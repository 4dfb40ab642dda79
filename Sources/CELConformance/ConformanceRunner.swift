import CEL
import Foundation
import PolicyModel

/// The outcome of one conformance file.
public struct FileOutcome {
    /// The file's name.
    public var name: String
    /// Cases inside the subset that passed.
    public var passed = 0
    /// Cases inside the subset that failed.
    public var failed = 0
    /// Cases outside the subset.
    public var skipped = 0
    /// A line per failed case.
    public var failures: [String] = []
    /// A line per skipped case, with the reason.
    public var skips: [String] = []

    /// Creates an empty outcome.
    public init(name: String) { self.name = name }
}

/// Runs cel-spec `SimpleTestFile` textprotos against goldpath's CEL subset.
///
/// A test is *outside the subset* (skipped) when its bindings or expected
/// value use a type goldpath does not model (messages, enums, type values,
/// durations, timestamps), when it needs a container, a type check only or
/// unknown tracking, or when the expression calls a function or uses syntax
/// the subset does not define. Everything else must pass.
public struct ConformanceRunner {
    struct Unsupported: Error {}

    /// Functions and syntax outside the subset; an expression using them is skipped.
    static let outsideSubset = [
        "timestamp(", "duration(", "getFullYear", "getMonth", "getDate", "getDay", "getHours", "getMinutes", "getSeconds",
        "getMilliseconds", "getDayOf", ".?", "optional.", "?.", "TestAllTypes", "google.", "cel.", "math.", "strings.",
        "base64.", "ip(", "cidr(", "sets.", "proto.", "NestedTestAllTypes", "type(", "format(", "charAt(", "substring(",
        "lastIndexOf(", "quote(", "reverse(", "lists.", ".sort", "distinct", "flatten", "slice(", "range(", "transformList",
        "transformMap", "@", "isSorted", "sum(", "max(", "min(", "ip.", "[?", "{?", "net.",
    ]

    /// Creates a runner.
    public init() {}

    /// Runs every test of one `SimpleTestFile` textproto.
    public func run(file path: String) throws -> FileOutcome {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let root = try TextProtoParser.parse(text)
        var outcome = FileOutcome(name: root.scalar("name")?.text ?? (path as NSString).lastPathComponent)
        for section in root.messages("section") {
            let sectionName = section.scalar("name")?.text ?? "?"
            for test in section.messages("test") {
                let name = "\(sectionName)/\(test.scalar("name")?.text ?? "?")"
                switch runTest(test) {
                case .pass: outcome.passed += 1
                case .skip(let why):
                    outcome.skipped += 1
                    outcome.skips.append("\(name): \(why)")
                case .fail(let why):
                    outcome.failed += 1
                    outcome.failures.append("\(name): \(why)")
                }
            }
        }
        return outcome
    }

    enum TestResult {
        case pass
        case skip(String)
        case fail(String)
    }

    func runTest(_ test: TextProtoMessage) -> TestResult {
        guard let expr = test.scalar("expr")?.text else { return .skip("no expression") }
        if test.has("container") || test.has("check_only") || test.has("typed_result") || test.has("any_unknowns")
            || test.has("unknown") || test.has("any_eval_errors") || test.has("deduced_type")
        {
            return .skip("needs a container, type checking or unknown tracking")
        }
        if let feature = ConformanceRunner.outsideSubset.first(where: { expr.contains($0) }) { return .skip("uses \(feature)") }
        var variables: [String: Value] = [:]
        do {
            for binding in test.messages("bindings") {
                guard let key = binding.scalar("key")?.text, let v = binding.message("value")?.message("value") else {
                    return .skip("binding without a plain value")
                }
                variables[key] = try value(v)
            }
        } catch {
            return .skip("a binding of a type outside the subset")
        }
        let declared = Set(variables.keys).union(test.messages("type_env").compactMap { $0.scalar("name")?.text })
        let expectsError = test.has("eval_error")
        var expected: Value?
        if !expectsError {
            guard let v = test.message("value") else { return .skip("no expected value") }
            do { expected = try value(v) } catch { return .skip("expects a value of a type outside the subset") }
        }
        let program: CELProgram
        do {
            let checked = !(test.scalar("disable_check")?.text == "true")
            program = try CELProgram.compile(expr, environment: CELEnvironment(variables: declared, checksReferences: checked))
        } catch {
            if expectsError { return .pass }
            if error.message.hasPrefix("undeclared function") || error.message.hasPrefix("not in the subset") {
                return .skip(error.message)
            }
            return .fail("compile error: \(error.message)")
        }
        switch program.evaluate(CELActivation(variables: variables)) {
        case .success(let actual):
            if expectsError { return .fail("expected an error, got \(actual.canonical)") }
            return same(actual, expected!) ? .pass : .fail("expected \(expected!.canonical), got \(actual.canonical)")
        case .failure(let error):
            return expectsError ? .pass : .fail("unexpected error: \(error.message)")
        }
    }

    /// Strict equality: same types, and NaN equals NaN (as the conformance suite compares values).
    func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.double(let x), .double(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.map(let x), .map(let y)):
            return x.count == y.count && x.entries.allSatisfy { e in y[e.key].map { same(e.value, $0) } ?? false }
        case (.string(let x), .string(let y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        default: return a == b
        }
    }

    /// Converts a `cel.expr.Value` message.
    func value(_ m: TextProtoMessage) throws -> Value {
        guard let field = m.fields.first else { throw Unsupported() }
        switch (field.name, field.value) {
        case ("int64_value", .scalar(let s)):
            guard let v = Int64(s.text) else { throw Unsupported() }
            return .int(v)
        case ("uint64_value", .scalar(let s)):
            guard let v = UInt64(s.text) else { throw Unsupported() }
            return .uint(v)
        case ("double_value", .scalar(let s)):
            switch s.text {
            case "inf", "infinity", "Infinity": return .double(.infinity)
            case "-inf", "-infinity", "-Infinity": return .double(-.infinity)
            case "nan", "NaN": return .double(.nan)
            default:
                guard let v = Double(s.text) else { throw Unsupported() }
                return .double(v)
            }
        case ("string_value", .scalar(.string(let b))):
            guard let s = String(validating: b, as: UTF8.self) else { throw Unsupported() }
            return .string(s)
        case ("bytes_value", .scalar(.string(let b))): return .bytes(b)
        case ("bool_value", .scalar(let s)): return .bool(s.text == "true")
        case ("null_value", _): return .null
        case ("list_value", .message(let l)): return .list(try l.messages("values").map(value))
        case ("map_value", .message(let mm)):
            var out = ValueMap()
            for e in mm.messages("entries") {
                guard let k = e.message("key"), let v = e.message("value") else { throw Unsupported() }
                out[try value(k)] = try value(v)
            }
            return .map(out)
        default:
            throw Unsupported()
        }
    }
}
