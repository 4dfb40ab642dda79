import PolicyModel
import TextCore

/// Parses CEL expressions (the grammar of the CEL language definition) into ``CELNode`` trees.
public struct CELParser {
    private var tokens: [CELToken]
    private var pos = 0
    private var depth = 0
    private static let maxDepth = 250

    /// Parses `text` into an expression tree or throws the first error with its range.
    public static func parse(_ text: String) throws(CELCompileError) -> CELNode {
        var lexer = CELLexer(text)
        var parser = CELParser(tokens: try lexer.tokenize())
        let node = try parser.expression()
        guard case .eof = parser.current.kind else {
            throw CELCompileError("unexpected \(parser.describe(parser.current)) after the end of the expression", at: parser.current.range)
        }
        return node
    }

    private init(tokens: [CELToken]) { self.tokens = tokens }

    private var current: CELToken { tokens[pos] }

    private func describe(_ t: CELToken) -> String {
        switch t.kind {
        case .eof: return "end of expression"
        case .punct(let p): return "'\(p)'"
        case .ident(let n): return "identifier '\(n)'"
        default: return "literal"
        }
    }

    private func isPunct(_ p: String) -> Bool {
        if case .punct(let q) = current.kind { return q == p }
        return false
    }

    private mutating func accept(_ p: String) -> Bool {
        if isPunct(p) {
            pos += 1
            return true
        }
        return false
    }

    @discardableResult
    private mutating func expect(_ p: String) throws(CELCompileError) -> CELToken {
        guard isPunct(p) else { throw CELCompileError("expected '\(p)' but found \(describe(current))", at: current.range) }
        defer { pos += 1 }
        return current
    }

    private mutating func nest() throws(CELCompileError) {
        depth += 1
        if depth > CELParser.maxDepth { throw CELCompileError("expression nests too deeply", at: current.range) }
    }

    /// Counts one more link of a chain (`a && b && …`, `x.f.g…`): each nests the tree one level deeper, as
    /// brackets would, so a chain longer than the nesting limit is the same error.
    private func link(_ links: inout Int) throws(CELCompileError) {
        links += 1
        if depth + links > CELParser.maxDepth { throw CELCompileError("expression nests too deeply (a chain)", at: current.range) }
    }

    private mutating func expression() throws(CELCompileError) -> CELNode {
        try nest()
        defer { depth -= 1 }
        let cond = try conditionalOr()
        if accept("?") {
            let t = try conditionalOr()
            try expect(":")
            let f = try expression()
            return CELNode(expr: .conditional(cond, t, f), range: cond.range.union(f.range))
        }
        return cond
    }

    private mutating func conditionalOr() throws(CELCompileError) -> CELNode {
        var lhs = try conditionalAnd()
        var links = 0
        while accept("||") {
            try link(&links)
            let rhs = try conditionalAnd()
            lhs = CELNode(expr: .or(lhs, rhs), range: lhs.range.union(rhs.range))
        }
        return lhs
    }

    private mutating func conditionalAnd() throws(CELCompileError) -> CELNode {
        var lhs = try relation()
        var links = 0
        while accept("&&") {
            try link(&links)
            let rhs = try relation()
            lhs = CELNode(expr: .and(lhs, rhs), range: lhs.range.union(rhs.range))
        }
        return lhs
    }

    private mutating func relation() throws(CELCompileError) -> CELNode {
        var lhs = try addition()
        var links = 0
        while true {
            try link(&links)
            var op: String?
            if case .punct(let p) = current.kind, ["==", "!=", "<", "<=", ">", ">="].contains(p) { op = p }
            if case .ident("in") = current.kind { op = "in" }
            guard let op else { return lhs }
            pos += 1
            let rhs = try addition()
            lhs = CELNode(expr: .binary(op, lhs, rhs), range: lhs.range.union(rhs.range))
        }
    }

    private mutating func addition() throws(CELCompileError) -> CELNode {
        var lhs = try multiplication()
        var links = 0
        while case .punct(let p) = current.kind, p == "+" || p == "-" {
            try link(&links)
            pos += 1
            let rhs = try multiplication()
            lhs = CELNode(expr: .binary(p, lhs, rhs), range: lhs.range.union(rhs.range))
        }
        return lhs
    }

    private mutating func multiplication() throws(CELCompileError) -> CELNode {
        var lhs = try unary()
        var links = 0
        while case .punct(let p) = current.kind, p == "*" || p == "/" || p == "%" {
            try link(&links)
            pos += 1
            let rhs = try unary()
            lhs = CELNode(expr: .binary(p, lhs, rhs), range: lhs.range.union(rhs.range))
        }
        return lhs
    }

    private mutating func unary() throws(CELCompileError) -> CELNode {
        let start = current.range
        if accept("!") {
            try nest()
            defer { depth -= 1 }
            let operand = try unary()
            return CELNode(expr: .not(operand), range: start.union(operand.range))
        }
        if accept("-") {
            try nest()
            defer { depth -= 1 }
            // Fold the literal so the most negative int is representable.
            if case .uint(let u) = current.kind, u == 9_223_372_036_854_775_808, !isUintSuffixed(current) {
                let r = start.union(current.range)
                pos += 1
                return try member(CELNode(expr: .literal(.int(Int64.min)), range: r))
            }
            let operand = try unary()
            if case .literal(.int(let i)) = operand.expr, i != Int64.min, operand.range.start == start.end {
                return CELNode(expr: .literal(.int(-i)), range: start.union(operand.range))
            }
            if case .literal(.double(let d)) = operand.expr, operand.range.start == start.end {
                return CELNode(expr: .literal(.double(-d)), range: start.union(operand.range))
            }
            return CELNode(expr: .negate(operand), range: start.union(operand.range))
        }
        return try member(primary())
    }

    private func isUintSuffixed(_ token: CELToken) -> Bool {
        // The lexer only yields this uint without a suffix for the literal 9223372036854775808.
        token.range.length != 19
    }

    private mutating func member(_ base: CELNode) throws(CELCompileError) -> CELNode {
        var node = base
        var links = 0
        while true {
            try link(&links)
            if accept(".") {
                let name: String
                switch current.kind {
                case .ident(let n), .quotedIdent(let n): name = n
                default: throw CELCompileError("expected a field name after '.' but found \(describe(current))", at: current.range)
                }
                let nameRange = current.range
                pos += 1
                if accept("(") {
                    let args = try argumentList(closing: ")")
                    let end = tokens[pos - 1].range
                    node = try receiverCall(node, name, args, range: node.range.union(end), nameRange: nameRange)
                } else {
                    node = CELNode(expr: .select(node, name, testOnly: false), range: node.range.union(nameRange))
                }
            } else if accept("[") {
                let index = try expression()
                let close = try expect("]")
                node = CELNode(expr: .index(node, index), range: node.range.union(close.range))
            } else {
                return node
            }
        }
    }

    private mutating func receiverCall(_ target: CELNode, _ name: String, _ args: [CELNode], range: SourceRange, nameRange: SourceRange)
        throws(CELCompileError) -> CELNode
    {
        if name == "existsOne" || ((CELMacro(rawValue: name).map { $0 != .map } ?? false) && args.count == 3) {
            throw CELCompileError("not in the subset: two-variable comprehension \(name)(k, v, predicate)", at: range)
        }
        if let macro = CELMacro(rawValue: name), args.count == 2 || (macro == .map && args.count == 3) {
            guard case .ident(let variable) = args[0].expr else {
                throw CELCompileError("the first argument of \(name)() must be an identifier", at: args[0].range)
            }
            if args.count == 3 {
                return CELNode(expr: .comprehension(macro, range: target, variable: variable, filter: args[1], body: args[2]), range: range)
            }
            return CELNode(expr: .comprehension(macro, range: target, variable: variable, filter: nil, body: args[1]), range: range)
        }
        return CELNode(expr: .call(target: target, function: name, args: args), range: range)
    }

    private mutating func argumentList(closing: String) throws(CELCompileError) -> [CELNode] {
        var args: [CELNode] = []
        if accept(closing) { return args }
        while true {
            args.append(try expression())
            if accept(closing) { return args }
            try expect(",")
            if accept(closing) { return args }
        }
    }

    private mutating func primary() throws(CELCompileError) -> CELNode {
        let token = current
        switch token.kind {
        case .int(let v):
            pos += 1
            return CELNode(expr: .literal(.int(v)), range: token.range)
        case .uint(let v):
            if v == 9_223_372_036_854_775_808 && !isUintSuffixed(token) {
                throw CELCompileError("int literal out of range", at: token.range)
            }
            pos += 1
            return CELNode(expr: .literal(.uint(v)), range: token.range)
        case .double(let v):
            pos += 1
            return CELNode(expr: .literal(.double(v)), range: token.range)
        case .string(let v):
            pos += 1
            return CELNode(expr: .literal(.string(v)), range: token.range)
        case .bytes(let v):
            pos += 1
            return CELNode(expr: .literal(.bytes(v)), range: token.range)
        case .ident(let name):
            if CELLexer.reserved.contains(name) { throw CELCompileError("reserved identifier '\(name)'", at: token.range) }
            pos += 1
            switch name {
            case "true": return CELNode(expr: .literal(.bool(true)), range: token.range)
            case "false": return CELNode(expr: .literal(.bool(false)), range: token.range)
            case "null": return CELNode(expr: .literal(.null), range: token.range)
            default: break
            }
            if accept("(") {
                let args = try argumentList(closing: ")")
                let range = token.range.union(tokens[pos - 1].range)
                if name == "has" {
                    guard args.count == 1, case .select(let operand, let field, _) = args[0].expr else {
                        throw CELCompileError("has() takes one field selection, e.g. has(self.image)", at: range)
                    }
                    return CELNode(expr: .select(operand, field, testOnly: true), range: range)
                }
                return CELNode(expr: .call(target: nil, function: name, args: args), range: range)
            }
            if isPunct("{") {
                throw CELCompileError("not in the subset: protobuf message construction \(name){...}", at: current.range)
            }
            return CELNode(expr: .ident(name), range: token.range)
        case .punct("."):
            // A leading dot names the root scope: `.self` is `self`.
            pos += 1
            guard case .ident(let name) = current.kind else { throw CELCompileError("expected an identifier after '.'", at: current.range) }
            let r = token.range.union(current.range)
            pos += 1
            return CELNode(expr: .ident(name), range: r)
        case .punct("("):
            pos += 1
            let inner = try expression()
            try expect(")")
            return inner
        case .punct("["):
            pos += 1
            let items = try argumentList(closing: "]")
            return CELNode(expr: .list(items), range: token.range.union(tokens[pos - 1].range))
        case .punct("{"):
            pos += 1
            var entries: [(key: CELNode, value: CELNode)] = []
            if !accept("}") {
                while true {
                    let key = try expression()
                    try expect(":")
                    let value = try expression()
                    entries.append((key, value))
                    if accept("}") { break }
                    try expect(",")
                    if accept("}") { break }
                }
            }
            return CELNode(expr: .map(entries), range: token.range.union(tokens[pos - 1].range))
        default:
            throw CELCompileError("expected an expression but found \(describe(token))", at: token.range)
        }
    }
}
