import Foundation
import PolicyModel
import TextCore

/// A function an embedding application adds to CEL, such as `related(type, attribute)`.
public struct CELCustomFunction: Sendable {
    /// The function's name as written in expressions.
    public var name: String
    /// The accepted argument counts.
    public var arities: Set<Int>

    /// Declares a function.
    public init(name: String, arities: Set<Int>) {
        self.name = name
        self.arities = arities
    }
}

/// What an expression may refer to: its variables, custom functions and the cost limit.
public struct CELEnvironment: Sendable {
    /// Variables that may appear free in expressions (`self`, `params`, `subject`).
    public var variables: Set<String>
    /// Custom functions callable as `name(args)`.
    public var functions: [String: CELCustomFunction]
    /// The maximum number of evaluation steps per evaluation.
    public var costLimit: Int
    /// The maximum length of a regular expression.
    public var maxRegexLength: Int
    /// The longest one `matches` may take on one value, in seconds: a pattern that backtracks catastrophically on
    /// a value is an evaluation error after it, not a stalled check.
    public var maxRegexSeconds: Double = 0.25
    /// Policy mode: selecting a field of `null` is a missing key, and `has()`
    /// is false when any step before the tested field is missing or null.
    /// Standard CEL treats both as errors; rule packs want "absent".
    public var absentIsFalse: Bool
    /// Whether undeclared identifiers and functions are compile errors (off, they fail at run time).
    public var checksReferences: Bool

    /// Creates an environment.
    public init(
        variables: Set<String>, functions: [CELCustomFunction] = [], costLimit: Int = 1_000_000, maxRegexLength: Int = 1_000,
        absentIsFalse: Bool = false, checksReferences: Bool = true
    ) {
        self.absentIsFalse = absentIsFalse
        self.checksReferences = checksReferences
        self.variables = variables
        self.functions = Dictionary(functions.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.costLimit = costLimit
        self.maxRegexLength = maxRegexLength
    }
}

/// The values of variables and the implementations of custom functions for one evaluation.
public struct CELActivation: Sendable {
    /// Variable values.
    public var variables: [String: Value] {
        didSet { hasQualifiedVariables = Self.anyQualified(variables) }
    }
    /// Custom function implementations; a function throws ``CELEvalError`` or returns a value.
    public var functions: [String: @Sendable ([Value]) throws(CELEvalError) -> Value]
    /// Whether a variable's name has a dot (`request.auth`), so a selection chain may name it: worked out when the
    /// variables are set, not at every evaluation.
    private(set) var hasQualifiedVariables: Bool

    /// Creates an activation.
    public init(variables: [String: Value], functions: [String: @Sendable ([Value]) throws(CELEvalError) -> Value] = [:]) {
        self.variables = variables
        self.functions = functions
        hasQualifiedVariables = Self.anyQualified(variables)
    }

    private static func anyQualified(_ variables: [String: Value]) -> Bool {
        variables.keys.contains { $0.utf8.contains(UInt8(ascii: ".")) }
    }
}

/// A regular expression compiled once for a program.
struct CompiledRegex: @unchecked Sendable {
    // NSRegularExpression is immutable and documented as safe to share across threads.
    let regex: NSRegularExpression
}

/// A parsed and checked CEL expression, ready to evaluate many times.
///
/// Compilation parses the text, checks that every identifier and function is
/// known to the environment, and precompiles literal regular expressions (so
/// a bad or oversized pattern is a compile error with a position, not a
/// runtime surprise).
///
/// A class, not a struct: every rule holds several programs and the engine passes rules and programs around for each
/// subject it judges, and a copy is then one retain instead of one per field.
public final class CELProgram: Sendable {
    /// The expression text.
    public let source: String
    let root: CELNode
    let environment: CELEnvironment
    let regexes: [String: CompiledRegex]

    init(source: String, root: CELNode, environment: CELEnvironment, regexes: [String: CompiledRegex]) {
        self.source = source
        self.root = root
        self.environment = environment
        self.regexes = regexes
    }

    /// Parses and checks `text` against `environment`.
    public static func compile(_ text: String, environment: CELEnvironment) throws(CELCompileError) -> CELProgram {
        let root = try CELParser.parse(text)
        var checker = CELChecker(environment: environment)
        try checker.check(root, scope: [])
        return CELProgram(source: text, root: root, environment: environment, regexes: checker.regexes)
    }

    /// Evaluates the program; runtime errors are returned, not thrown, because CEL treats them as values.
    public func evaluate(_ activation: CELActivation) -> Result<Value, CELEvalError> {
        var evaluator = CELEvaluator(program: self, activation: activation)
        do {
            return .success(try evaluator.eval(root, scope: nil))
        } catch {
            return .failure(error)
        }
    }

    /// Whether the expression calls the global function `name` anywhere (`related(...)`, not `x.related(...)`).
    public func calls(_ name: String) -> Bool { Self.calls(name, in: root) }

    private static func calls(_ name: String, in node: CELNode) -> Bool {
        switch node.expr {
        case .literal, .ident: return false
        case .select(let n, _, _), .not(let n), .negate(let n): return calls(name, in: n)
        case .index(let a, let b), .and(let a, let b), .or(let a, let b), .binary(_, let a, let b):
            return calls(name, in: a) || calls(name, in: b)
        case .call(let target, let function, let args):
            if target == nil && function == name { return true }
            return (target.map { calls(name, in: $0) } ?? false) || args.contains { calls(name, in: $0) }
        case .list(let items): return items.contains { calls(name, in: $0) }
        case .map(let entries): return entries.contains { calls(name, in: $0.key) || calls(name, in: $0.value) }
        case .conditional(let a, let b, let c): return calls(name, in: a) || calls(name, in: b) || calls(name, in: c)
        case .comprehension(_, let range, _, let filter, let body):
            return calls(name, in: range) || (filter.map { calls(name, in: $0) } ?? false) || calls(name, in: body)
        }
    }

    /// Compiled regular expressions by pattern, shared by every program.
    private static let regexCache = LockedCache<String, CompiledRegex>(limit: 256)

    /// A pattern that is not a literal (a rule parameter) compiled once per process, not per evaluation.
    static func cachedRegex(_ pattern: String, maxLength: Int, at range: SourceRange) throws(CELEvalError) -> CompiledRegex {
        if let hit = regexCache.get(pattern) { return hit }
        let compiled = try compileRegex(pattern, maxLength: maxLength, at: range)
        regexCache.set(pattern, compiled)
        return compiled
    }

    static func compileRegex(_ pattern: String, maxLength: Int, at range: SourceRange) throws(CELEvalError) -> CompiledRegex {
        guard pattern.utf8.count <= maxLength else {
            throw CELEvalError(.invalidArgument, "regular expression is longer than \(maxLength) bytes", at: range)
        }
        do {
            return CompiledRegex(regex: try NSRegularExpression(pattern: pattern))
        } catch {
            throw CELEvalError(.invalidArgument, "invalid regular expression: \(pattern)", at: range)
        }
    }
}

/// Checks identifiers and functions, and precompiles literal regexes.
struct CELChecker {
    let environment: CELEnvironment
    var regexes: [String: CompiledRegex] = [:]

    init(environment: CELEnvironment) { self.environment = environment }

    mutating func check(_ node: CELNode, scope: [String]) throws(CELCompileError) {
        switch node.expr {
        case .literal: return
        case .ident(let name):
            guard
                !environment.checksReferences || scope.contains(name) || environment.variables.contains(name)
                    || CELBuiltins.typeNames.contains(name)
                    || environment.variables.contains(where: { $0.hasPrefix(name + ".") })
            else {
                let known = (environment.variables.sorted() + scope).joined(separator: ", ")
                throw CELCompileError("undeclared reference to '\(name)' (known: \(known))", at: node.range)
            }
        case .select(let operand, _, _): try check(operand, scope: scope)
        case .index(let a, let b):
            try check(a, scope: scope)
            try check(b, scope: scope)
        case .call(let target, let function, let args):
            if let target { try check(target, scope: scope) }
            for a in args { try check(a, scope: scope) }
            let arity = args.count + (target == nil ? 0 : 1)
            if !environment.checksReferences && CELBuiltins.arities[function] == nil && environment.functions[function] == nil { return }
            if let custom = environment.functions[function], target == nil {
                guard custom.arities.contains(arity) else {
                    throw CELCompileError(
                        "\(function)() takes \(custom.arities.sorted().map(String.init).joined(separator: " or ")) arguments, not \(arity)",
                        at: node.range)
                }
            } else if let builtin = CELBuiltins.arities[function] {
                guard builtin.contains(arity) else {
                    throw CELCompileError("no overload of \(function)() takes \(arity) arguments", at: node.range)
                }
            } else {
                throw CELCompileError("undeclared function '\(function)'", at: node.range)
            }
            if function == "matches", let patternNode = args.last, case .literal(.string(let pattern)) = patternNode.expr, !pattern.isEmpty
            {
                do {
                    regexes[pattern] = try CELProgram.compileRegex(pattern, maxLength: environment.maxRegexLength, at: patternNode.range)
                } catch {
                    throw CELCompileError(error.message, at: patternNode.range)
                }
            }
        case .list(let items): for i in items { try check(i, scope: scope) }
        case .map(let entries):
            for e in entries {
                try check(e.key, scope: scope)
                try check(e.value, scope: scope)
            }
        case .conditional(let a, let b, let c):
            try check(a, scope: scope)
            try check(b, scope: scope)
            try check(c, scope: scope)
        case .not(let a), .negate(let a): try check(a, scope: scope)
        case .and(let a, let b), .or(let a, let b), .binary(_, let a, let b):
            try check(a, scope: scope)
            try check(b, scope: scope)
        case .comprehension(_, let range, let variable, let filter, let body):
            try check(range, scope: scope)
            if let filter { try check(filter, scope: scope + [variable]) }
            try check(body, scope: scope + [variable])
        }
    }
}
