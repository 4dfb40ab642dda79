import Foundation
import PolicyModel
import SQLSyntax
import TextCore

/// Lowers one statement into its subject (or one subject per ALTER TABLE action) with the context facts.
struct StatementLowering {
    let file: MigrationFile
    let path: String
    let fileIndex: Int
    let statementIndex: Int
    let tool: MigrationTool
    let schema: SchemaReplay
    let classified: [String: (table: String?, columns: [String: String])]
    /// Hands out addresses unique within the file.
    let addresses: AddressBook
    /// Whether an earlier statement of the file already locked an existing table.
    let lockedBefore: Bool

    /// Whether a statement locks a table that holds data: one created by an earlier migration (or unknown
    /// to the replay), or filled in this one; CREATE TABLE locks the tables its foreign keys reference.
    static func locksExistingTable(_ s: SQLStatement, schema: SchemaReplay, fileIndex: Int) -> Bool {
        if s.kind == "create_table" {
            let columnRefs = (s.details["columns"]?.value.list ?? []).compactMap {
                $0.value.object?["references"]?.value.object?["table"]?.value.string
            }
            let constraintRefs = (s.details["constraints"]?.value.list ?? []).compactMap {
                $0.value.object?["references"]?.value.object?["table"]?.value.string
            }
            return (columnRefs + constraintRefs).contains { !isEmptyNew(schema.table($0), fileIndex) }
        }
        if let dropped = droppedDependencies(s) {
            // DROP VIEW takes ACCESS EXCLUSIVE on a view running queries read; CASCADE also drops what depends on
            // the object (views, columns, foreign keys, triggers), locking their tables. An object created in this
            // migration is not in use yet; one the replay does not know is.
            return dropped.contains { schema.createdIn(String(s.kind.dropFirst(5)), $0) != fileIndex }
        }
        guard MigrationsLanguage.lockingKinds.contains(s.kind), s.details["concurrently"]?.value.bool != true else { return false }
        if s.kind == "alter_table" {
            let actions = (s.details["actions"]?.value.list ?? []).compactMap { $0.value.object?["action"]?.value.string }
            if !actions.isEmpty && actions.allSatisfy({ $0 == "validate_constraint" }) { return false }
        }
        let table = s.details["table"]?.value.string ?? s.details["names"]?.value.list?.first?.value.string
        return !isEmptyNew(table.flatMap { schema.table($0) }, fileIndex)
    }

    /// The objects a DROP VIEW / DROP MATERIALIZED VIEW, or a DROP ... CASCADE of another object, names;
    /// nil for other statements (DROP TABLE and DROP INDEX lock as the locking kinds do).
    static func droppedDependencies(_ s: SQLStatement) -> [String]? {
        guard s.kind.hasPrefix("drop_"), s.kind != "drop_table", s.kind != "drop_index" else { return nil }
        let view = s.kind == "drop_view" || s.kind == "drop_materialized_view"
        guard view || s.details["cascade"]?.value.bool == true else { return nil }
        return (s.details["names"]?.value.list ?? []).compactMap(\.value.string)
    }

    /// Whether an earlier statement of the file read the rows of every table a DROP TABLE names into another table
    /// (`INSERT … SELECT … FROM t`, `CREATE TABLE … AS SELECT … FROM t`, `UPDATE … FROM t`, `MERGE … USING t`): the
    /// drop then loses no data, though it still breaks clients that use the table. A table only joined is not copied.
    func rowsCopiedBefore(_ s: SQLStatement) -> Bool {
        let names = (s.details["names"]?.value.list ?? []).compactMap(\.value.string)
        guard !names.isEmpty else { return false }
        var pending = Set(names.map(SchemaReplay.key))
        for earlier in file.statements.prefix(statementIndex) where Self.copyingKinds.contains(earlier.kind) {
            let tokens = earlier.tokens
            for k in tokens.indices.dropLast() where tokens[k].isWord("from") || tokens[k].isWord("using") {
                guard tokens[k + 1].isIdentifier else { continue }
                var name = tokens[k + 1].value
                if k + 3 < tokens.count, tokens[k + 2].isPunct("."), tokens[k + 3].isIdentifier { name += "." + tokens[k + 3].value }
                pending.remove(SchemaReplay.key(name))
            }
            if pending.isEmpty { return true }
        }
        return false
    }

    /// The statements that can copy rows from one table into another.
    static let copyingKinds: Set<String> = ["insert", "create_table_as", "update", "merge"]

    /// Whether every view a DROP VIEW (without CASCADE) names is created again by a later statement of the file in the
    /// same transaction, which no COMMIT, ROLLBACK or BEGIN separates: a running client never finds it missing.
    func recreatedInTransaction(_ s: SQLStatement) -> Bool {
        let i = statementIndex
        guard file.inTransaction[i], s.details["cascade"]?.value.bool != true, let names = Self.droppedDependencies(s), !names.isEmpty
        else { return false }
        let created = "create_" + s.kind.dropFirst(5)
        var pending = Set(names.map(SchemaReplay.key))
        for j in file.statements.indices.dropFirst(i + 1) {
            let later = file.statements[j]
            guard file.inTransaction[j], !["commit", "rollback", "begin"].contains(later.kind) else { return false }
            if later.kind == created, let name = later.details["name"]?.value.string { pending.remove(SchemaReplay.key(name)) }
            if pending.isEmpty { return true }
        }
        return false
    }

    /// A table created in this migration: no running client uses it yet, so locking it blocks no one
    /// (even when CREATE TABLE AS or an INSERT filled it; `table_filled` tells those apart).
    static func isEmptyNew(_ table: SchemaReplay.Table?, _ fileIndex: Int) -> Bool {
        table.map { $0.createdIn == fileIndex } ?? false
    }

    var fileName: String { path.fileName }

    /// The file as addresses name it: its name, and for Diesel, whose every migration is an `up.sql`, the
    /// migration's folder too, so an address is unique within the unit (a finding's fingerprint, a waiver and a
    /// review decision hold for one migration, not for every migration that repeats a statement).
    var addressName: String { tool == .diesel ? path.parentPath.fileName + "/" + fileName : fileName }

    func subjects(_ s: SQLStatement) -> [Subject] {
        let head = headRange(s)
        let values = SQLValues(file: path, fallback: head)
        var origins: [ValuePath: Origin] = [:]
        origins.reserveCapacity(SQLValues.pathCount(s.details) + 1)
        var value = values.value(s.details, at: .root, origins: &origins)
        addFacts(to: &value, s, table: s.details["table"]?.value.string ?? s.details["name"]?.value.string)
        let target =
            s.details["name"]?.value.string ?? s.details["table"]?.value.string ?? s.details["target"]?.value.string
            ?? s.details["names"]?.value.list?.first?.value.string
        let address = addresses.unique("\(addressName)#\(s.kind)" + (target.map { " " + $0 } ?? ""))
        if s.kind == "alter_table", let actions = s.details["actions"]?.value.list, !actions.isEmpty {
            let actionSubjects = actions.enumerated().compactMap { k, field -> Subject? in
                guard let action = field.value.object else { return nil }
                var actionOrigins: [ValuePath: Origin] = [:]
                actionOrigins.reserveCapacity(SQLValues.pathCount(action) + 3)
                var v = values.value(action, at: .root, origins: &actionOrigins)
                if let f = s.details["table"] {
                    v["table"] = values.value(f, at: ValuePath([.key("table")]), origins: &actionOrigins)
                }
                if let f = s.details["if_exists"] {
                    v["table_if_exists"] = values.value(f, at: ValuePath([.key("table_if_exists")]), origins: &actionOrigins)
                }
                addFacts(to: &v, s, table: s.details["table"]?.value.string, action: action)
                // A statement is reported once for its missing timeouts, at its first action.
                if k > 0 { v["first_locking_statement"] = .bool(false) }
                let verb = action["action"]?.value.string ?? "other"
                let verbRange = action["action"]?.range ?? head
                actionOrigins[.root] = Origin(file: path, range: field.range, keyRange: verbRange)
                return Subject(
                    type: "sql.alter_table.\(verb)", name: s.details["table"]?.value.string ?? "?",
                    address: addresses.unique(
                        "\(addressName)#\(s.details["table"]?.value.string ?? "?").\(verb)"
                            + (Self.target(of: action).map { " " + $0 } ?? "")),
                    language: MigrationsLanguage.id, file: path, headerRange: head, value: .map(v), origins: actionOrigins,
                    context: ["file": .string(fileName), "tool": .string(tool.rawValue)])
            }
            let added = actions.enumerated().compactMap { k, field -> (String, SQLField)? in
                guard let a = field.value.object, a["action"]?.value.string == "add_column", let column = a["column"] else { return nil }
                return ("", column)
            }
            return actionSubjects + columnSubjects(added, s, via: "add_column", head: head)
        }
        origins[.root] = Origin(file: path, range: s.range, keyRange: head)
        let name = s.details["name"]?.value.string ?? s.details["table"]?.value.string ?? s.kind
        let statement = Subject(
            type: "sql.\(s.kind)", name: name, address: address, language: MigrationsLanguage.id, file: path, headerRange: head,
            value: .map(value), origins: origins, context: ["file": .string(fileName), "tool": .string(tool.rawValue)])
        guard s.kind == "create_table", let columns = s.details["columns"]?.value.list else { return [statement] }
        let defined = columns.map { ("", $0) }
        return [statement] + columnSubjects(defined, s, via: "create_table", head: head)
    }

    /// The column a foreign key refers to, in a table an earlier migration created: a key already in use, whose range
    /// a new column referring to it cannot exceed. A key this migration creates is widened with its references (each
    /// is reported), so it is not looked up.
    func referencedColumn(_ references: SQLObject) -> SchemaReplay.Column? {
        guard let name = references["table"]?.value.string, let known = schema.table(name), known.createdIn < fileIndex else { return nil }
        return known.referencedColumn(references)
    }

    /// What a column defined by `s` refers to: its own `REFERENCES`, else a `FOREIGN KEY` of the same CREATE TABLE
    /// whose only column it is.
    static func references(of name: String, column: SQLObject, in s: SQLStatement) -> SQLObject? {
        if let own = column["references"]?.value.object { return own }
        for constraint in s.details["constraints"]?.value.list ?? [] {
            guard let k = constraint.value.object, k["kind"]?.value.string == "foreign_key",
                k["columns"]?.value.list?.map(\.value.string) == [name]
            else { continue }
            return k["references"]?.value.object
        }
        return nil
    }

    /// One `sql.column` subject per column a statement defines (CREATE TABLE, ADD COLUMN), so type and
    /// classification rules judge each column at its own token.
    func columnSubjects(_ columns: [(address: String, field: SQLField)], _ s: SQLStatement, via: String, head: SourceRange) -> [Subject] {
        let table = s.details["table"]?.value.string ?? "?"
        let known = schema.table(table)
        let sameFile = classified[SchemaReplay.key(table)]
        let values = SQLValues(file: path, fallback: head)
        return columns.compactMap { _, field -> Subject? in
            guard let column = field.value.object else { return nil }
            let address = addresses.unique("\(addressName)#column \(table).\(column["name"]?.value.string ?? "?")")
            var origins: [ValuePath: Origin] = [:]
            origins.reserveCapacity(SQLValues.pathCount(column) + 2)
            var v = values.value(column, at: .root, origins: &origins)
            let name = column["name"]?.value.string ?? "?"
            v["table"] = .string(table)
            origins[ValuePath([.key("table")])] = Origin(file: path, range: s.details["table"]?.range ?? head)
            v["via"] = .string(via)
            v["words"] = .string(IdentifierWords.snake(name))
            v["table_new"] = .bool(via == "create_table" || Self.isEmptyNew(known, fileIndex))
            v["table_exists"] = .bool(via == "add_column" && (known.map { $0.createdIn < fileIndex } ?? false))
            v["in_transaction"] = .bool(file.inTransaction[statementIndex])
            if let cls = sameFile?.columns[name] { v["classification"] = .string(cls) }
            if let key = Self.references(of: name, column: column, in: s).flatMap(referencedColumn), let keyType = key.type {
                v["references_key_type"] = .string(keyType)
            }
            if let tableClass = sameFile?.table ?? known?.classification { v["table_classification"] = .string(tableClass) }
            origins[.root] = Origin(file: path, range: field.range, keyRange: column["name"]?.range ?? field.range)
            return Subject(
                type: "sql.column", name: "\(table).\(name)", address: address, language: MigrationsLanguage.id, file: path,
                headerRange: head, value: .map(v), origins: origins, context: ["file": .string(fileName), "tool": .string(tool.rawValue)])
        }
    }

    /// What an ALTER TABLE action names: its column, constraint or partition.
    static func target(of action: SQLObject) -> String? {
        action["column"]?.value.object?["name"]?.value.string ?? action["name"]?.value.string
            ?? action["constraint"]?.value.object?["name"]?.value.string ?? action["constraint"]?.value.object?["kind"]?.value.string
            ?? action["partition"]?.value.string
    }

    /// The statement's leading keywords (`CREATE INDEX`, `ALTER TABLE`, `BEGIN`): where statement-level findings point.
    func headRange(_ s: SQLStatement) -> SourceRange {
        let words = s.tokens.prefix { $0.kind == .word }.prefix(s.kind == "create_index" || s.kind == "drop_index" ? 4 : 2)
        let keywords = words.filter { !["concurrently", "if", "not", "exists"].contains($0.value) || $0.range.start == s.range.start }
        guard let first = keywords.first, let last = keywords.last else { return s.tokens[0].range }
        return SourceRange(start: first.range.start, end: last.range.end)
    }

    /// Adds the context facts: transaction, timeouts, the table's history, classifications.
    func addFacts(to v: inout ValueMap, _ s: SQLStatement, table: String?, action: SQLObject? = nil) {
        let i = statementIndex
        var facts: [(String, Value)] = [
            ("kind", .string(s.kind)), ("in_transaction", .bool(file.inTransaction[i])),
            ("implicit_transaction", .bool(file.implicitTransaction)), ("tool", .string(tool.rawValue)),
            ("statement_number", .int(Int64(i + 1))), ("file_statements", .int(Int64(file.statements.count))),
            ("lock_timeout_set", .bool(file.lockTimeoutSet[i])), ("statement_timeout_set", .bool(file.statementTimeoutSet[i])),
            ("mixes_transaction_modes", .bool(file.mixesTransactionModes)), ("file_has_schema_change", .bool(file.hasSchemaChange)),
            ("cannot_run_in_transaction", .bool(MigrationFile.cannotRunInTransaction(s))),
        ]
        v.set(facts)
        facts = []
        if s.kind == "begin" {
            facts += [("nested", .bool(file.nestedBegin[i])), ("uncommitted", .bool(file.uncommittedBegin[i]))]
        }
        if s.kind == "drop_view" || s.kind == "drop_materialized_view" {
            facts.append(("recreated_in_transaction", .bool(recreatedInTransaction(s))))
        }
        if s.kind == "drop_table" { facts.append(("rows_copied_before", .bool(rowsCopiedBefore(s)))) }
        let known = table.flatMap { schema.table($0) }
        let isNew = Self.isEmptyNew(known, fileIndex)
        let locks = Self.locksExistingTable(s, schema: schema, fileIndex: fileIndex)
        facts += [("locks_existing_table", .bool(locks)), ("first_locking_statement", .bool(locks && !lockedBefore))]
        facts.append(("table_filled", .bool(known?.filled ?? false)))
        facts += [("table_new", .bool(isNew)), ("table_exists", .bool(known.map { $0.createdIn < fileIndex } ?? false))]
        let concurrently = (action?["concurrently"] ?? s.details["concurrently"])?.value.bool ?? false
        // VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE, which lets reads and writes through.
        let gentle = action?["action"]?.value.string == "validate_constraint"
        facts.append(("takes_lock", .bool(MigrationsLanguage.lockingKinds.contains(s.kind) && !concurrently && !gentle)))
        v.set(facts)
        let key = table.map(SchemaReplay.key)
        let sameFile = key.flatMap { classified[$0] }
        if let tableClass = sameFile?.table ?? known?.classification { v["table_classification"] = .string(tableClass) }
        // Columns a statement adds carry the classification given in the same migration.
        if s.kind == "create_table", case .list(let columns)? = v["columns"] {
            let levels = columns.compactMap { $0.mapValue?["name"]?.stringValue }.compactMap { sameFile?.columns[$0] }
            var distinct: [String] = []
            for level in levels where !distinct.contains(level) { distinct.append(level) }
            v["column_classifications"] = .list(distinct.map(Value.string))
            v["columns"] = .list(
                columns.map { c in
                    guard let m = c.mapValue, let n = m["name"]?.stringValue, let cls = sameFile?.columns[n] else { return c }
                    return .map(m.setting("classification", .string(cls)))
                })
        }
        if let action, let actionName = action["action"]?.value.string {
            switch actionName {
            case "add_column":
                if let m = v["column"]?.mapValue, let n = m["name"]?.stringValue, let cls = sameFile?.columns[n] {
                    v["column"] = .map(m.setting("classification", .string(cls)))
                }
            case "drop_column", "rename_column", "alter_column_type", "drop_not_null", "set_not_null":
                if let n = action["name"]?.value.string, let cls = known?.columns[n]?.classification {
                    v["column_classification"] = .string(cls)
                }
                if actionName == "alter_column_type" {
                    let column = action["name"]?.value.string.flatMap { known?.columns[$0] }
                    v["rewrites_table"] = .bool(
                        ColumnTypeChange.rewrites(action, old: column, sessionTimeZoneUTC: file.timeZoneUTC[statementIndex]))
                }
            case "add_constraint":
                let name = action["constraint"]?.value.object?["name"]?.value.string
                let validatedLater =
                    name.map { n in
                        file.statements[(i + 1)...].enumerated().contains { k, later in
                            file.inTransaction[i + 1 + k] && file.inTransaction[i] && later.kind == "alter_table"
                                && (later.details["actions"]?.value.list ?? []).contains {
                                    $0.value.object?["action"]?.value.string == "validate_constraint"
                                        && $0.value.object?["name"]?.value.string == n
                                }
                        }
                    } ?? false
                v["validated_in_same_transaction"] = .bool(validatedLater)
            default: break
            }
        }
    }
}

/// Subject addresses built from what a statement is and names (`0002_x.up.sql#create_index users_email_idx`),
/// so that inserting a statement does not change the others'; a repeat gets `~2`, `~3`.
final class AddressBook {
    private var seen: [String: Int] = [:]

    func unique(_ base: String) -> String {
        let n = (seen[base] ?? 0) + 1
        seen[base] = n
        return n == 1 ? base : "\(base)~\(n)"
    }
}
