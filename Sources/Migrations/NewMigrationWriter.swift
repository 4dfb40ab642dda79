import Foundation
import PolicyModel
import SQLSyntax
import TextCore

/// Moves a statement that cannot run in a transaction (`CREATE INDEX CONCURRENTLY`) out of its migration
/// into a new migration of its own, named in the folder's numbering, with a down migration that drops the
/// index concurrently.
///
/// Only the folder's last migration is split: a migration with later ones has been applied somewhere, and
/// the statement would not run again. Atlas (its `atlas.sum` would need rehashing), sqitch (its plan) and
/// plain folders (no order to extend) get no such fix.
struct NewMigrationWriter {
    let file: MigrationFile
    let statement: SQLStatement
    let tool: MigrationTool
    let unit: AnalysisUnit

    var source: SourceText { file.source }
    var path: String { source.path }

    func edits() throws(FixWriteError) -> [FileEdits] {
        guard statement.kind == "create_index", statement.details["concurrently"]?.value.bool == true,
            let index = statement.details["name"]?.value.string
        else { throw FixWriteError("only a named CREATE INDEX CONCURRENTLY is moved to a migration of its own") }
        let root = MigrationsLanguage.migrationRoot(ofFile: path)
        let migrations = knownMigrations(root: root)
        guard let last = tool.order(migrations).last, last == path else {
            throw FixWriteError("\(path.fileName) has later migrations; a statement moved after them would not run where it already ran")
        }
        let slug = "create_" + Self.slug(index)
        let statementText = movedText()
        let down = "DROP INDEX CONCURRENTLY IF EXISTS \(source.slice(statement.details["name"]!.range));\n"
        let created = try newFiles(root: root, migrations: migrations, slug: slug, up: statementText, down: down)
        for f in created where unit.knows(f.file) || migrations.contains(f.file) {
            throw FixWriteError("\(f.file) exists already")
        }
        return [FileEdits(file: path, edits: [removal()])] + created
    }

    /// Every forward migration of the folder: the unit's and those it only knows of.
    func knownMigrations(root: String) -> [String] {
        var paths = (unit.contextFiles + unit.files).map(\.path).filter { !DieselMetadata.isSettings($0) }
        for p in unit.existingPaths where p.parentPath == root {
            if tool == .diesel {
                if !p.hasSuffix(".sql") && !p.hasSuffix(".toml") { paths.append(DirectoryListing.join(p, "up.sql")) }
            } else if p.hasSuffix(".sql") && tool.isForward(p) {
                paths.append(p)
            }
        }
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }

    /// The files of the new migration.
    func newFiles(root: String, migrations: [String], slug: String, up: String, down: String) throws(FixWriteError) -> [FileEdits] {
        let names = migrations.map { tool == .diesel ? $0.parentPath.fileName : $0.fileName }
        func file(_ name: String, _ text: String) -> FileEdits { .newFile(DirectoryListing.join(root, name), text, movedFrom: path) }
        switch tool {
        case .golangMigrate:
            let version = try Self.nextVersion(after: names.compactMap { Self.leadingDigits($0) })
            return [file("\(version)_\(slug).up.sql", up), file("\(version)_\(slug).down.sql", down)]
        case .goose:
            let version = try Self.nextVersion(after: names.compactMap { Self.leadingDigits($0) })
            let text = "-- +goose NO TRANSACTION\n-- +goose Up\n\(up)\n-- +goose Down\n\(down)"
            return [file("\(version)_\(slug).sql", text)]
        case .dbmate:
            let version = try Self.nextVersion(after: names.compactMap { Self.leadingDigits($0) })
            let text = "-- migrate:up transaction:false\n\(up)\n-- migrate:down transaction:false\n\(down)"
            return [file("\(version)_\(slug).sql", text)]
        case .flyway:
            let versioned = names.filter { $0.hasPrefix("V") }
            guard let latest = versioned.max(by: { MigrationTool.versionKey($0).lexicographicallyPrecedes(MigrationTool.versionKey($1)) }),
                let current = latest.dropFirst().components(separatedBy: "__").first
            else { throw FixWriteError("no versioned Flyway script to follow") }
            let version = Self.nextFlywayVersion(after: current)
            var files = [file("V\(version)__\(slug).sql", up)]
            let undo = (unit.existingPaths + unit.contextFiles.map(\.path)).map(\.fileName)
            if undo.contains(where: { $0.hasPrefix("U") && $0.contains("__") }) { files.append(file("U\(version)__\(slug).sql", down)) }
            return files
        case .diesel:
            let version = try Self.nextDieselVersion(after: names.map { String($0.prefix { $0 != "_" }) })
            let folder = "\(version)_\(slug)"
            return [
                file("\(folder)/up.sql", up), file("\(folder)/down.sql", down),
                file("\(folder)/metadata.toml", "run_in_transaction = false\n"),
            ]
        case .atlas, .sqitch, .plain:
            throw FixWriteError(
                "\(tool.rawValue) migrations get no new file (\(tool == .atlas ? "atlas.sum" : "the order") would need updating)")
        }
    }

    /// The statement with the comments directly above it, ended by `;` and a newline. Alone in its file it
    /// runs outside a transaction, where a failure leaves an invalid index behind: IF NOT EXISTS (in the
    /// statement's case) lets the migration be re-run.
    func movedText() -> String {
        let start = statement.leadingComments.first?.range.start ?? statement.range.start
        let end = statement.terminator?.end ?? statement.range.end
        var text = source.slice(SourceRange(start: start, end: end))
        if statement.details["if_not_exists"]?.value.bool != true, let name = statement.details["name"]?.range, name.start >= start {
            let upper = source.slice(statement.tokens[0].range).first?.isUppercase ?? true
            let offset = name.start - start
            let bytes = Array(text.utf8)
            text =
                String(decoding: bytes[..<offset], as: UTF8.self) + (upper ? "IF NOT EXISTS " : "if not exists ")
                + String(decoding: bytes[offset...], as: UTF8.self)
        }
        return text + (statement.terminator == nil ? ";" : "") + "\n"
    }

    /// The edit that takes the statement (and the comments directly above it) out of its file, with its line.
    func removal() -> TextEdit {
        let bytes = source.bytes
        var start = statement.leadingComments.first?.range.start ?? statement.range.start
        var end = statement.terminator?.end ?? statement.range.end
        while start > 0, bytes[start - 1] == 32 || bytes[start - 1] == 9 { start -= 1 }
        while end < bytes.count, bytes[end] == 32 || bytes[end] == 9 { end += 1 }
        if end < bytes.count, bytes[end] == 10 {
            end += 1
        } else if start > 0, bytes[start - 1] == 10 {
            start -= 1
        }
        return TextEdit(range: SourceRange(start: start, end: end), newText: "")
    }

    /// An index name as a file name part: lowercase letters, digits and `_`.
    static func slug(_ name: String) -> String {
        let mapped = name.lowercased().unicodeScalars.map { c -> Character in
            ("a"..."z").contains(c) || ("0"..."9").contains(c) ? Character(c) : "_"
        }
        return String(mapped).split(separator: "_").joined(separator: "_")
    }

    static func leadingDigits(_ name: String) -> String? {
        let digits = String(name.prefix { $0.isASCII && $0.isNumber })
        return digits.isEmpty ? nil : digits
    }

    /// The next version after the highest: a `YYYYMMDDHHMMSS` timestamp one second later, else the number plus
    /// one, zero-padded to the width the folder uses.
    static func nextVersion(after versions: [String]) throws(FixWriteError) -> String {
        guard let latest = versions.max(by: { ($0.count, $0) < ($1.count, $1) }) else {
            throw FixWriteError("no numbered migration to follow")
        }
        if latest.count == 14, let next = Timestamp.next(latest, format: "yyyyMMddHHmmss") { return next }
        guard let n = UInt64(latest) else { throw FixWriteError("the version \(latest) is too large") }
        let next = String(n + 1)
        return String(repeating: "0", count: max(0, latest.count - next.count)) + next
    }

    /// Diesel's `YYYY-MM-DD-HHMMSS` (one second later) or a plain number (plus one).
    static func nextDieselVersion(after versions: [String]) throws(FixWriteError) -> String {
        let stamped = versions.filter { $0.count == 17 && $0.filter { $0 == "-" }.count == 3 }
        if let latest = stamped.max(), let next = Timestamp.next(latest, format: "yyyy-MM-dd-HHmmss") { return next }
        return try nextVersion(after: versions.filter { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } })
    }

    /// `2` → `3`, `2_1` → `2_2`, `1.4` → `1.5`: the last part of the version plus one, the separators kept.
    static func nextFlywayVersion(after version: String) -> String {
        guard let split = version.lastIndex(where: { $0 == "_" || $0 == "." }) else {
            return String((Int(version) ?? 0) + 1)
        }
        let head = version[...split]
        let last = version[version.index(after: split)...]
        return head + String((Int(last) ?? 0) + 1)
    }
}

/// Timestamps in migration versions, read and written in UTC.
enum Timestamp {
    /// `stamp` one second later in the same format; nil when it is not a timestamp of that format.
    static func next(_ stamp: String, format: String) -> String? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        guard let date = formatter.date(from: stamp) else { return nil }
        return formatter.string(from: date.addingTimeInterval(1))
    }
}
