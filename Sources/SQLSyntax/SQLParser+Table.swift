import TextCore

extension SQLParser {
    /// Functions a column default may call without PostgreSQL rewriting the table (immutable or stable:
    /// evaluated once for the ALTER). Any other call — gen_random_uuid(), clock_timestamp(), a user-defined
    /// function whose volatility the migration does not show — counts as volatile.
    static let nonVolatileFunctions: Set<String> = [
        "now", "transaction_timestamp", "statement_timestamp", "current_date", "current_timestamp", "localtimestamp", "lower", "upper",
        "coalesce", "nullif", "greatest", "least", "array", "row", "to_jsonb", "to_json", "jsonb_build_object", "json_build_object",
        "jsonb_build_array", "json_build_array", "make_interval", "make_date", "make_timestamptz", "interval", "concat", "length",
        "replace", "trim", "btrim", "abs", "round", "floor", "ceil", "timezone", "date_trunc", "to_timestamp", "cast", "current_setting",
    ]

    /// Whether the default expression in `tokens[range]` calls a function not known to be non-volatile.
    static func callsVolatile(_ tokens: [SQLToken], _ range: Range<Int>) -> Bool {
        range.contains { k in
            tokens[k].kind == .word && !nonVolatileFunctions.contains(tokens[k].value) && k + 1 < range.upperBound
                && tokens[k + 1].isPunct("(")
                && !(k > range.lowerBound && tokens[k - 1].isPunct("::"))
        }
    }

    /// The words that start a table constraint.
    static let tableConstraintStarts: Set<String> = ["constraint", "primary", "unique", "check", "foreign", "exclude"]

    static func createTable(_ c: inout SQLCursor, _ d: inout SQLObject) -> String {
        let start = c.here.start
        flag(&d, "if_not_exists", c.ifNotExists(), at: start)
        guard let name = c.qualifiedName() else { return "create_table" }
        d.set("table", .string(name.name), name.range)
        if c.accept("partition", "of") != nil, let parent = c.qualifiedName() { d.set("partition_of", .string(parent.name), parent.range) }
        if c.accept("of") != nil, let type = c.qualifiedName() { d.set("of_type", .string(type.name), type.range) }
        var columns: [SQLField] = []
        var constraints: [SQLField] = []
        if c.current?.isPunct("(") == true {
            let open = c.here
            _ = c.list { c -> Void? in
                guard let t = c.current else { return nil }
                if t.kind == .word, tableConstraintStarts.contains(t.value) {
                    if let k = tableConstraint(&c) { constraints.append(k) }
                } else if t.isWord("like") {
                    c.p += 1
                    _ = c.qualifiedName()
                } else if let col = columnDefinition(&c) {
                    columns.append(col)
                }
                return ()
            }
            d.set("columns", .list(columns), open.union(c.range(from: max(0, c.p - 1))))
            d.set("constraints", .list(constraints), open.union(c.range(from: max(0, c.p - 1))))
        } else {
            d.set("columns", .list([]), name.range)
            d.set("constraints", .list([]), name.range)
        }
        var depth = 0
        while let t = c.current {
            if t.isPunct("(") { depth += 1 }
            if t.isPunct(")") { depth -= 1 }
            if depth == 0 {
                if t.isWord("as") { return "create_table_as" }
                if t.isWord("partition"), c.peek(1)?.isWord("by") == true { d.set("partitioned", .bool(true), t.range) }
                if t.isWord("inherits"), c.peek(1)?.isPunct("(") == true { d.set("inherits", .bool(true), t.range) }
            }
            c.p += 1
        }
        return "create_table"
    }

    /// `name type [constraints...]` inside CREATE TABLE or ALTER TABLE ADD COLUMN.
    static func columnDefinition(_ c: inout SQLCursor) -> SQLField? {
        let start = c.p
        guard let name = c.identifier() else { return nil }
        var col = SQLObject()
        col.set("name", .string(name.name), name.range)
        if let type = SQLTypes.parse(&c) { col["type"] = type }
        let after = c.here.start
        var notNull: SourceRange?
        var primaryKey: SourceRange?
        var unique: SourceRange?
        var identity: SourceRange?
        var stored: SourceRange?
        var check: SourceRange?
        while let t = c.current, !t.isPunct(","), !t.isPunct(")") {
            if c.accept("constraint") != nil {
                _ = c.identifier()
                continue
            }
            if let r = c.accept("not", "null") {
                notNull = r
                continue
            }
            if c.accept("null") != nil { continue }
            if let r = c.accept("default") {
                let from = c.p
                c.skipExpression(stoppingAt: columnConstraintWords)
                let range = c.range(from: from)
                var def = SQLObject()
                let words = c.tokens[from..<c.p]
                def.set("text", .string(words.map { $0.kind == .string ? "'\($0.value)'" : $0.value }.joined(separator: " ")), range)
                let volatile = callsVolatile(c.tokens, from..<c.p)
                def.set("volatile", .bool(volatile), range)
                col.set("default", .object(def), r.union(range))
                continue
            }
            if let r = c.accept("primary", "key") {
                primaryKey = r
                continue
            }
            if let r = c.accept("unique") {
                unique = r
                if c.accept("nulls") != nil {
                    c.accept("not")
                    c.accept("distinct")
                }
                continue
            }
            if let r = c.accept("references") {
                col.set("references", .object(references(&c)), r.union(c.range(from: max(0, c.p - 1))))
                continue
            }
            if let r = c.accept("check") {
                c.skipGroup()
                check = r
                continue
            }
            if let r = c.accept("generated") {
                c.accept("always")
                c.accept("by", "default")
                c.accept("as")
                if c.accept("identity") != nil {
                    identity = r
                    if c.current?.isPunct("(") == true { c.skipGroup() }
                } else {
                    c.skipGroup()
                    if let s = c.accept("stored") { stored = r.union(s) } else { c.accept("virtual") }
                }
                continue
            }
            if c.accept("collate") != nil {
                _ = c.qualifiedName()
                continue
            }
            if t.isPunct("(") {
                c.skipGroup()
                continue
            }
            c.p += 1
        }
        flag(&col, "not_null", notNull ?? primaryKey, at: after)
        flag(&col, "primary_key", primaryKey, at: after)
        flag(&col, "unique", unique, at: after)
        flag(&col, "identity", identity, at: after)
        flag(&col, "generated_stored", stored, at: after)
        flag(&col, "check", check, at: after)
        return SQLField(.object(col), c.range(from: start))
    }

    static let columnConstraintWords: Set<String> = [
        "not", "null", "primary", "unique", "references", "check", "constraint", "collate", "generated", "deferrable", "initially",
    ]

    /// `[CONSTRAINT name] PRIMARY KEY (...) | UNIQUE (...) | CHECK (...) | FOREIGN KEY (...) REFERENCES t (...) | EXCLUDE ...`,
    /// with `USING INDEX name` and `NOT VALID`.
    static func tableConstraint(_ c: inout SQLCursor) -> SQLField? {
        let start = c.p
        var k = SQLObject()
        if c.accept("constraint") != nil, let n = c.identifier() { k.set("name", .string(n.name), n.range) }
        guard let t = c.current, t.kind == .word else { return nil }
        let kindStart = t.range.start
        var kind = t.value
        c.p += 1
        switch t.value {
        case "primary":
            c.accept("key")
            kind = "primary_key"
        case "foreign":
            c.accept("key")
            kind = "foreign_key"
        case "unique":
            if c.accept("nulls") != nil {
                c.accept("not")
                c.accept("distinct")
            }
        case "check", "exclude":
            break
        default:
            return nil
        }
        k.set("kind", .string(kind), SourceRange(start: kindStart, end: c.tokens[c.p - 1].range.end))
        if kind == "exclude" {
            if c.accept("using") != nil { _ = c.identifier() }
            c.skipGroup()
        } else if kind == "check" {
            if let r = c.skipGroup() { k.set("expression", .string("check"), r) }
        } else if let cols = c.list({ c in c.identifier().map { SQLField(.string($0.name), $0.range) } }) {
            k.set("columns", .list(cols.items), cols.range)
        }
        var usingIndex: SourceRange?
        var notValid: SourceRange?
        while let t = c.current, !t.isPunct(","), !t.isPunct(")") {
            if let r = c.accept("using", "index") {
                if c.accept("tablespace") != nil {
                    _ = c.identifier()
                } else if let n = c.identifier() {
                    usingIndex = r.union(n.range)
                    k.set("index", .string(n.name), n.range)
                }
                continue
            }
            if let r = c.accept("not", "valid") {
                notValid = r
                continue
            }
            if let r = c.accept("references") {
                k.set("references", .object(references(&c)), r.union(c.range(from: max(0, c.p - 1))))
                continue
            }
            if t.isPunct("(") {
                c.skipGroup()
                continue
            }
            c.p += 1
        }
        let end = c.tokens[max(start, c.p - 1)].range.end
        flag(&k, "using_index", usingIndex, at: end)
        flag(&k, "not_valid", notValid, at: end)
        return SQLField(.object(k), c.range(from: start))
    }

    /// `table [(columns)]` after REFERENCES.
    static func references(_ c: inout SQLCursor) -> SQLObject {
        var ref = SQLObject()
        if let table = c.qualifiedName() { ref.set("table", .string(table.name), table.range) }
        if let cols = c.list({ c in c.identifier().map { SQLField(.string($0.name), $0.range) } }) {
            ref.set("columns", .list(cols.items), cols.range)
        }
        return ref
    }
}
