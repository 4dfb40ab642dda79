import TextCore

extension SQLParser {
    static func alter(_ c: inout SQLCursor, _ d: inout SQLObject) -> String {
        guard let object = c.current, object.kind == .word else { return "unknown" }
        c.p += 1
        switch object.value {
        case "table":
            return alterTable(&c, &d)
        case "type":
            return alterType(&c, &d)
        case "domain":
            if let n = c.qualifiedName() { d.set("name", .string(n.name), n.range) }
            if let t = c.current, t.kind == .word {
                var action = t.value
                if c.accept("add", "constraint") != nil || c.accept("add") != nil {
                    action = "add_constraint"
                } else if c.accept("drop", "constraint") != nil {
                    action = "drop_constraint"
                } else if c.accept("validate", "constraint") != nil {
                    action = "validate_constraint"
                }
                d.set("action", .string(action), t.range.union(c.range(from: max(0, c.p - 1))))
            }
            return "alter_domain"
        case "schema":
            if let n = c.identifier() { d.set("name", .string(n.name), n.range) }
            if let r = c.accept("rename", "to") {
                d.set("action", .string("rename"), r)
                if let n = c.identifier() { d.set("new_name", .string(n.name), n.range) }
            }
            return "alter_schema"
        case "materialized":
            c.accept("view")
            alterNamed(&c, &d)
            if let r = c.accept("rename", "to") { d.set("action", .string("rename"), r) }
            return "alter_materialized_view"
        case "foreign":
            if c.accept("table") != nil {
                alterNamed(&c, &d)
                return "alter_foreign_table"
            }
            return "alter_foreign_data_wrapper"
        case "default":
            c.accept("privileges")
            return "alter_default_privileges"
        case "text":
            c.accept("search")
            if let t = c.current, ["configuration", "dictionary", "parser", "template"].contains(t.value) {
                return "alter_text_search_" + t.value
            }
            return "alter_text_search"
        case "event":
            return "alter_event_trigger"
        case "operator":
            if c.accept("class") != nil { return "alter_operator_class" }
            if c.accept("family") != nil { return "alter_operator_family" }
            return "alter_operator"
        case "user":
            if c.accept("mapping") != nil { return "alter_user_mapping" }
            alterNamed(&c, &d)
            return "alter_role"
        case "role", "group":
            alterNamed(&c, &d)
            return "alter_role"
        case "index", "sequence", "view", "function", "procedure", "routine", "database", "extension", "system", "policy", "trigger",
            "publication", "subscription", "aggregate", "collation", "conversion", "language", "large", "server", "statistics",
            "tablespace", "rule":
            alterNamed(&c, &d)
            if c.current?.isPunct("(") == true { c.skipGroup() }
            if ["trigger", "policy", "rule"].contains(object.value), c.accept("on") != nil, let t = c.qualifiedName() {
                d.set("table", .string(t.name), t.range)
            }
            if let r = c.accept("rename", "to") {
                d.set("action", .string("rename"), r)
            } else if c.at("attach", "partition") {
                d.set("action", .string("attach_partition"), c.here)
            }
            return "alter_" + object.value
        default:
            return "unknown"
        }
    }

    static func alterNamed(_ c: inout SQLCursor, _ d: inout SQLObject) {
        flag(&d, "if_exists", c.ifExists(), at: c.here.start)
        c.accept("all", "in", "tablespace")
        if let n = c.qualifiedName() { d.set("name", .string(n.name), n.range) }
    }

    static func alterType(_ c: inout SQLCursor, _ d: inout SQLObject) -> String {
        if let n = c.qualifiedName() { d.set("name", .string(n.name), n.range) }
        let start = c.here.start
        if let r = c.accept("add", "value") {
            d.set("action", .string("add_value"), r)
            flag(&d, "if_not_exists", c.ifNotExists(), at: start)
            if let t = c.current, t.kind == .string {
                d.set("value", .string(t.value), t.range)
                c.p += 1
            }
            if let t = c.current, t.isWord("before") || t.isWord("after") {
                d.set("position", .string(t.value), t.range)
                c.p += 1
            }
        } else if let r = c.accept("rename", "value") {
            d.set("action", .string("rename_value"), r)
        } else if let r = c.accept("rename", "to") {
            d.set("action", .string("rename"), r)
        } else if let t = c.current, t.kind == .word {
            d.set("action", .string(t.value), t.range)
        }
        return "alter_type"
    }

    static func alterTable(_ c: inout SQLCursor, _ d: inout SQLObject) -> String {
        let start = c.here.start
        if c.accept("all", "in", "tablespace") != nil { return "alter_table" }
        flag(&d, "if_exists", c.ifExists(), at: start)
        c.accept("only")
        guard let name = c.qualifiedName() else { return "alter_table" }
        d.set("table", .string(name.name), name.range)
        c.acceptPunct("*")
        var actions: [SQLField] = []
        while !c.atEnd {
            let before = c.p
            if let a = alterTableAction(&c) { actions.append(a) }
            // Up to the next action.
            var depth = 0
            while let t = c.current {
                if t.isPunct("(") { depth += 1 }
                if t.isPunct(")") { depth -= 1 }
                if depth == 0 && t.isPunct(",") { break }
                c.p += 1
            }
            c.acceptPunct(",")
            if c.p == before { c.p += 1 }
        }
        d.set("actions", .list(actions), actions.first.map { $0.range.union(actions.last!.range) } ?? name.range)
        return "alter_table"
    }

    /// One ALTER TABLE action as an object whose `action` says which.
    static func alterTableAction(_ c: inout SQLCursor) -> SQLField? {
        let start = c.p
        guard let verb = c.current, verb.kind == .word else { return nil }
        var a = SQLObject()
        func done(_ action: String) -> SQLField {
            a.set("action", .string(action), verb.range)
            return SQLField(.object(a), c.range(from: start))
        }
        switch verb.value {
        case "add":
            c.p += 1
            if let t = c.current, t.kind == .word, tableConstraintStarts.contains(t.value), !(t.value == "check" && false) {
                if let k = tableConstraint(&c) { a["constraint"] = k }
                return done("add_constraint")
            }
            c.accept("column")
            flag(&a, "if_not_exists", c.ifNotExists(), at: verb.range.start)
            if let col = columnDefinition(&c) { a["column"] = col }
            return done("add_column")
        case "drop":
            c.p += 1
            if c.accept("constraint") != nil {
                flag(&a, "if_exists", c.ifExists(), at: verb.range.start)
                if let n = c.identifier() { a.set("name", .string(n.name), n.range) }
                flag(&a, "cascade", c.accept("cascade"), at: verb.range.start)
                return done("drop_constraint")
            }
            c.accept("column")
            flag(&a, "if_exists", c.ifExists(), at: verb.range.start)
            if let n = c.identifier() { a.set("name", .string(n.name), n.range) }
            flag(&a, "cascade", c.accept("cascade"), at: verb.range.start)
            return done("drop_column")
        case "alter":
            c.p += 1
            if c.accept("constraint") != nil {
                if let n = c.identifier() { a.set("name", .string(n.name), n.range) }
                return done("alter_constraint")
            }
            c.accept("column")
            let column = c.identifier()
            if let n = column { a.set("name", .string(n.name), n.range) }
            if c.accept("set", "data", "type") != nil || c.accept("type") != nil {
                if let type = SQLTypes.parse(&c) { a["type"] = type }
                if c.accept("collate") != nil { _ = c.qualifiedName() }
                if let r = c.accept("using") {
                    a.set("using", .bool(true), r)
                    // `USING column` converts the column as it is, as no USING does (the action's range stays as it was).
                    let after = c.p
                    if let e = c.identifier(), e.name == column?.name, c.current == nil || c.current?.isPunct(",") == true {
                        a.set("using_column", .bool(true), e.range)
                    }
                    c.p = after
                }
                return done("alter_column_type")
            }
            if c.accept("set", "not", "null") != nil { return done("set_not_null") }
            if c.accept("drop", "not", "null") != nil { return done("drop_not_null") }
            if c.accept("set", "default") != nil {
                let from = c.p
                while let t = c.current, !t.isPunct(",") {
                    if t.isPunct("(") { c.skipGroup() } else { c.p += 1 }
                }
                let range = c.range(from: from)
                let volatile = callsVolatile(c.tokens, from..<c.p)
                var def = SQLObject()
                def.set("text", .string(c.tokens[from..<c.p].map(\.value).joined(separator: " ")), range)
                def.set("volatile", .bool(volatile), range)
                a.set("default", .object(def), range)
                return done("set_default")
            }
            if c.accept("drop", "default") != nil { return done("drop_default") }
            if c.accept("add", "generated") != nil { return done("add_identity") }
            if c.accept("drop", "identity") != nil { return done("drop_identity") }
            if c.accept("drop", "expression") != nil { return done("drop_expression") }
            return done("alter_column_other")
        case "validate":
            c.p += 1
            c.accept("constraint")
            if let n = c.identifier() { a.set("name", .string(n.name), n.range) }
            return done("validate_constraint")
        case "rename":
            c.p += 1
            if c.accept("constraint") != nil {
                if let n = c.identifier() { a.set("name", .string(n.name), n.range) }
                c.accept("to")
                if let n = c.identifier() { a.set("new_name", .string(n.name), n.range) }
                return done("rename_constraint")
            }
            if c.accept("to") != nil {
                if let n = c.identifier() { a.set("new_name", .string(n.name), n.range) }
                return done("rename")
            }
            c.accept("column")
            if let n = c.identifier() { a.set("name", .string(n.name), n.range) }
            c.accept("to")
            if let n = c.identifier() { a.set("new_name", .string(n.name), n.range) }
            return done("rename_column")
        case "set":
            c.p += 1
            if c.accept("schema") != nil {
                if let n = c.identifier() { a.set("new_schema", .string(n.name), n.range) }
                return done("set_schema")
            }
            if c.accept("tablespace") != nil { return done("set_tablespace") }
            if c.accept("logged") != nil { return done("set_logged") }
            if c.accept("unlogged") != nil { return done("set_unlogged") }
            return done("set_options")
        case "enable", "disable", "force", "no":
            c.p += 1
            if c.accept("row", "level", "security") != nil {
                return done(
                    verb.value == "enable"
                        ? "enable_rls" : verb.value == "force" ? "force_rls" : verb.value == "no" ? "no_force_rls" : "disable_rls")
            }
            if verb.value == "no", c.accept("force", "row", "level", "security") != nil { return done("no_force_rls") }
            c.accept("replica")
            c.accept("always")
            if c.accept("trigger") != nil {
                if let n = c.identifier() { a.set("name", .string(n.name), n.range) }
                return done(verb.value + "_trigger")
            }
            if c.accept("rule") != nil { return done(verb.value + "_rule") }
            return done(verb.value + "_other")
        case "attach":
            c.p += 1
            c.accept("partition")
            if let n = c.qualifiedName() { a.set("partition", .string(n.name), n.range) }
            return done("attach_partition")
        case "detach":
            c.p += 1
            c.accept("partition")
            if let n = c.qualifiedName() { a.set("partition", .string(n.name), n.range) }
            flag(&a, "concurrently", c.accept("concurrently"), at: verb.range.start)
            return done("detach_partition")
        case "owner":
            c.p += 1
            return done("owner_to")
        default:
            c.p += 1
            return done(verb.value)
        }
    }

    static let dropObjectWords: [[String]] = [
        ["materialized", "view"], ["foreign", "table"], ["foreign", "data", "wrapper"], ["event", "trigger"], ["access", "method"],
        ["operator", "class"], ["operator", "family"], ["text", "search", "configuration"], ["text", "search", "dictionary"],
        ["text", "search", "parser"], ["text", "search", "template"], ["user", "mapping"], ["table"], ["index"], ["view"], ["type"],
        ["sequence"], ["schema"], ["extension"], ["function"], ["procedure"], ["routine"], ["trigger"], ["domain"], ["database"],
        ["role"], ["user"], ["group"], ["policy"], ["rule"], ["aggregate"], ["operator"], ["cast"], ["collation"], ["conversion"],
        ["server"], ["publication"], ["subscription"], ["statistics"], ["tablespace"], ["transform"], ["language"], ["owned"],
    ]

    static func drop(_ c: inout SQLCursor, _ d: inout SQLObject) -> String {
        let start = c.here.start
        c.accept("procedural")
        guard let words = dropObjectWords.first(where: { c.at($0) }) else { return "unknown" }
        let objectRange = c.here
        c.p += words.count
        d.set("object_type", .string(words.joined(separator: " ")), objectRange)
        // DROP USER and DROP GROUP drop roles (DROP USER MAPPING does not).
        let kindWords = words == ["user"] || words == ["group"] ? ["role"] : words
        flag(&d, "concurrently", c.accept("concurrently"), at: start)
        flag(&d, "if_exists", c.ifExists(), at: start)
        var names: [SQLField] = []
        while let n = c.qualifiedName() {
            names.append(SQLField(.string(n.name), n.range))
            if c.current?.isPunct("(") == true { c.skipGroup() }
            if c.acceptPunct(",") == nil { break }
        }
        d.set("names", .list(names), names.first.map { $0.range.union(names.last!.range) } ?? c.here)
        if ["trigger", "policy", "rule"].contains(words[0]), c.accept("on") != nil, let t = c.qualifiedName() {
            d.set("table", .string(t.name), t.range)
        }
        var cascade: SourceRange?
        while let t = c.current {
            if t.isWord("cascade") { cascade = t.range }
            c.p += 1
        }
        flag(&d, "cascade", cascade, at: start)
        return "drop_" + kindWords.joined(separator: "_")
    }
}
