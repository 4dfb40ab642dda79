import TextCore

/// Column types as written and in a canonical spelling (`int4` and `integer` are both `integer`).
enum SQLTypes {
    static let canonical: [String: String] = [
        "int": "integer", "int4": "integer", "integer": "integer", "int8": "bigint", "bigint": "bigint",
        "int2": "smallint", "smallint": "smallint", "serial": "serial", "serial4": "serial", "bigserial": "bigserial",
        "serial8": "bigserial", "smallserial": "smallserial", "serial2": "smallserial", "varchar": "varchar",
        "character varying": "varchar", "char varying": "varchar", "char": "char", "character": "char", "bpchar": "char",
        "nchar": "char", "national character": "char", "timestamp": "timestamp", "timestamp without time zone": "timestamp",
        "timestamptz": "timestamptz", "timestamp with time zone": "timestamptz", "time": "time", "time without time zone": "time",
        "timetz": "timetz", "time with time zone": "timetz", "double precision": "double precision", "float8": "double precision",
        "float": "double precision", "float4": "real", "real": "real", "bool": "boolean", "boolean": "boolean",
        "decimal": "numeric", "numeric": "numeric", "dec": "numeric",
    ]

    /// The words that end a column's type in a column definition.
    static let stops: Set<String> = [
        "not", "null", "default", "primary", "unique", "references", "check", "constraint", "collate", "generated",
        "using", "deferrable", "initially", "with", "without", "on", "storage", "compression", "set", "drop", "add",
        "options", "cascade", "restrict", "if",
    ]

    /// Parses a type at the cursor: words, `(args)`, `[]`, `with/without time zone`.
    static func parse(_ c: inout SQLCursor) -> SQLField? {
        let start = c.p
        var words: [String] = []
        var args: [SQLField] = []
        var array = false
        while let t = c.current {
            if t.kind == .word || t.kind == .quotedIdentifier || t.kind == .placeholder {
                if t.kind == .word, stops.contains(t.value) {
                    if t.value == "with" || t.value == "without", c.peek(1)?.isWord("time") == true, c.peek(2)?.isWord("zone") == true,
                        !words.isEmpty
                    {
                        words += [t.value, "time", "zone"]
                        c.p += 3
                        continue
                    }
                    break
                }
                if t.kind == .word, t.value == "array" {
                    array = true
                    c.p += 1
                    if c.current?.isPunct("[") == true { c.skipGroup() }
                    continue
                }
                // A second plain word continues the type only where SQL spells types with several words.
                if !words.isEmpty, t.kind == .word, !continues(words, t.value) { break }
                words.append(t.value)
                c.p += 1
                while c.current?.isPunct(".") == true, let next = c.peek(1), next.isIdentifier {
                    words[words.count - 1] += "." + next.value
                    c.p += 2
                }
            } else if t.isPunct("(") && !words.isEmpty {
                let open = c.p
                c.p += 1
                while let a = c.current, !a.isPunct(")") {
                    if a.isPunct(",") {
                        c.p += 1
                        continue
                    }
                    let before = c.p
                    if let r = c.skipExpression() {
                        args.append(SQLField(.string(c.tokens[before..<c.p].map(\.value).joined(separator: " ")), r))
                    }
                    if c.p == before { c.p += 1 }
                }
                c.acceptPunct(")")
                _ = open
            } else if t.isPunct("[") && !words.isEmpty {
                array = true
                c.skipGroup()
            } else {
                break
            }
        }
        guard !words.isEmpty else { return nil }
        let range = c.range(from: start)
        let written = words.joined(separator: " ")
        let bare = written.hasPrefix("pg_catalog.") ? String(written.dropFirst("pg_catalog.".count)) : written
        var o = SQLObject()
        o.set("name", .string(canonical[bare] ?? bare), range)
        o.set(
            "text",
            .string(c.tokens[start..<c.p].map { $0.kind == .quotedIdentifier ? "\"\($0.value)\"" : $0.value }.joined(separator: " ")), range
        )
        o.set("args", .list(args), range)
        o.set("array", .bool(array), range)
        return SQLField(.object(o), range)
    }

    private static let multiword: [String: Set<String>] = [
        "double": ["precision"], "character": ["varying"], "char": ["varying"], "bit": ["varying"], "national": ["character", "char"],
        "interval": ["year", "month", "day", "hour", "minute", "second", "to"],
    ]

    private static func continues(_ words: [String], _ next: String) -> Bool {
        if words.first == "interval" { return ["year", "month", "day", "hour", "minute", "second", "to"].contains(next) }
        if let allowed = multiword[words.last ?? ""] { return allowed.contains(next) }
        if words.last == "character" || words.last == "char" { return next == "varying" }
        return false
    }
}
