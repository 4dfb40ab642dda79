import TextCore

/// Binary operators by precedence level (hclsyntax specification, "Operations"); higher binds tighter.
private let binaryLevels: [[StaticString]] = [["||"], ["&&"], ["==", "!="], ["<=", ">=", "<", ">"], ["+", "-"], ["*", "/", "%"]]

extension HCLParserState {
    /// Parses an expression; `newlines` says whether newlines are whitespace (inside brackets) or end it.
    mutating func parseExpression(newlines: Bool) throws(HCLSyntaxError) -> HCLExpression {
        depth += 1
        defer { depth -= 1 }
        if depth > HCLParserState.maxDepth { throw error("the expression nests too deeply", here) }
        let condition = try parseBinary(level: 0, newlines: newlines)
        skipTrivia(newlines: newlines)
        guard peek() == UInt8(ascii: "?") else { return condition }
        pos += 1
        skipTrivia(newlines: newlines)
        let then = try parseExpression(newlines: newlines)
        skipTrivia(newlines: newlines)
        guard peek() == UInt8(ascii: ":") else { throw error("expected ':' in the conditional expression, found \(found)", here) }
        pos += 1
        skipTrivia(newlines: newlines)
        let otherwise = try parseExpression(newlines: newlines)
        return HCLExpression(.conditional(condition, then, otherwise), condition.range.union(otherwise.range))
    }

    private mutating func parseBinary(level: Int, newlines: Bool) throws(HCLSyntaxError) -> HCLExpression {
        guard level < binaryLevels.count else { return try parseUnary(newlines: newlines) }
        var lhs = try parseBinary(level: level + 1, newlines: newlines)
        // Each operator of a chain (`1 + 1 + …`) nests the tree one level deeper, as brackets would.
        var chained = 0
        while true {
            let save = pos
            skipTrivia(newlines: newlines)
            // Most expressions end here: no operator of any level starts with the next byte.
            guard let next = peek(), HCLParserState.startsOperator(next),
                let op = binaryLevels[level].first(where: { peekIs($0) }), !isOtherOperator(op)
            else {
                pos = save
                return lhs
            }
            chained += 1
            if depth + chained > HCLParserState.maxDepth { throw error("the expression nests too deeply (a chain of operators)", here) }
            pos += op.utf8CodeUnitCount
            skipTrivia(newlines: true)
            let rhs = try parseBinary(level: level + 1, newlines: newlines)
            lhs = HCLExpression(.binary(op.description, lhs, rhs), lhs.range.union(rhs.range))
        }
    }

    /// Whether `byte` is the first byte of a binary operator (`|| && == != <= >= < > + - * / %`).
    static func startsOperator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "|"), UInt8(ascii: "&"), UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"),
            UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%"):
            return true
        default:
            return false
        }
    }

    /// Whether `[*]` (a nested full splat) is at the cursor.
    private func isSplatBracket() -> Bool {
        var probe = self
        probe.pos += 1
        probe.skipTrivia(newlines: true)
        guard probe.peek() == UInt8(ascii: "*") else { return false }
        probe.pos += 1
        probe.skipTrivia(newlines: true)
        return probe.peek() == UInt8(ascii: "]")
    }

    /// Whether the operator prefix at the cursor is really a longer token (`=>`, `<<` heredoc, `/*`, `//`).
    private func isOtherOperator(_ op: StaticString) -> Bool {
        switch op.description {
        case "<": return peekIs("<<")
        case "/": return peekIs("//") || peekIs("/*")
        default: return false
        }
    }

    private mutating func parseUnary(newlines: Bool) throws(HCLSyntaxError) -> HCLExpression {
        if let c = peek(), c == UInt8(ascii: "-") || c == UInt8(ascii: "!"), !(c == UInt8(ascii: "!") && peek(1) == UInt8(ascii: "=")) {
            let start = pos
            pos += 1
            skipTrivia(newlines: newlines)
            depth += 1
            defer { depth -= 1 }
            if depth > HCLParserState.maxDepth { throw error("the expression nests too deeply", here) }
            let operand = try parseUnary(newlines: newlines)
            return HCLExpression(.unary(c == UInt8(ascii: "-") ? "-" : "!", operand), SourceRange(start: start, end: operand.range.end))
        }
        return try parsePostfix(parsePrimary(newlines: newlines), newlines: newlines)
    }

    private mutating func parsePostfix(_ base: HCLExpression, newlines: Bool) throws(HCLSyntaxError) -> HCLExpression {
        var expr = base
        // Each step (`.name`, `[i]`) nests the tree one level deeper.
        var steps = 0
        while true {
            steps += 1
            if depth + steps > HCLParserState.maxDepth {
                throw error("the expression nests too deeply (a chain of attribute or index steps)", here)
            }
            let save = pos
            skipTrivia(newlines: newlines)
            if peek() == UInt8(ascii: ".") && peek(1) != UInt8(ascii: ".") {
                pos += 1
                if peek() == UInt8(ascii: "*") {
                    pos += 1
                    var steps: [HCLTraversalStep] = []
                    while peek() == UInt8(ascii: "."), peek(1) != UInt8(ascii: "*") {
                        let stepStart = pos
                        pos += 1
                        guard let (name, range) = identifier() else {
                            pos = stepStart
                            break
                        }
                        steps.append(.attribute(name, range))
                    }
                    expr = HCLExpression(.splat(expr, full: false, steps: steps), SourceRange(start: expr.range.start, end: pos))
                } else if let d = peek(), d >= UInt8(ascii: "0"), d <= UInt8(ascii: "9") {
                    let start = pos
                    while let d = peek(), d >= UInt8(ascii: "0"), d <= UInt8(ascii: "9") { pos += 1 }
                    let index = Int(String(decoding: bytes[start..<pos], as: UTF8.self)) ?? 0
                    expr = HCLExpression(.legacyIndex(expr, index), SourceRange(start: expr.range.start, end: pos))
                } else if let (name, range) = identifier() {
                    expr = HCLExpression(.getAttribute(expr, name, nameRange: range), expr.range.union(range))
                } else {
                    throw error("expected an attribute name after '.', found \(found)", here)
                }
            } else if peek() == UInt8(ascii: "[") {
                let open = pos
                pos += 1
                skipTrivia(newlines: true)
                if peek() == UInt8(ascii: "*") {
                    var probe = self
                    probe.pos += 1
                    probe.skipTrivia(newlines: true)
                    if probe.peek() == UInt8(ascii: "]") {
                        pos = probe.pos + 1
                        var steps: [HCLTraversalStep] = []
                        while true {
                            if peek() == UInt8(ascii: "."), peek(1) != UInt8(ascii: "*") {
                                let stepStart = pos
                                pos += 1
                                guard let (name, range) = identifier() else {
                                    pos = stepStart
                                    break
                                }
                                steps.append(.attribute(name, range))
                            } else if peek() == UInt8(ascii: "["), !isSplatBracket() {
                                pos += 1
                                skipTrivia(newlines: true)
                                let index = try parseExpression(newlines: true)
                                skipTrivia(newlines: true)
                                guard peek() == UInt8(ascii: "]") else { throw error("expected ']' after the index, found \(found)", here) }
                                pos += 1
                                steps.append(.index(index))
                            } else {
                                break
                            }
                        }
                        expr = HCLExpression(.splat(expr, full: true, steps: steps), SourceRange(start: expr.range.start, end: pos))
                        continue
                    }
                }
                let index = try parseExpression(newlines: true)
                skipTrivia(newlines: true)
                guard peek() == UInt8(ascii: "]") else {
                    throw error("expected ']' to close the index opened here", SourceRange(start: open, end: open + 1))
                }
                pos += 1
                expr = HCLExpression(.index(expr, index), SourceRange(start: expr.range.start, end: pos))
            } else {
                pos = save
                return expr
            }
        }
    }

    private mutating func parsePrimary(newlines: Bool) throws(HCLSyntaxError) -> HCLExpression {
        let start = pos
        guard let c = peek() else { throw error("expected an expression, found end of file", here) }
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return parseNumber()
        case UInt8(ascii: "\""):
            let t = try parseQuotedTemplate()
            return HCLExpression(.template(t.template), t.range)
        case UInt8(ascii: "<") where peekIs("<<"):
            return try parseHeredoc()
        case UInt8(ascii: "("):
            pos += 1
            skipTrivia(newlines: true)
            let inner = try parseExpression(newlines: true)
            skipTrivia(newlines: true)
            guard peek() == UInt8(ascii: ")") else {
                throw error("expected ')' to close the '(' opened here", SourceRange(start: start, end: start + 1))
            }
            pos += 1
            return HCLExpression(.parenthesized(inner), SourceRange(start: start, end: pos))
        case UInt8(ascii: "["):
            return try parseTuple()
        case UInt8(ascii: "{"):
            return try parseObject()
        default:
            guard let (name, range) = identifier() else {
                throw error("expected an expression, found \(found)", here)
            }
            switch name {
            case "true": return HCLExpression(.bool(true), range)
            case "false": return HCLExpression(.bool(false), range)
            case "null": return HCLExpression(.null, range)
            default: break
            }
            // Provider-defined functions: provider::aws::arn_parse(...).
            var callee = name
            var calleeRange = range
            while peekIs("::") {
                let save = pos
                pos += 2
                guard let (part, partRange) = identifier() else {
                    pos = save
                    break
                }
                callee += "::" + part
                calleeRange = calleeRange.union(partRange)
            }
            let save = pos
            skipTrivia(newlines: false)
            if peek() == UInt8(ascii: "(") {
                return try parseCall(callee, calleeRange)
            }
            pos = save
            return HCLExpression(.variable(name), range)
        }
    }

    private mutating func parseNumber() -> HCLExpression {
        let start = pos
        func digits() { while let d = peek(), d >= UInt8(ascii: "0"), d <= UInt8(ascii: "9") { pos += 1 } }
        digits()
        if peek() == UInt8(ascii: "."), let d = peek(1), d >= UInt8(ascii: "0"), d <= UInt8(ascii: "9") {
            pos += 1
            digits()
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var k = 1
            if let s = peek(1), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { k = 2 }
            if let d = peek(k), d >= UInt8(ascii: "0"), d <= UInt8(ascii: "9") {
                pos += k
                digits()
            }
        }
        return HCLExpression(.number(String(decoding: bytes[start..<pos], as: UTF8.self)), SourceRange(start: start, end: pos))
    }

    private mutating func parseCall(_ name: String, _ nameRange: SourceRange) throws(HCLSyntaxError) -> HCLExpression {
        let open = pos
        pos += 1
        var args: [HCLExpression] = []
        var expand = false
        while true {
            skipTrivia(newlines: true)
            if peek() == UInt8(ascii: ")") { break }
            args.append(try parseExpression(newlines: true))
            skipTrivia(newlines: true)
            if peekIs("...") {
                pos += 3
                expand = true
                skipTrivia(newlines: true)
            }
            if peek() == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            if peek() == UInt8(ascii: ")") { break }
            throw error(
                "expected ',' or ')' in the arguments of \(name)(), found \(found)",
                here.start == bytes.count ? SourceRange(start: open, end: open + 1) : here)
        }
        pos += 1
        return HCLExpression(
            .call(name, nameRange: nameRange, arguments: args, expandFinal: expand), SourceRange(start: nameRange.start, end: pos))
    }

    /// `k, v in collection` after the `for` keyword, in for expressions and `%{for}` directives.
    mutating func parseForVariables(in what: String) throws(HCLSyntaxError) -> HCLForIntro {
        skipTrivia(newlines: true)
        guard let (first, _) = identifier() else { throw error("expected a variable name after 'for', found \(found)", here) }
        skipTrivia(newlines: true)
        var keyName: String?
        var valueName = first
        if peek() == UInt8(ascii: ",") {
            pos += 1
            skipTrivia(newlines: true)
            guard let (second, _) = identifier() else { throw error("expected a second variable name after ',', found \(found)", here) }
            keyName = first
            valueName = second
            skipTrivia(newlines: true)
        }
        guard atKeyword("in") else { throw error("expected 'in' in the \(what), found \(found)", here) }
        pos += 2
        skipTrivia(newlines: true)
        return HCLForIntro(keyName: keyName, valueName: valueName, collection: try parseExpression(newlines: true))
    }

    /// `for k, v in collection :` after the opening bracket.
    private mutating func parseForIntro() throws(HCLSyntaxError) -> HCLForIntro {
        pos += 3
        let intro = try parseForVariables(in: "for expression")
        let collection = intro.collection
        let keyName = intro.keyName
        let valueName = intro.valueName
        skipTrivia(newlines: true)
        guard peek() == UInt8(ascii: ":") else {
            throw error("expected ':' after the collection of the for expression, found \(found)", here)
        }
        pos += 1
        skipTrivia(newlines: true)
        return HCLForIntro(keyName: keyName, valueName: valueName, collection: collection)
    }

    private mutating func parseForCondition() throws(HCLSyntaxError) -> HCLExpression? {
        skipTrivia(newlines: true)
        guard atKeyword("if") else { return nil }
        pos += 2
        skipTrivia(newlines: true)
        return try parseExpression(newlines: true)
    }

    private mutating func parseTuple() throws(HCLSyntaxError) -> HCLExpression {
        let start = pos
        pos += 1
        skipTrivia(newlines: true)
        if atKeyword("for") {
            let intro = try parseForIntro()
            let value = try parseExpression(newlines: true)
            let condition = try parseForCondition()
            skipTrivia(newlines: true)
            guard peek() == UInt8(ascii: "]") else { throw error("expected ']' to close the for expression, found \(found)", here) }
            pos += 1
            return HCLExpression(.forTuple(intro, value: value, condition: condition), SourceRange(start: start, end: pos))
        }
        var items: [HCLExpression] = []
        while true {
            skipTrivia(newlines: true)
            if peek() == UInt8(ascii: "]") { break }
            guard !atEnd else { throw error("expected ']' to close the list opened here", SourceRange(start: start, end: start + 1)) }
            items.append(try parseExpression(newlines: true))
            skipTrivia(newlines: true)
            if peek() == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            if peek() == UInt8(ascii: "]") { break }
            throw error("expected ',' or ']' in the list, found \(found)", here)
        }
        pos += 1
        return HCLExpression(.tuple(items), SourceRange(start: start, end: pos))
    }

    private mutating func parseObject() throws(HCLSyntaxError) -> HCLExpression {
        let start = pos
        pos += 1
        skipTrivia(newlines: true)
        if atKeyword("for") {
            let intro = try parseForIntro()
            let key = try parseExpression(newlines: true)
            skipTrivia(newlines: true)
            guard peekIs("=>") else { throw error("expected '=>' in the object for expression, found \(found)", here) }
            pos += 2
            skipTrivia(newlines: true)
            let value = try parseExpression(newlines: true)
            skipTrivia(newlines: true)
            var group = false
            if peekIs("...") {
                pos += 3
                group = true
            }
            let condition = try parseForCondition()
            skipTrivia(newlines: true)
            guard peek() == UInt8(ascii: "}") else { throw error("expected '}' to close the for expression, found \(found)", here) }
            pos += 1
            return HCLExpression(
                .forObject(intro, key: key, value: value, group: group, condition: condition), SourceRange(start: start, end: pos))
        }
        var items: [HCLObjectItem] = []
        while true {
            skipTrivia(newlines: true)
            if peek() == UInt8(ascii: "}") { break }
            guard !atEnd else { throw error("expected '}' to close the object opened here", SourceRange(start: start, end: start + 1)) }
            var key: HCLExpression
            var bare = false
            let keyStart = pos
            if let (name, range) = identifier() {
                var probe = self
                probe.skipTrivia(newlines: true)
                if (probe.peek() == UInt8(ascii: "=") && probe.peek(1) != UInt8(ascii: "=") && probe.peek(1) != UInt8(ascii: ">"))
                    || probe.peek() == UInt8(ascii: ":")
                {
                    key = HCLExpression(.variable(name), range)
                    bare = true
                } else {
                    pos = keyStart
                    key = try parseExpression(newlines: true)
                }
            } else {
                key = try parseExpression(newlines: true)
            }
            skipTrivia(newlines: true)
            guard peek() == UInt8(ascii: "=") || peek() == UInt8(ascii: ":") else {
                throw error("expected '=' or ':' after the object key, found \(found)", here)
            }
            pos += 1
            skipTrivia(newlines: true)
            let value = try parseExpression(newlines: true)
            items.append(HCLObjectItem(key: key, keyIsIdentifier: bare, value: value))
            skipTrivia(newlines: true)
            if peek() == UInt8(ascii: ",") { pos += 1 }
        }
        pos += 1
        return HCLExpression(.object(items), SourceRange(start: start, end: pos))
    }
}
