import Foundation
import SQLSyntax
import TextCore

/// One migration file as its tool runs it: the statements of its forward section, and for each whether
/// it runs inside a transaction.
struct MigrationFile {
    let source: SourceText
    let parsed: SQLFile
    /// The statements that run when migrating forward (a dbmate or goose down section is left out).
    let statements: [SQLStatement]
    /// Whether the tool wraps the file in a transaction.
    let implicitTransaction: Bool
    /// Per statement: inside a transaction (implicit or explicit) when it runs.
    let inTransaction: [Bool]
    /// Per statement: a BEGIN inside a transaction already open.
    let nestedBegin: [Bool]
    /// Per statement: a BEGIN with no COMMIT or ROLLBACK after it in the file.
    let uncommittedBegin: [Bool]
    /// Per statement: `SET lock_timeout` / `SET statement_timeout` ran before it in the file.
    let lockTimeoutSet: [Bool]
    let statementTimeoutSet: [Bool]
    /// Per statement: the session's time zone was set to UTC (or another zone always at offset zero) before it in the file.
    let timeZoneUTC: [Bool]
    /// Whether the file holds statements that cannot run in a transaction and others that must (Flyway fails on this).
    let mixesTransactionModes: Bool
    /// Whether the file changes the schema (CREATE, ALTER or DROP of anything).
    let hasSchemaChange: Bool

    /// Statements PostgreSQL refuses inside a transaction block.
    static func cannotRunInTransaction(_ s: SQLStatement) -> Bool {
        switch s.kind {
        case "create_index", "drop_index", "reindex", "refresh_materialized_view":
            return s.details["concurrently"]?.value.bool == true
        case "vacuum", "create_database", "drop_database", "alter_system":
            return true
        case "alter_table":
            return s.details["actions"]?.value.list?.contains {
                $0.value.object?["action"]?.value.string == "detach_partition" && $0.value.object?["concurrently"]?.value.bool == true
            } ?? false
        default:
            return false
        }
    }

    /// A comment as its tool markers (`migrate:up`, `+goose down`) are compared: lowercased, without the spaces
    /// around it (tabs and Unicode space separators, as Foundation's `.whitespaces`, which it replaces here: every
    /// comment of every migration is read this way).
    static func marker(_ comment: String) -> String {
        let isSpace = { (c: Character) -> Bool in
            c == " " || c == "\t" || (c.unicodeScalars.count == 1 && c.unicodeScalars.first!.properties.generalCategory == .spaceSeparator)
        }
        guard let first = comment.firstIndex(where: { !isSpace($0) }), let last = comment.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return comment[first...last].lowercased()
    }

    static let transactionControl: Set<String> = ["begin", "commit", "rollback", "savepoint", "release_savepoint", "rollback_to_savepoint"]

    /// `optedOut`: the tool was told outside the file to run it without a transaction (Diesel's `metadata.toml`).
    init(source: SourceText, tool: MigrationTool, assumeTransaction: Bool?, optedOut optedOutOutside: Bool = false, cache: ParseCache) {
        self.source = source
        parsed = cache.parse(source)
        // dbmate and goose: only the up section runs forward.
        var forward: [SQLStatement] = []
        var inDown = false
        for s in parsed.statements {
            for c in s.leadingComments {
                let t = MigrationFile.marker(c.value)
                if t.hasPrefix("migrate:down") || t.hasPrefix("+goose down") { inDown = true }
                if t.hasPrefix("migrate:up") || t.hasPrefix("+goose up") { inDown = false }
            }
            if !inDown { forward.append(s) }
        }
        statements = forward
        let comments = parsed.comments.map { MigrationFile.marker($0.value) }
        let optedOut =
            optedOutOutside
            || comments.contains { $0.hasPrefix("migrate:up") && $0.contains("transaction:false") }
            || comments.contains { $0.hasPrefix("+goose no transaction") }
            || comments.contains { $0.hasPrefix("atlas:txmode none") }
            || comments.contains { $0.hasPrefix("squawk-disable-assume-in-transaction") }
        let nonTransactional = forward.contains(where: MigrationFile.cannotRunInTransaction)
        let transactional = forward.contains {
            !MigrationFile.cannotRunInTransaction($0) && !MigrationFile.transactionControl.contains($0.kind) && $0.kind != "set"
        }
        mixesTransactionModes = nonTransactional && transactional
        hasSchemaChange = forward.contains { $0.kind.hasPrefix("create_") || $0.kind.hasPrefix("alter_") || $0.kind.hasPrefix("drop_") }
        var implicit: Bool
        switch tool {
        // One multi-statement Exec runs as one implicit transaction; a single statement runs on its own.
        case .golangMigrate: implicit = forward.count > 1
        // Flyway runs a script holding a non-transactional statement outside a transaction.
        case .flyway: implicit = !nonTransactional
        default: implicit = tool.wrapsInTransaction
        }
        if optedOut { implicit = false }
        if let assumeTransaction { implicit = assumeTransaction && !optedOut }
        implicitTransaction = implicit
        var inTx: [Bool] = []
        var nested: [Bool] = []
        var uncommitted: [Bool] = []
        var lock: [Bool] = []
        var stmt: [Bool] = []
        var explicit = false
        var lockSet = false
        var statementSet = false
        var utc: [Bool] = []
        var utcSet = false
        for (i, s) in forward.enumerated() {
            lock.append(lockSet)
            stmt.append(statementSet)
            utc.append(utcSet)
            if let zone = Self.timeZone(setBy: s) { utcSet = Self.zeroOffsetZones.contains(zone.lowercased()) }
            switch s.kind {
            case "begin":
                nested.append(explicit || implicit)
                let closed = forward[(i + 1)...].contains { ["commit", "rollback"].contains($0.kind) }
                uncommitted.append(!closed)
                explicit = true
                inTx.append(true)
            case "commit", "rollback":
                nested.append(false)
                uncommitted.append(false)
                inTx.append(explicit || implicit)
                explicit = false
            default:
                nested.append(false)
                uncommitted.append(false)
                inTx.append(explicit || implicit)
            }
            if s.kind == "set", let name = s.details["name"]?.value.string {
                if name == "lock_timeout" { lockSet = true }
                if name == "statement_timeout" { statementSet = true }
            }
        }
        inTransaction = inTx
        nestedBegin = nested
        uncommittedBegin = uncommitted
        lockTimeoutSet = lock
        statementTimeoutSet = stmt
        timeZoneUTC = utc
    }

    /// The zones PostgreSQL keeps at offset zero all year: with one of them as the session's time zone, converting
    /// between `timestamp` and `timestamptz` rewrites nothing (PostgreSQL 12 and later).
    static let zeroOffsetZones: Set<String> = ["utc", "etc/utc", "gmt", "etc/gmt", "zulu", "etc/zulu", "universal", "etc/universal"]

    /// The time zone a statement gives the session (`SET timezone = 'UTC'`, `SET TIME ZONE 'UTC'`; `RESET` gives the
    /// server's, which is not known: an empty name), or nil when it sets none.
    static func timeZone(setBy s: SQLStatement) -> String? {
        guard let name = s.details["name"]?.value.string?.lowercased() else { return nil }
        if s.kind == "reset" { return name == "timezone" || name == "time" ? "" : nil }
        guard s.kind == "set", let value = s.details["value"]?.value.string else { return nil }
        if name == "timezone" { return value }
        if name == "time", value.lowercased().hasPrefix("zone ") { return String(value.dropFirst(5)) }
        return nil
    }
}

/// Where a migration is read from: its path and how its tool runs it.
struct MigrationFileKey: Hashable, Sendable {
    let path: String
    let tool: MigrationTool
    let optedOut: Bool
}
