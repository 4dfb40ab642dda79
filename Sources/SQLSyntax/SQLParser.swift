import TextCore

/// Parses PostgreSQL migration files into statements with normalised details and ranges.
///
/// The parser never fails: a statement it does not know becomes `unknown`
/// (with the verb that starts it in `details.verb`), and a statement it knows
/// but cannot fully follow keeps what it read. DDL is parsed in depth (tables,
/// every ALTER TABLE action, indexes, types, sequences, schemas, extensions,
/// views, routines, triggers, domains, comments, grants, settings and
/// transaction control); DML is recognised (target table, whether a WHERE
/// clause is present, INSERT ... SELECT).
public enum SQLParser {
    /// Parses a whole file.
    public static func parse(_ bytes: [UInt8]) -> SQLFile {
        let (tokens, errors) = SQLLexer.tokenize(bytes)
        let statements = SQLSplitter.split(tokens).map { piece in
            statement(piece.tokens, terminator: piece.terminator, leadingComments: piece.leadingComments)
        }
        return SQLFile(statements: statements, comments: tokens.filter(\.isComment), errors: errors)
    }

    /// Parses a whole file given as text.
    public static func parse(_ text: String) -> SQLFile { parse(Array(text.utf8)) }

    static func statement(_ tokens: [SQLToken], terminator: SourceRange?, leadingComments: [SQLToken]) -> SQLStatement {
        let range = SourceRange(start: tokens[0].range.start, end: tokens[tokens.count - 1].range.end)
        var c = SQLCursor(tokens)
        var d = SQLObject()
        let kind = dispatch(&c, &d)
        let problem =
            kind == "unknown" ? "goldpath does not know the statement '\(tokens.prefix(3).map(\.value).joined(separator: " "))'" : nil
        return SQLStatement(
            kind: kind, range: range, terminator: terminator, details: d, tokens: tokens, leadingComments: leadingComments, problem: problem
        )
    }

    /// Parses the statement at the cursor into `d`; returns its kind.
    static func dispatch(_ c: inout SQLCursor, _ d: inout SQLObject) -> String {
        guard let first = c.current else { return "unknown" }
        if first.isPunct("(") { return "select" }
        guard first.kind == .word else { return "unknown" }
        d.set("verb", .string(first.value), first.range)
        c.p += 1
        switch first.value {
        case "create": return create(&c, &d)
        case "alter": return alter(&c, &d)
        case "drop": return drop(&c, &d)
        case "reindex": return reindex(&c, &d)
        case "comment": return comment(&c, &d)
        case "grant", "revoke": return grant(&c, &d, revoke: first.value == "revoke")
        case "set": return set(&c, &d)
        case "reset": return name(&c, &d, kind: "reset")
        case "show": return name(&c, &d, kind: "show")
        case "begin", "start":
            if first.value == "start" { c.accept("transaction") }
            return "begin"
        case "commit", "end":
            if c.accept("prepared") != nil { return "commit_prepared" }
            return "commit"
        case "abort": return "rollback"
        case "rollback":
            if c.accept("prepared") != nil { return "rollback_prepared" }
            c.accept("work")
            c.accept("transaction")
            if c.accept("to") != nil {
                c.accept("savepoint")
                return "rollback_to_savepoint"
            }
            return "rollback"
        case "savepoint": return name(&c, &d, kind: "savepoint")
        case "release":
            c.accept("savepoint")
            return name(&c, &d, kind: "release_savepoint")
        case "prepare": return c.accept("transaction") != nil ? "prepare_transaction" : "prepare"
        case "truncate": return truncate(&c, &d)
        case "update", "delete", "insert", "merge":
            c.p -= 1
            return dml(&c, &d)
        case "with":
            c.p -= 1
            return dml(&c, &d)
        case "select", "values", "table": return "select"
        case "vacuum":
            let full = c.tokens.contains { $0.isWord("full") }
            d.set("full", .bool(full), first.range)
            return "vacuum"
        case "analyze", "analyse": return "analyze"
        case "cluster": return "cluster"
        case "copy": return "copy"
        case "do": return "do"
        case "lock":
            c.accept("table")
            if let t = c.qualifiedName() { d.set("table", .string(t.name), t.range) }
            return "lock"
        case "explain": return "explain"
        case "listen", "notify", "unlisten", "load", "discard", "checkpoint", "declare", "fetch", "move", "close", "execute",
            "deallocate", "call", "reassign":
            return first.value
        case "security":
            c.accept("label")
            return "security_label"
        case "import":
            return c.accept("foreign", "schema") != nil ? "import_foreign_schema" : "unknown"
        case "refresh":
            c.accept("materialized", "view")
            if let r = c.accept("concurrently") {
                d.set("concurrently", .bool(true), r)
            } else {
                d.set("concurrently", .bool(false), .empty(at: first.range.start))
            }
            if let t = c.qualifiedName() { d.set("name", .string(t.name), t.range) }
            return "refresh_materialized_view"
        default:
            return "unknown"
        }
    }

    static func name(_ c: inout SQLCursor, _ d: inout SQLObject, kind: String) -> String {
        if let n = c.qualifiedName() { d.set("name", .string(n.name), n.range) }
        return kind
    }

    /// Sets a flag to true (with the keyword's range) or false (an empty range at `fallback`).
    static func flag(_ d: inout SQLObject, _ key: String, _ range: SourceRange?, at fallback: Int) {
        d.set(key, .bool(range != nil), range ?? .empty(at: fallback))
    }

    // MARK: settings and transaction control

    static func set(_ c: inout SQLCursor, _ d: inout SQLObject) -> String {
        let start = c.here.start
        let local = c.accept("local")
        if local == nil { c.accept("session") }
        flag(&d, "local", local, at: start)
        if c.accept("transaction") != nil || c.accept("constraints") != nil || c.accept("role") != nil
            || c.accept("session", "authorization") != nil
        {
            return "set"
        }
        guard let n = c.qualifiedName() else { return "set" }
        d.set("name", .string(n.name), n.range)
        if c.acceptPunct("=") == nil { c.accept("to") }
        let valueStart = c.p
        var parts: [String] = []
        while let t = c.current {
            parts.append(t.kind == .string ? t.value : t.value)
            c.p += 1
        }
        if c.p > valueStart { d.set("value", .string(parts.joined(separator: " ")), c.range(from: valueStart)) }
        return "set"
    }

    // MARK: comments, grants, truncate, reindex

    static func comment(_ c: inout SQLCursor, _ d: inout SQLObject) -> String {
        c.accept("on")
        var objectWords: [String] = []
        while let t = c.current, t.kind == .word,
            [
                "table", "column", "index", "view", "materialized", "schema", "type", "sequence", "function",
                "procedure", "constraint", "extension", "database", "role", "domain", "trigger", "policy", "foreign", "server", "aggregate",
                "operator", "rule", "collation", "conversion", "language", "large", "object", "publication", "subscription", "statistics",
                "tablespace", "text", "search", "configuration", "dictionary", "parser", "template", "event", "access", "method", "cast",
                "transform", "routine", "data", "wrapper", "family", "class",
            ].contains(t.value), objectWords.count < 4
        {
            objectWords.append(t.value)
            c.p += 1
            if objectWords.first == "column" || objectWords.first == "table" || objectWords.first == "index" { break }
        }
        d.set("object_type", .string(objectWords.joined(separator: " ")), c.range(from: max(0, c.p - objectWords.count)))
        if let target = c.qualifiedName() {
            d.set("target", .string(target.name), target.range)
            if objectWords.first == "column", target.parts.count >= 2 {
                d.set("table", .string(target.parts.dropLast().joined(separator: ".")), target.range)
                d.set("column", .string(target.parts.last!), target.range)
            }
            if objectWords.first == "constraint" || objectWords.first == "trigger" || objectWords.first == "policy"
                || objectWords.first == "rule", c.accept("on") != nil,
                let table = c.qualifiedName()
            {
                d.set("table", .string(table.name), table.range)
            }
        }
        while let t = c.current, !t.isWord("is") {
            if t.isPunct("(") { c.skipGroup() } else { c.p += 1 }
        }
        if c.accept("is") != nil, let t = c.current {
            d.set("text", t.isWord("null") ? .null : .string(t.value), t.range)
        }
        return "comment"
    }

    static func grant(_ c: inout SQLCursor, _ d: inout SQLObject, revoke: Bool) -> String {
        var privileges: [SQLField] = []
        while let t = c.current, !t.isWord("on"), !t.isWord("to"), !t.isWord("from") {
            if t.kind == .word && !["privileges", "grant", "option", "for"].contains(t.value) {
                privileges.append(SQLField(.string(t.value), t.range))
            }
            if t.isPunct("(") { c.skipGroup() } else { c.p += 1 }
        }
        d.set("privileges", .list(privileges), c.range(from: 1))
        if c.accept("on") != nil {
            let objStart = c.p
            var objectWords: [String] = []
            while let t = c.current, t.kind == .word,
                [
                    "table", "tables", "sequence", "sequences", "schema", "database", "function", "functions",
                    "all", "in", "type", "domain", "language", "procedure", "routine", "routines", "procedures", "foreign", "data",
                    "wrapper", "server", "large", "object", "tablespace", "parameter",
                ].contains(t.value)
            {
                objectWords.append(t.value)
                c.p += 1
                if t.value == "schema" && objectWords.contains("in") { break }
            }
            d.set("object_type", .string(objectWords.isEmpty ? "table" : objectWords.joined(separator: " ")), c.range(from: objStart))
            var objects: [SQLField] = []
            while let n = c.qualifiedName() {
                objects.append(SQLField(.string(n.name), n.range))
                if c.current?.isPunct("(") == true { c.skipGroup() }
                if c.acceptPunct(",") == nil { break }
            }
            d.set("objects", .list(objects), c.range(from: objStart))
        }
        if c.accept("to") != nil || c.accept("from") != nil {
            var grantees: [SQLField] = []
            while let t = c.current, !t.isWord("with"), !t.isWord("granted"), !t.isWord("cascade"), !t.isWord("restrict") {
                if t.isIdentifier, !t.isWord("group") { grantees.append(SQLField(.string(t.value), t.range)) }
                c.p += 1
            }
            d.set("grantees", .list(grantees), grantees.first.map { $0.range.union(grantees.last!.range) } ?? c.here)
        }
        return revoke ? "revoke" : "grant"
    }

    static func truncate(_ c: inout SQLCursor, _ d: inout SQLObject) -> String {
        c.accept("table")
        c.accept("only")
        var tables: [SQLField] = []
        while let n = c.qualifiedName() {
            tables.append(SQLField(.string(n.name), n.range))
            c.acceptPunct("*")
            if c.acceptPunct(",") == nil { break }
        }
        d.set("tables", .list(tables), tables.first.map { $0.range.union(tables.last!.range) } ?? c.here)
        let end = c.here.start
        var cascade: SourceRange?
        while let t = c.current {
            if t.isWord("cascade") { cascade = t.range }
            c.p += 1
        }
        flag(&d, "cascade", cascade, at: end)
        return "truncate"
    }

    static func reindex(_ c: inout SQLCursor, _ d: inout SQLObject) -> String {
        if c.current?.isPunct("(") == true {
            let options = c.skipGroup()!
            if c.tokens.contains(where: { $0.isWord("concurrently") && options.contains($0.range) }) {
                flag(&d, "concurrently", options, at: options.start)
            }
        }
        if let t = c.current, t.kind == .word, ["index", "table", "schema", "database", "system"].contains(t.value) {
            d.set("target_type", .string(t.value), t.range)
            c.p += 1
        }
        if let r = c.accept("concurrently") { flag(&d, "concurrently", r, at: r.start) }
        if d["concurrently"] == nil { flag(&d, "concurrently", nil, at: c.here.start) }
        if let n = c.qualifiedName() { d.set("name", .string(n.name), n.range) }
        return "reindex"
    }

    // MARK: DML

    static func dml(_ c: inout SQLCursor, _ d: inout SQLObject) -> String {
        // Skip a WITH list of common table expressions.
        if c.accept("with") != nil {
            c.accept("recursive")
            while c.qualifiedName() != nil {
                if c.current?.isPunct("(") == true { c.skipGroup() }
                c.accept("as")
                c.accept("not")
                c.accept("materialized")
                c.skipGroup()
                if c.acceptPunct(",") == nil { break }
            }
        }
        guard let verb = c.current, verb.kind == .word else { return "select" }
        c.p += 1
        switch verb.value {
        case "update", "delete":
            if verb.value == "delete" { c.accept("from") }
            c.accept("only")
            if let t = c.qualifiedName() { d.set("table", .string(t.name), t.range) }
            flag(&d, "has_where", whereClause(&c), at: verb.range.start)
            return verb.value
        case "insert":
            c.accept("into")
            if let t = c.qualifiedName() { d.set("table", .string(t.name), t.range) }
            c.accept("as")
            if c.current?.isIdentifier == true, !(c.current?.isWord("values") ?? false), !(c.current?.isWord("select") ?? false),
                !(c.current?.isWord("default") ?? false), !(c.current?.isWord("overriding") ?? false)
            {
                c.p += 1
            }
            if let cols = c.list({ c in c.identifier().map { SQLField(.string($0.name), $0.range) } }) {
                d.set("columns", .list(cols.items), cols.range)
            }
            var selectRange: SourceRange?
            var depth = 0
            for t in c.tokens[c.p...] {
                if t.isPunct("(") { depth += 1 }
                if t.isPunct(")") { depth -= 1 }
                if t.isWord("values") && depth == 0 { break }
                if t.isWord("select") {
                    selectRange = t.range
                    break
                }
            }
            flag(&d, "select", selectRange, at: verb.range.start)
            return "insert"
        case "merge":
            c.accept("into")
            if let t = c.qualifiedName() { d.set("table", .string(t.name), t.range) }
            return "merge"
        case "select", "values", "table":
            return "select"
        default:
            return "select"
        }
    }

    /// Finds a top-level WHERE in the rest of the statement.
    static func whereClause(_ c: inout SQLCursor) -> SourceRange? {
        var depth = 0
        while let t = c.current {
            if t.isPunct("(") { depth += 1 }
            if t.isPunct(")") { depth -= 1 }
            if depth == 0 && t.isWord("where") { return t.range }
            c.p += 1
        }
        return nil
    }
}
