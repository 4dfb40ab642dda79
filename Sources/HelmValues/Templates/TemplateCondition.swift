import PolicyModel

/// A Go-template `if`/`with` condition over chart values, judged with three values: true, false, or not known.
///
/// Only the forms charts use to switch parts on and off are understood
/// (`.Values.a.b`, `not`, `and`, `or`, `eq`/`ne` with a literal, parentheses);
/// anything else (an `include`, a function of several values) is not known,
/// and a part behind a condition that is not known is judged as rendered.
indirect enum TemplateCondition: Hashable, Sendable {
    case always
    case unknown
    case truthy(ValuePath)
    case equals(ValuePath, Value)
    case not(TemplateCondition)
    case all([TemplateCondition])
    case any([TemplateCondition])

    /// The values paths the condition reads, in order.
    var paths: [ValuePath] {
        switch self {
        case .always, .unknown: []
        case .truthy(let path), .equals(let path, _): [path]
        case .not(let c): c.paths
        case .all(let cs), .any(let cs): cs.flatMap(\.paths)
        }
    }

    /// The values path that switches the condition on when set to true (`.Values.networkPolicy.enabled`, or the first such
    /// path of an `and`), if there is one.
    var switchPath: ValuePath? {
        switch self {
        case .truthy(let path): path
        case .all(let cs): cs.lazy.compactMap(\.switchPath).first
        default: nil
        }
    }

    /// The paths of the switches that make the condition false for `values` (`.Values.pdb.create` when it is false),
    /// in order.
    func failingSwitches(_ values: Value) -> [ValuePath] {
        switch self {
        case .truthy(let path): TemplateCondition.isTruthy(values.value(at: path)) ? [] : [path]
        case .all(let cs): cs.flatMap { $0.failingSwitches(values) }
        default: []
        }
    }

    /// The condition's value for `values`: `nil` when it cannot be told.
    func evaluate(_ values: Value) -> Bool? {
        switch self {
        case .always: return true
        case .unknown: return nil
        case .truthy(let path): return TemplateCondition.isTruthy(values.value(at: path))
        case .equals(let path, let literal):
            guard let v = values.value(at: path) else { return literal == .null }
            return TemplateCondition.sameScalar(v, literal)
        case .not(let c): return c.evaluate(values).map { !$0 }
        case .all(let cs):
            var known = true
            for c in cs {
                switch c.evaluate(values) {
                case .some(false): return false
                case .none: known = false
                default: break
                }
            }
            return known ? true : nil
        case .any(let cs):
            var known = true
            for c in cs {
                switch c.evaluate(values) {
                case .some(true): return true
                case .none: known = false
                default: break
                }
            }
            return known ? false : nil
        }
    }

    /// Go templates' truth: false, 0, nil and empty strings, lists and maps are false.
    static func isTruthy(_ v: Value?) -> Bool {
        switch v {
        case nil, .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .uint(let u): return u != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .map(let m): return m.count > 0
        default: return true
        }
    }

    private static func sameScalar(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
        default: return a == b
        }
    }

    /// Both conditions (the simplest form).
    func and(_ other: TemplateCondition) -> TemplateCondition {
        switch (self, other) {
        case (.always, _): return other
        case (_, .always): return self
        case (.all(let a), .all(let b)): return .all(a + b)
        case (.all(let a), _): return .all(a + [other])
        case (_, .all(let b)): return .all([self] + b)
        default: return .all([self, other])
        }
    }
}

/// Reads the condition of an `if`, `else if` or `with` action.
struct TemplateConditionParser {
    /// Resolves a path written relative to the current dot (`.enabled` inside `with .Values.metrics`).
    let dotPath: ValuePath?
    /// Conditions held by template variables (`$needsInit := and .Values.a .Values.b`).
    var variables: [String: TemplateCondition] = [:]
    /// Named templates that render something only under a condition (`{{- if .Values.url }}true{{- end }}`), so
    /// `if (include "chart.canDeploy" .)` reads that condition.
    var switches: [String: TemplateCondition] = [:]

    /// The condition of a pipeline such as `and .Values.a (not .Values.b)`.
    func parse(_ text: String) -> TemplateCondition {
        var tokens = TemplateConditionParser.tokens(text)[...]
        guard let c = expression(&tokens), tokens.isEmpty else { return .unknown }
        return c
    }

    private func expression(_ tokens: inout ArraySlice<String>) -> TemplateCondition? {
        guard let head = tokens.first else { return nil }
        switch head {
        case "and", "or":
            tokens = tokens.dropFirst()
            var parts: [TemplateCondition] = []
            while let t = tokens.first, t != ")" {
                guard let p = operand(&tokens) else { return .unknown }
                parts.append(p)
            }
            return head == "and" ? .all(parts) : .any(parts)
        case "coalesce":
            // `coalesce a b` is empty only when every argument is.
            tokens = tokens.dropFirst()
            var parts: [TemplateCondition] = []
            while let t = tokens.first, t != ")" {
                guard let p = operand(&tokens) else { return .unknown }
                parts.append(p)
            }
            return .any(parts)
        case "not", "empty":
            tokens = tokens.dropFirst()
            guard let p = operand(&tokens) else { return nil }
            return .not(p)
        case "eq", "ne":
            tokens = tokens.dropFirst()
            guard let a = tokens.popFirst(), let b = tokens.popFirst() else { return nil }
            let pathAndLiteral: (ValuePath, Value)? =
                if let p = path(a), let l = TemplateConditionParser.literal(b) {
                    (p, l)
                } else if let p = path(b), let l = TemplateConditionParser.literal(a) {
                    (p, l)
                } else {
                    nil
                }
            guard let (p, l) = pathAndLiteral else { return .unknown }
            return head == "eq" ? .equals(p, l) : .not(.equals(p, l))
        default:
            guard let p = operand(&tokens) else { return nil }
            return tokens.isEmpty || tokens.first == ")" ? p : .unknown
        }
    }

    private func operand(_ tokens: inout ArraySlice<String>) -> TemplateCondition? {
        guard let t = tokens.popFirst() else { return nil }
        if t == "(" {
            let start = tokens
            if let inner = expression(&tokens), tokens.first == ")" {
                tokens = tokens.dropFirst()
                return inner
            }
            tokens = start
            var depth = 1
            while let u = tokens.popFirst() {
                if u == "(" { depth += 1 }
                if u == ")" {
                    depth -= 1
                    if depth == 0 { break }
                }
            }
            return .unknown
        }
        if let p = path(t) { return .truthy(p) }
        if let v = variables[t] { return v }
        if t == "include" || t == "template", let name = tokens.first, name.hasPrefix("\""), tokens.count >= 2,
            [".", "$", "$root"].contains(tokens.dropFirst().first!)
        {
            tokens = tokens.dropFirst(2)
            return switches[String(name.dropFirst().dropLast())] ?? .unknown
        }
        switch TemplateConditionParser.literal(t) {
        case .bool(true): return .always
        case .bool(false): return .not(.always)
        default: return .unknown
        }
    }

    /// A values path: `.Values.a.b`, `$.Values.a`, `$root.Values.a`, `.a` relative to the dot, or `$v.a` for a
    /// variable that holds a values path.
    func path(_ token: String) -> ValuePath? {
        if token.hasPrefix("$"), !token.containsBytes(".Values") {
            let name = String(token.prefix { $0 != "." })
            guard case .truthy(let base)? = variables[name] else { return nil }
            let rest = token.dropFirst(name.count).drop { $0 == "." }
            return rest.isEmpty ? base : base.appending(ValuePath(parsing: String(rest)))
        }
        if let range = token.firstByteRange(of: ".Values.") {
            let before = token[..<range.lowerBound]
            guard before.isEmpty || before.hasPrefix("$") else { return nil }
            return ValuePath(parsing: String(token[range.upperBound...]))
        }
        guard let dotPath, token.hasPrefix(".") else { return nil }
        if token == "." { return dotPath }
        let rest = token.dropFirst()
        guard rest.first?.isLetter == true, !TemplateText.rootFields.contains(String(rest.prefix { $0 != "." })) else { return nil }
        return dotPath.appending(ValuePath(parsing: String(rest)))
    }

    static func literal(_ token: String) -> Value? {
        if token.count >= 2, token.first == "\"", token.last == "\"" { return .string(String(token.dropFirst().dropLast())) }
        if token == "true" { return .bool(true) }
        if token == "false" { return .bool(false) }
        if let i = Int64(token) { return .int(i) }
        return nil
    }

    /// Splits a pipeline into words, strings and parentheses.
    static func tokens(_ text: String) -> [String] {
        // Bytes, not Characters: the delimiters are ASCII, and Go's template lexer, too, takes only ASCII spaces.
        var text = text
        return text.withUTF8 { bytes in
            var out: [String] = []
            var start: Int?
            var inString = false
            func flush(_ end: Int) {
                if let s = start, end > s { out.append(String(decoding: bytes[s..<end], as: UTF8.self)) }
                start = nil
            }
            for i in 0..<bytes.count {
                let c = bytes[i]
                if inString {
                    if c == UInt8(ascii: "\""), bytes[i - 1] != UInt8(ascii: "\\") {
                        inString = false
                        flush(i + 1)
                    }
                } else if c == UInt8(ascii: "\"") {
                    flush(i)
                    start = i
                    inString = true
                } else if c == UInt8(ascii: "(") || c == UInt8(ascii: ")") || c == UInt8(ascii: "|") {
                    flush(i)
                    out.append(String(UnicodeScalar(c)))
                } else if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B || c == 0x0C {
                    flush(i)
                } else if start == nil {
                    start = i
                }
            }
            flush(bytes.count)
            return out
        }
    }
}
