import Foundation
import SQLSyntax

/// The schema built by replaying migrations in order: which tables exist, in which migration file each
/// was created, and the data classification of tables and columns.
struct SchemaReplay {
    struct Column {
        var type: String?
        /// The type's arguments as written (`varchar(50)`: `["50"]`) and whether it is an array.
        var typeArguments: [String] = []
        var isArray = false
        var classification: String?

        /// A column of the type a statement's `type` field describes.
        init(type field: SQLField? = nil) {
            let o = field?.value.object
            type = o?["name"]?.value.string
            typeArguments = (o?["args"]?.value.list ?? []).compactMap(\.value.string)
            isArray = o?["array"]?.value.bool ?? false
        }
    }

    struct Table {
        /// The index of the migration file that created it.
        var createdIn: Int
        var columns: [String: Column] = [:]
        var classification: String?
        var rowLevelSecurity = false
        /// Rows went in after it was created (CREATE TABLE AS, INSERT, COPY): it is not empty, even when new.
        var filled = false
        /// The primary key's columns, as CREATE TABLE declared them.
        var primaryKey: [String] = []

        /// The column a foreign key's `references` names: the one it lists, else the single-column primary key.
        func referencedColumn(_ references: SQLObject) -> Column? {
            let named = references["columns"]?.value.list?.first?.value.string
            guard let name = named ?? (primaryKey.count == 1 ? primaryKey[0] : nil) else { return nil }
            return columns[name]
        }
    }

    private(set) var tables: [String: Table] = [:]
    /// Other objects by `<type> <name>` (`view orders_v`, `type status`): the migration file that created each.
    private(set) var objects: [String: Int] = [:]

    /// The migration file that created an object of `type` (`view`, `materialized_view`, `type`, `function`,
    /// `schema`, ...), nil when the replay does not know it.
    func createdIn(_ type: String, _ name: String) -> Int? {
        type == "table" ? table(name)?.createdIn : objects["\(type) \(Self.key(name))"]
    }

    /// `public.users` and `users` are the same table; quoting is already resolved by the parser.
    static func key(_ name: String) -> String { name.hasPrefix("public.") ? String(name.dropFirst(7)) : name }

    func table(_ name: String) -> Table? { tables[Self.key(name)] }

    /// Applies one statement of migration file `file`.
    mutating func apply(_ s: SQLStatement, file: Int) {
        let d = s.details
        if s.kind.hasPrefix("create_"), s.kind != "create_table", s.kind != "create_index", let name = d["name"]?.value.string {
            let key = "\(s.kind.dropFirst(7)) \(Self.key(name))"
            if objects[key] == nil || d["or_replace"]?.value.bool != true { objects[key] = file }
        } else if s.kind.hasPrefix("drop_") {
            for n in d["names"]?.value.list ?? [] {
                if let name = n.value.string { objects["\(s.kind.dropFirst(5)) \(Self.key(name))"] = nil }
            }
        }
        switch s.kind {
        case "create_materialized_view":
            if let name = d["name"]?.value.string { tables[Self.key(name)] = Table(createdIn: file, filled: true) }
        case "create_table", "create_table_as":
            guard let name = d["table"]?.value.string else { return }
            var table = Table(createdIn: file)
            for col in d["columns"]?.value.list ?? [] {
                guard let o = col.value.object, let n = o["name"]?.value.string else { continue }
                table.columns[n] = Column(type: o["type"])
                if o["primary_key"]?.value.bool == true { table.primaryKey = [n] }
            }
            for constraint in d["constraints"]?.value.list ?? [] where constraint.value.object?["kind"]?.value.string == "primary_key" {
                table.primaryKey = (constraint.value.object?["columns"]?.value.list ?? []).compactMap(\.value.string)
            }
            table.filled = s.kind == "create_table_as"
            if tables[Self.key(name)] == nil || d["if_not_exists"]?.value.bool != true { tables[Self.key(name)] = table }
        case "insert", "copy", "update", "merge":
            if let name = d["table"]?.value.string { tables[Self.key(name)]?.filled = true }
        case "drop_table":
            for n in d["names"]?.value.list ?? [] { if let name = n.value.string { tables[Self.key(name)] = nil } }
        case "alter_table":
            guard var name = d["table"]?.value.string.map(Self.key), tables[name] != nil else { return }
            for a in d["actions"]?.value.list ?? [] {
                guard let o = a.value.object, let action = o["action"]?.value.string else { continue }
                switch action {
                case "add_column":
                    if let col = o["column"]?.value.object, let n = col["name"]?.value.string {
                        tables[name]!.columns[n] = Column(type: col["type"])
                    }
                case "drop_column":
                    if let n = o["name"]?.value.string { tables[name]!.columns[n] = nil }
                case "rename_column":
                    if let n = o["name"]?.value.string, let to = o["new_name"]?.value.string {
                        tables[name]!.columns[to] = tables[name]!.columns[n]
                        tables[name]!.columns[n] = nil
                    }
                case "alter_column_type":
                    if let n = o["name"]?.value.string, tables[name]!.columns[n] != nil {
                        let classification = tables[name]!.columns[n]?.classification
                        tables[name]!.columns[n] = Column(type: o["type"])
                        tables[name]!.columns[n]?.classification = classification
                    }
                case "rename":
                    if let to = o["new_name"]?.value.string {
                        let schema = name.contains(".") ? String(name[..<name.lastIndex(of: ".")!]) + "." : ""
                        let renamed = Self.key(schema + to)
                        tables[renamed] = tables[name]
                        tables[name] = nil
                        name = renamed
                    }
                case "enable_rls", "force_rls":
                    tables[name]!.rowLevelSecurity = true
                default: break
                }
            }
        case "comment":
            guard let text = d["text"]?.value.string, let classification = Self.classification(text) else { return }
            if d["object_type"]?.value.string == "column", let t = d["table"]?.value.string, let c = d["column"]?.value.string {
                tables[Self.key(t)]?.columns[c, default: Column()].classification = classification
            } else if d["object_type"]?.value.string == "table", let t = d["target"]?.value.string {
                tables[Self.key(t)]?.classification = classification
            }
        default:
            break
        }
    }

    /// The value of `classification=<value>` in a comment's text (`classification=pii;owner=payments`).
    static func classification(_ text: String) -> String? {
        for part in text.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " }) {
            let kv = part.split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "classification" {
                return kv[1].trimmingCharacters(in: .whitespaces).lowercased()
            }
        }
        return nil
    }
}
