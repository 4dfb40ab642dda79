import SQLSyntax

/// What PostgreSQL does when `ALTER COLUMN … TYPE` changes a column's type: most changes rewrite the table, but where
/// every stored value stays valid as it is (binary-coercible types) only the catalog changes.
enum ColumnTypeChange {
    /// Whether the change `action` (an `alter_column_type` action) makes to a column of type `old` rewrites the table.
    /// Without a rewrite: `varchar(n)` to `varchar(m)` with `m ≥ n`, to `varchar` or to `text`; `text` to `varchar`;
    /// `timestamp` to `timestamptz` or back while the session's time zone is UTC (PostgreSQL 12 and later). A `USING`
    /// expression other than the column itself, an array, or a type the replay does not know counts as a rewrite.
    static func rewrites(_ action: SQLObject, old: SchemaReplay.Column?, sessionTimeZoneUTC: Bool) -> Bool {
        guard let old, let from = old.type, !old.isArray, let type = action["type"]?.value.object, let to = type["name"]?.value.string,
            type["array"]?.value.bool != true, action["using"] == nil || action["using_column"]?.value.bool == true
        else { return true }
        let toArguments = (type["args"]?.value.list ?? []).compactMap(\.value.string)
        switch (from, to) {
        case ("varchar", "text"): return false
        case ("text", "varchar"): return !toArguments.isEmpty
        case ("varchar", "varchar"):
            guard let newLength = toArguments.first else { return false }
            guard let oldLength = old.typeArguments.first.flatMap({ Int($0) }), let length = Int(newLength) else { return true }
            return length < oldLength
        case ("timestamp", "timestamptz"), ("timestamptz", "timestamp"):
            return !(sessionTimeZoneUTC && old.typeArguments == toArguments)
        default: return true
        }
    }
}
