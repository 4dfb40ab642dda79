import Analysis
import Foundation
import Migrations
import PolicyModel
import Testing
import TextCore

extension MigrationFolder {
    /// Every file the verified fix of `rule`'s first finding in `name` changes or creates, by path under
    /// `migrations/`, with its text after the fix (a created file marked `+`).
    func fixFiles(_ name: String, rule: String) throws -> [String: String] {
        let r = report()
        let finding = try #require(r.findings.first { $0.ruleId == rule && $0.file.hasSuffix("/" + name) })
        let fix = try #require(finding.fix, "the fix of \(rule) was not verified")
        let prefix = root.appendingPathComponent("migrations").path + "/"
        var out: [String: String] = [:]
        for fe in fix.edits {
            let key = (fe.creates ? "+" : "") + String(fe.file.dropFirst(prefix.count))
            out[key] = try fe.createdText ?? TextEdit.apply(fe.edits, to: r.sources[fe.file]!.text)
        }
        return out
    }

    func fix(of rule: String, in name: String) -> VerifiedFix? {
        report().findings.first { $0.ruleId == rule && $0.file.hasSuffix("/" + name) }?.fix
    }
}

@Suite struct NewMigrationFixTests {
    @Test("golang-migrate: a concurrent index moves to the next numbered migration, with a down migration")
    func golangMigrate() throws {
        let folder = try MigrationFolder([
            "000001_users.up.sql": "CREATE TABLE users (id bigint PRIMARY KEY, nickname text);\n",
            "000001_users.down.sql": "DROP TABLE users;\n",
            "000002_nick.up.sql":
                "ALTER TABLE users ADD COLUMN IF NOT EXISTS handle text;\n-- look up by nickname\nCREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);\n",
            "000002_nick.down.sql": "ALTER TABLE users DROP COLUMN handle;\n",
        ])
        #expect(
            try folder.fixFiles("000002_nick.up.sql", rule: "PG006") == [
                "000002_nick.up.sql": "ALTER TABLE users ADD COLUMN IF NOT EXISTS handle text;\n",
                "+000003_create_users_nickname_idx.up.sql":
                    "-- look up by nickname\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_nickname_idx ON users (nickname);\n",
                "+000003_create_users_nickname_idx.down.sql": "DROP INDEX CONCURRENTLY IF EXISTS users_nickname_idx;\n",
            ])
    }

    @Test("golang-migrate with timestamp versions: the new migration is one second later")
    func timestamps() throws {
        let folder = try MigrationFolder([
            "20240101120059_users.up.sql":
                "CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, nickname text);\nCREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);\n"
        ])
        let files = try folder.fixFiles("20240101120059_users.up.sql", rule: "PG006")
        #expect(
            files.keys.sorted() == [
                "+20240101120100_create_users_nickname_idx.down.sql", "+20240101120100_create_users_nickname_idx.up.sql",
                "20240101120059_users.up.sql",
            ])
    }

    @Test("a migration with later ones is not split, and no fix is offered")
    func laterMigrations() throws {
        let folder = try MigrationFolder([
            "000001_users.up.sql":
                "CREATE TABLE users (id bigint PRIMARY KEY, nickname text);\nCREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);\n",
            "000002_more.up.sql": "ALTER TABLE users ADD COLUMN IF NOT EXISTS handle text;\n",
        ])
        #expect(folder.findings(["PG006"]) == ["PG006 000001_users.up.sql:2:1"])
        #expect(folder.fix(of: "PG006", in: "000001_users.up.sql") == nil)
    }

    @Test("goose: the new migration opts out of the transaction and carries its Down section")
    func goose() throws {
        let folder = try MigrationFolder([
            "00001_users.sql": "-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, nickname text);\n",
            "00002_nick.sql":
                "-- +goose Up\nALTER TABLE users ADD COLUMN handle text;\nCREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);\n-- +goose Down\nALTER TABLE users DROP COLUMN handle;\n",
        ])
        #expect(
            try folder.fixFiles("00002_nick.sql", rule: "PG003") == [
                "00002_nick.sql":
                    "-- +goose Up\nALTER TABLE users ADD COLUMN handle text;\n-- +goose Down\nALTER TABLE users DROP COLUMN handle;\n",
                "+00003_create_users_nickname_idx.sql":
                    "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_nickname_idx ON users (nickname);\n\n-- +goose Down\nDROP INDEX CONCURRENTLY IF EXISTS users_nickname_idx;\n",
            ])
    }

    @Test("Diesel: a new migration folder with up.sql, down.sql and a metadata.toml that leaves the transaction")
    func diesel() throws {
        let folder = try MigrationFolder([
            "2024-01-01-120000_users/up.sql": "CREATE TABLE users (id bigint PRIMARY KEY, nickname text);\n",
            "2024-01-01-120000_users/down.sql": "DROP TABLE users;\n",
            "2024-01-02-235959_nick/up.sql":
                "ALTER TABLE users ADD COLUMN handle text;\nCREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);\n",
        ])
        #expect(
            try folder.fixFiles("2024-01-02-235959_nick/up.sql", rule: "PG003") == [
                "2024-01-02-235959_nick/up.sql": "ALTER TABLE users ADD COLUMN handle text;\n",
                "+2024-01-03-000000_create_users_nickname_idx/up.sql":
                    "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_nickname_idx ON users (nickname);\n",
                "+2024-01-03-000000_create_users_nickname_idx/down.sql": "DROP INDEX CONCURRENTLY IF EXISTS users_nickname_idx;\n",
                "+2024-01-03-000000_create_users_nickname_idx/metadata.toml": "run_in_transaction = false\n",
            ])
    }

    @Test("Diesel: a moved statement keeps its findings' identity, though its address names the new migration's folder")
    func dieselMoveKeepsIdentity() throws {
        let folder = try MigrationFolder([
            "2024-01-01-120000_users/up.sql": "CREATE TABLE users (id bigint PRIMARY KEY, a text, b text, c text, d text);\n",
            "2024-01-02-235959_lookup/up.sql":
                "ALTER TABLE users ADD COLUMN handle text;\nCREATE INDEX CONCURRENTLY users_lookup_idx ON users (a, b, c, d);\n",
        ])
        // The index's PG005 (more than three columns) stays with it in the new migration: it is not a new finding.
        #expect(folder.findings(["PG005"]) == ["PG005 up.sql:2:53"])
        #expect(
            try folder.fixFiles("2024-01-02-235959_lookup/up.sql", rule: "PG003")["+2024-01-03-000000_create_users_lookup_idx/up.sql"]
                == "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_lookup_idx ON users (a, b, c, d);\n")
    }

    @Test("Flyway: the next version, and an undo script when the folder keeps them")
    func flyway() throws {
        let folder = try MigrationFolder([
            "V1_9__users.sql": "CREATE TABLE users (id bigint PRIMARY KEY, nickname text);\n",
            "U1_9__users.sql": "DROP TABLE users;\n",
            "V1_10__nick.sql":
                "ALTER TABLE users ADD COLUMN handle text;\nCREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);\n",
        ])
        #expect(
            try folder.fixFiles("V1_10__nick.sql", rule: "PG062") == [
                "V1_10__nick.sql": "ALTER TABLE users ADD COLUMN handle text;\n",
                "+V1_11__create_users_nickname_idx.sql":
                    "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_nickname_idx ON users (nickname);\n",
                "+U1_11__create_users_nickname_idx.sql": "DROP INDEX CONCURRENTLY IF EXISTS users_nickname_idx;\n",
            ])
    }

    @Test("goldpath fix applies the move and lists the created files; the result has no finding left on the index")
    func fixAll() throws {
        let folder = try MigrationFolder([
            "000001_users.up.sql": "CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, nickname text);\n",
            "000002_nick.up.sql":
                "ALTER TABLE users ADD COLUMN IF NOT EXISTS handle text;\nCREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);\n",
        ])
        let ws = folder.workspace
        let (units, _) = ws.discovery.units(for: [folder.root.appendingPathComponent("migrations").path])
        let result = ws.fixAll(try #require(units.first))
        #expect(result.applied.contains { $0.hasSuffix(": Move it to a new migration of its own") })
        #expect(
            result.created.map(\.path.fileName) == ["000003_create_users_nickname_idx.up.sql", "000003_create_users_nickname_idx.down.sql"])
        let after = ws.analyze(result.analysed, verifyFixes: false).findings.map(\.ruleId)
        #expect(!after.contains("PG006") && !after.contains("PG003"))
    }
}
