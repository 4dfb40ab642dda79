import Foundation
import PolicyModel
import SQLSyntax
import TextCore

/// PostgreSQL migrations as subjects: one per statement (one per action of an ALTER TABLE), typed
/// `sql.<kind>` (`sql.create_index`, `sql.alter_table.add_column`, `sql.unknown`), each with the facts a
/// lock-safety rule needs beside the statement itself: whether it runs in a transaction under the
/// folder's migration tool, whether its table was created in the same migration or already holds data
/// (the schema replayed from earlier migrations), whether timeouts were set, and the data classification
/// its columns carry.
public struct MigrationsLanguage: Language {
    /// The language id.
    public static let id = "sql-migration"
    public var id: String { MigrationsLanguage.id }
    public var commentPrefix: String { "--" }
    /// The tool named in the config (`migrations: {tool: flyway}`); nil recognises it from the files.
    public var tool: MigrationTool?
    /// `migrations: {transaction: always|never}`: overrides the tool's transaction default.
    public var assumeTransaction: Bool?
    /// The files this language value parsed, by content (a fix's re-check re-parses only what it changed).
    let parseCache = ParseCache()
    /// The schema replayed before each migration, by the files before it (a fix's re-check replays only its own file).
    let snapshots = SchemaSnapshots()
    /// The tool recognised for a unit, by its folder, paths and contents (a re-check asks again for the same files).
    let detectedTools = LockedCache<UnitFilesKey, MigrationTool>(limit: 1024)
    /// A unit's migrations in order, by its paths (a re-check asks again for the same paths), for each tool.
    let orders = LockedCache<UnitFilesKey, [MigrationTool: MigrationOrder]>(limit: 1024)
    /// The tool and orders of the last units asked about, by their arrays' identity (no path is compared).
    let recentUnits = RecentUnits()
    /// Each migration read under a tool, the latest version of each path (a re-check reads every other file of
    /// the unit again).
    let migrationFiles = RecentVersions<MigrationFileKey, MigrationFile>(depth: 1)

    /// Creates the language.
    public init(tool: MigrationTool? = nil, assumeTransaction: Bool? = nil) {
        self.tool = tool
        self.assumeTransaction = assumeTransaction
    }

    /// Statement kinds that lock an existing table while they run (unless done concurrently).
    static let lockingKinds: Set<String> = [
        "alter_table", "create_index", "drop_table", "drop_index", "truncate", "reindex", "create_trigger", "alter_type", "alter_domain",
        "lock", "cluster", "refresh_materialized_view", "drop_trigger", "create_policy", "alter_index", "alter_sequence",
    ]

    /// The tool for a unit: the configured one, else recognised from its files.
    public func tool(for unit: AnalysisUnit) -> MigrationTool {
        if let tool { return tool }
        if let recent = recentUnits.tool(of: unit) { return recent }
        let key = UnitFilesKey(unit, contents: true)
        if let known = detectedTools.get(key) {
            recentUnits.remember(tool: known, of: unit)
            return known
        }
        let all = unit.contextFiles + unit.files
        let detected = MigrationTool.detect(paths: all.map(\.path), texts: all.map(\.text), directory: unit.name)
        detectedTools.set(key.stored, detected)
        recentUnits.remember(tool: detected, of: unit)
        return detected
    }

    /// The order of a unit's migrations under `tool`, computed once for the same paths.
    func order(of unit: AnalysisUnit, tool: MigrationTool) -> MigrationOrder {
        if let recent = recentUnits.order(of: unit, tool: tool) { return recent }
        let key = UnitFilesKey(unit, contents: false)
        if let order = orders.get(key)?[tool] {
            recentUnits.remember(order: order, tool: tool, of: unit)
            return order
        }
        let order = MigrationOrder(of: unit, tool: tool)
        remember(order, of: key, tool: tool)
        recentUnits.remember(order: order, tool: tool, of: unit)
        return order
    }

    /// Keeps the order of the unit `key` names under `tool`.
    private func remember(_ order: MigrationOrder, of key: UnitFilesKey, tool: MigrationTool) {
        var known = orders.get(key) ?? [:]
        known[tool] = order
        orders.set(key.stored, known)
    }

    /// A migration read under `tool`, from the cache when the same file was read before.
    func migrationFile(_ source: SourceText, tool: MigrationTool, optedOut: Bool) -> MigrationFile {
        migrationFiles.value(MigrationFileKey(path: source.path, tool: tool, optedOut: optedOut), text: source.text) {
            MigrationFile(source: source, tool: tool, assumeTransaction: assumeTransaction, optedOut: optedOut, cache: parseCache)
        }
    }

    /// The most migrations lowered on one core: past it, migrations are read and judged files lowered on all cores.
    static let loweredOnOneCore = 8

    public func lower(_ unit: AnalysisUnit) -> LoweredUnit {
        let tool = tool(for: unit)
        let judged = JudgedPaths(unit.files.map(\.path))
        let outsideTransaction = DieselMetadata.directoriesOutsideTransaction(unit.contextFiles)
        let ordered = order(of: unit, tool: tool).places.map { MigrationOrder.file($0, in: unit) }
        var schema = SchemaReplay()
        // The migrations before the first judged one only build the schema: start from a stored replay of them.
        var key = SchemaSnapshots.Key()
        var start = 0
        let firstJudged = ordered.firstIndex { judged.contains($0.path) } ?? ordered.count
        for file in ordered[..<firstJudged] { key.append(file) }
        if firstJudged > 0, let stored = snapshots.schema(after: key, tool: tool) {
            schema = stored
            start = firstJudged
        } else {
            key = SchemaSnapshots.Key()
        }
        let read = { @Sendable (source: SourceText) -> MigrationFile in
            migrationFile(source, tool: tool, optedOut: outsideTransaction.contains(source.path.parentPath))
        }
        let sources = Array(ordered[start...])
        let files = sources.count > Self.loweredOnOneCore ? sources.concurrentMap(read) : sources.map(read)
        // The schema each judged migration starts from, replayed in order (and stored for a fix's re-check).
        var judgedFiles: [(fileIndex: Int, file: MigrationFile, schema: SchemaReplay)] = []
        for (offset, file) in files.enumerated() {
            let fileIndex = start + offset
            if fileIndex > start { key.append(ordered[fileIndex - 1]) }
            if fileIndex > 0 && fileIndex >= firstJudged && fileIndex > start {
                snapshots.store(schema, after: key, tool: tool)
            }
            if judged.contains(file.source.path) { judgedFiles.append((fileIndex, file, schema)) }
            for statement in file.statements { schema.apply(statement, file: fileIndex) }
        }
        let lowerOne = { @Sendable (j: (fileIndex: Int, file: MigrationFile, schema: SchemaReplay)) -> LoweredUnit in
            lowerJudged(j.file, fileIndex: j.fileIndex, schema: j.schema, tool: tool)
        }
        let parts = judgedFiles.count > Self.loweredOnOneCore ? judgedFiles.concurrentMap(lowerOne) : judgedFiles.map(lowerOne)
        return LoweredUnit(
            subjects: parts.flatMap(\.subjects), diagnostics: parts.flatMap(\.diagnostics), comments: parts.flatMap(\.comments))
    }

    /// One judged migration's subjects, syntax diagnostics and suppression comments, replaying its statements over
    /// `schema` (the schema the migrations before it built).
    private func lowerJudged(_ file: MigrationFile, fileIndex: Int, schema before: SchemaReplay, tool: MigrationTool) -> LoweredUnit {
        let source = file.source
        let path = source.path
        var schema = before
        var subjects: [Subject] = []
        var diagnostics = file.parsed.errors.map { SyntaxDiagnostic(file: path, range: $0.range, message: $0.message) }
        var invalid = Set<Int>()
        let forward = Set(file.statements.map(\.range.start))
        for e in file.parsed.grammarErrors {
            let start = file.parsed.statements[e.statement].range.start
            guard forward.contains(start) else { continue }
            invalid.insert(start)
            diagnostics.append(
                SyntaxDiagnostic(
                    file: path, range: e.range,
                    message: "PostgreSQL cannot parse this statement: \(e.message) (PostgreSQL \(PostgresGrammar.version) grammar)")
            )
        }
        let index = source.lineIndex
        let comments = SuppressionComment.targeting(
            file.parsed.comments.map { c in
                let line = index.line(containing: c.range.start)
                let before = source.slice(SourceRange(start: index.lineStarts[line], end: c.range.start))
                return (c.value, c.range, before.allSatisfy { $0 == " " || $0 == "\t" })
            }, in: source, file: path)
        let classified = Self.sameMigrationClassifications(file.statements)
        let addresses = AddressBook()
        var lockedBefore = false
        for (i, statement) in file.statements.enumerated() {
            // Invalid SQL is a syntax error, not a statement of a new kind to review.
            if !(statement.kind == "unknown" && invalid.contains(statement.range.start)) {
                subjects += StatementLowering(
                    file: file, path: path, fileIndex: fileIndex, statementIndex: i, tool: tool, schema: schema, classified: classified,
                    addresses: addresses, lockedBefore: lockedBefore
                ).subjects(statement)
            }
            lockedBefore = lockedBefore || StatementLowering.locksExistingTable(statement, schema: schema, fileIndex: fileIndex)
            schema.apply(statement, file: fileIndex)
        }
        return LoweredUnit(subjects: subjects, diagnostics: diagnostics, comments: comments)
    }

    /// `COMMENT ON COLUMN t.c IS 'classification=...'` and `COMMENT ON TABLE` in one migration, by table key.
    static func sameMigrationClassifications(_ statements: [SQLStatement]) -> [String: (table: String?, columns: [String: String])] {
        var out: [String: (table: String?, columns: [String: String])] = [:]
        for s in statements where s.kind == "comment" {
            guard let text = s.details["text"]?.value.string, let value = SchemaReplay.classification(text) else { continue }
            switch s.details["object_type"]?.value.string {
            case "column":
                if let t = s.details["table"]?.value.string, let c = s.details["column"]?.value.string {
                    out[SchemaReplay.key(t), default: (nil, [:])].columns[c] = value
                }
            case "table":
                if let t = s.details["target"]?.value.string { out[SchemaReplay.key(t), default: (nil, [:])].table = value }
            default: break
            }
        }
        return out
    }

    /// A fix in one migration is judged with that migration alone, the earlier ones replayed for context:
    /// the findings of other files do not depend on it (later files only on the schema, which fixes keep).
    public func scope(_ unit: AnalysisUnit, toFile file: String) -> AnalysisUnit {
        guard unit.files.count > 1, unit.files.contains(where: { $0.path == file }) else { return unit }
        let tool = tool(for: unit)
        let order = order(of: unit, tool: tool)
        guard let position = order.position(of: file, in: unit) else { return unit }
        let settings = unit.contextFiles.filter { DieselMetadata.isSettings($0.path) }
        let scoped = AnalysisUnit(
            language: unit.language, name: unit.name, files: unit.files.filter { $0.path == file },
            contextFiles: order.places[..<position].map { MigrationOrder.file($0, in: unit) } + settings)
        // Its migrations are in order already: the re-check's lowering finds that order without sorting them again,
        // and judges under the unit's tool (recognised from all its files, not only those before the judged one).
        recentUnits.remember(order: MigrationOrder(presortedMigrations: position, judged: scoped.files.count), tool: tool, of: scoped)
        recentUnits.remember(scopeTool: tool, of: scoped)
        return scoped
    }

    public func edits(for plan: FixPlan, subject: Subject, atPath: ValuePath?, in unit: AnalysisUnit) throws(FixWriteError) -> [FileEdits] {
        guard let source = recentUnits.file(subject.file, in: unit) else {
            throw FixWriteError("no file \(subject.file) in the unit")
        }
        let outsideTransaction = recentUnits.outsideTransaction(of: unit).contains(subject.file.parentPath)
        let tool = tool(for: unit)
        let file = migrationFile(source, tool: tool, optedOut: outsideTransaction)
        var edits: [TextEdit] = []
        for op in plan.operations {
            guard case .transform(let name) = op else { throw FixWriteError("SQL fixes are named rewrites (transform:)") }
            if name == "move_to_new_migration" {
                guard plan.operations.count == 1, let statement = SQLFixWriter(file: file, subject: subject).statement else {
                    throw FixWriteError("move_to_new_migration is a fix of its own, for a statement of \(subject.file)")
                }
                return try NewMigrationWriter(file: file, statement: statement, tool: tool, unit: unit).edits()
            }
            edits += try SQLFixWriter(file: file, subject: subject).edits(name)
        }
        return [FileEdits(file: subject.file, edits: edits)]
    }

    /// A created forward migration is judged; a created `metadata.toml` is read as Diesel's settings; a
    /// created down migration plays no part in the analysis and is only known to exist.
    public func adding(createdFile file: SourceText, to unit: AnalysisUnit) -> AnalysisUnit {
        var copy = unit
        if DieselMetadata.isSettings(file.path) {
            copy.contextFiles.append(file)
        } else if tool(for: unit).isForward(file.path) {
            copy.files.append(file)
        } else {
            copy.existingPaths.append(file.path)
        }
        return copy
    }
}

/// The paths of a unit's judged files, asked about once for every migration of the folder: a fix's re-check judges
/// one file, and comparing a path's length before its bytes answers for the others without hashing each long path.
private struct JudgedPaths {
    private let few: [String]?
    private let many: Set<String>

    init(_ paths: [String]) {
        few = paths.count <= 8 ? paths : nil
        many = paths.count <= 8 ? [] : Set(paths)
    }

    func contains(_ path: String) -> Bool {
        guard let few else { return many.contains(path) }
        let length = path.utf8.count
        return few.contains { $0.utf8.count == length && $0 == path }
    }
}
