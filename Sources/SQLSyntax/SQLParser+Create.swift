import TextCore

extension SQLParser {
    static func create(_ c: inout SQLCursor, _ d: inout SQLObject) -> String {
        let start = c.here.start
        flag(&d, "or_replace", c.accept("or", "replace"), at: start)
        var unique: SourceRange?
        var temporary: SourceRange?
        var unlogged: SourceRange?
        modifiers: while let t = c.current, t.kind == .word {
            switch t.value {
            case "temp", "temporary": temporary = t.range
            case "unlogged": unlogged = t.range
            case "global", "local", "trusted", "procedural", "recursive", "constraint", "default": break
            case "unique": unique = t.range
            default: break modifiers
            }
            c.p += 1
        }
        guard let object = c.current, object.kind == .word else { return "unknown" }
        c.p += 1
        switch object.value {
        case "table":
            flag(&d, "temporary", temporary, at: start)
            flag(&d, "unlogged", unlogged, at: start)
            return createTable(&c, &d)
        case "index":
            flag(&d, "unique", unique, at: start)
            return createIndex(&c, &d)
        case "view":
            createNamed(&c, &d)
            return "create_view"
        case "materialized":
            c.accept("view")
            createNamed(&c, &d)
            return "create_materialized_view"
        case "type":
            return createType(&c, &d)
        case "sequence":
            createNamed(&c, &d)
            if c.accept("as") != nil, let type = SQLTypes.parse(&c) { d["type"] = type }
            return "create_sequence"
        case "schema":
            flag(&d, "if_not_exists", c.ifNotExists(), at: start)
            if c.accept("authorization") != nil {
                if let n = c.identifier() { d.set("name", .string(n.name), n.range) }
            } else if let n = c.identifier() {
                d.set("name", .string(n.name), n.range)
            }
            return "create_schema"
        case "extension":
            createNamed(&c, &d)
            return "create_extension"
        case "function", "procedure":
            createNamed(&c, &d)
            routine(&c, &d)
            return "create_" + object.value
        case "trigger":
            if let n = c.identifier() { d.set("name", .string(n.name), n.range) }
            while let t = c.current, !t.isWord("on") { c.p += 1 }
            if c.accept("on") != nil, let table = c.qualifiedName() { d.set("table", .string(table.name), table.range) }
            if let r = c.tokens.firstIndex(where: { $0.isWord("function") || $0.isWord("procedure") }), r > c.p {
                c.p = r + 1
                if let f = c.qualifiedName() { d.set("function", .string(f.name), f.range) }
            }
            return "create_trigger"
        case "domain":
            createNamed(&c, &d)
            c.accept("as")
            if let type = SQLTypes.parse(&c) { d["type"] = type }
            let check = c.tokens[c.p...].first { $0.isWord("check") }
            flag(&d, "has_check", check?.range, at: start)
            return "create_domain"
        case "database":
            createNamed(&c, &d)
            return "create_database"
        case "role", "user", "group":
            if object.value == "user", c.accept("mapping") != nil { return "create_user_mapping" }
            createNamed(&c, &d)
            return "create_role"
        case "policy":
            if let n = c.identifier() { d.set("name", .string(n.name), n.range) }
            if c.accept("on") != nil, let t = c.qualifiedName() { d.set("table", .string(t.name), t.range) }
            return "create_policy"
        case "foreign":
            if c.accept("table") != nil {
                createNamed(&c, &d)
                return "create_foreign_table"
            }
            c.accept("data", "wrapper")
            createNamed(&c, &d)
            return "create_foreign_data_wrapper"
        case "event":
            c.accept("trigger")
            createNamed(&c, &d)
            return "create_event_trigger"
        case "text":
            c.accept("search")
            return "create_text_search"
        case "access":
            c.accept("method")
            return "create_access_method"
        case "operator":
            if c.accept("class") != nil { return "create_operator_class" }
            if c.accept("family") != nil { return "create_operator_family" }
            return "create_operator"
        case "aggregate", "cast", "collation", "conversion", "server", "publication", "subscription", "statistics", "tablespace",
            "transform", "language", "rule", "user mapping":
            createNamed(&c, &d)
            return "create_" + object.value
        default:
            return "unknown"
        }
    }

    /// `[IF NOT EXISTS] name`.
    static func createNamed(_ c: inout SQLCursor, _ d: inout SQLObject) {
        flag(&d, "if_not_exists", c.ifNotExists(), at: c.here.start)
        if let n = c.qualifiedName() { d.set("name", .string(n.name), n.range) }
    }

    /// A function or procedure: its language and body (kept as text).
    static func routine(_ c: inout SQLCursor, _ d: inout SQLObject) {
        if c.current?.isPunct("(") == true { c.skipGroup() }
        for (k, t) in c.tokens.enumerated() where k >= c.p {
            if t.isWord("language"), k + 1 < c.tokens.count {
                d.set("language", .string(c.tokens[k + 1].value.lowercased()), c.tokens[k + 1].range)
            }
            if t.kind == .dollarString || (t.kind == .string && k > 0 && c.tokens[k - 1].isWord("as")) {
                if d["body"] == nil { d.set("body", .string(t.value), t.range) }
            }
        }
    }

    static func createType(_ c: inout SQLCursor, _ d: inout SQLObject) -> String {
        if let n = c.qualifiedName() { d.set("name", .string(n.name), n.range) }
        guard c.accept("as") != nil else { return "create_type" }
        if let r = c.accept("enum") {
            d.set("as", .string("enum"), r)
            if let values = c.list({ c -> SQLField? in
                guard let t = c.current, t.kind == .string else { return nil }
                c.p += 1
                return SQLField(.string(t.value), t.range)
            }) {
                d.set("values", .list(values.items), values.range)
            }
        } else if let r = c.accept("range") {
            d.set("as", .string("range"), r)
        } else if c.current?.isPunct("(") == true {
            d.set("as", .string("composite"), c.here)
        }
        return "create_type"
    }

    static func createIndex(_ c: inout SQLCursor, _ d: inout SQLObject) -> String {
        let start = c.here.start
        flag(&d, "concurrently", c.accept("concurrently"), at: start)
        flag(&d, "if_not_exists", c.ifNotExists(), at: start)
        if !c.at("on"), let n = c.qualifiedName() { d.set("name", .string(n.name), n.range) }
        c.accept("on")
        c.accept("only")
        if let t = c.qualifiedName() { d.set("table", .string(t.name), t.range) }
        if c.accept("using") != nil, let m = c.identifier() { d.set("method", .string(m.name), m.range) }
        if let cols = c.list({ c -> SQLField? in
            guard let t = c.current else { return nil }
            if t.isIdentifier, let next = c.peek(1),
                next.isPunct(",") || next.isPunct(")") || (next.kind == .word && ["asc", "desc", "nulls", "collate"].contains(next.value))
            {
                c.p += 1
                return SQLField(.string(t.value), t.range)
            }
            guard let r = c.skipExpression() else { return nil }
            return SQLField(.string("(expression)"), r)
        }) {
            d.set("columns", .list(cols.items), cols.range)
        }
        if c.accept("include") != nil { c.skipGroup() }
        if c.accept("nulls") != nil {
            c.accept("not")
            c.accept("distinct")
        }
        if c.accept("with") != nil { c.skipGroup() }
        if c.accept("tablespace") != nil { _ = c.identifier() }
        if let w = c.accept("where") {
            let from = c.p
            while !c.atEnd { c.p += 1 }
            d.set("where", .string(c.tokens[from..<c.p].map(\.value).joined(separator: " ")), w.union(c.range(from: from)))
        }
        return "create_index"
    }
}
