import Analysis
import Foundation
import Migrations
import PolicyModel
import Rules
import Testing
import TextCore

/// A temporary migrations folder analysed with the built-in packs.
struct MigrationFolder {
    let root: URL

    init(_ files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("goldpath-mig-\(UUID().uuidString)")
        for (name, text) in files {
            let url = root.appendingPathComponent("migrations/" + name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    var workspace: Workspace { Workspace.load(root: root.path, openDecisions: false) }

    func report() -> AnalysisReport { workspace.analyze(paths: [root.appendingPathComponent("migrations").path]) }

    /// `rule file:line:column` for every finding, the migrations folder left out of the path.
    func findings(_ only: Set<String>? = nil) -> [String] {
        let r = report()
        return r.findings.filter { only?.contains($0.ruleId) ?? true }.map { f in
            let source = r.sources[f.file]!
            let p = source.humanPosition(of: f.range.start)
            return "\(f.ruleId) \((f.file as NSString).lastPathComponent):\(p.line):\(p.column)"
        }
    }

    /// The text of `name` after applying the verified fix of the first finding of `rule` in it.
    func fixed(_ name: String, rule: String) throws -> String {
        let r = report()
        let finding = try #require(r.findings.first { $0.ruleId == rule && $0.file.hasSuffix("/" + name) })
        let fix = try #require(finding.fix, "the fix of \(rule) was not verified")
        let edits = try #require(fix.edits.first { $0.file == finding.file })
        return try TextEdit.apply(edits.edits, to: r.sources[finding.file]!.text)
    }

    func subjects(_ name: String) -> [Subject] {
        let ws = workspace
        let (units, _) = ws.discovery.units(for: [root.appendingPathComponent("migrations").path])
        return units.flatMap { ws.analyze($0, verifyFixes: false).subjects }.filter { $0.file.hasSuffix("/" + name) }
    }
}

extension Subject {
    func fact(_ key: String) -> Value? { value.mapValue?[key] }
}

@Suite struct MigrationContextTests {
    @Test("Diesel runs a migration outside its transaction when its metadata.toml says run_in_transaction = false")
    func dieselMetadataOptsOut() throws {
        let files = [
            "2024-01-01-000000_users/up.sql": "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n",
            "2024-01-02-000000_users_email/up.sql": "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);\n",
            "2024-01-03-000000_users_id/up.sql": "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_id_idx ON users (id);\n",
            "2024-01-03-000000_users_id/metadata.toml": "# Diesel settings\nrun_in_transaction = false\n",
        ]
        let folder = try MigrationFolder(files)
        #expect(folder.findings(["PG003"]) == ["PG003 up.sql:1:14"])
        let email = folder.subjects("2024-01-02-000000_users_email/up.sql").first { $0.type == "sql.create_index" }
        let id = folder.subjects("2024-01-03-000000_users_id/up.sql").first { $0.type == "sql.create_index" }
        #expect(email?.fact("in_transaction") == .bool(true))
        #expect(id?.fact("in_transaction") == .bool(false))
        // The settings travel with a single migration too (a file named on the command line, an editor's draft).
        let ws = folder.workspace
        let named = folder.root.appendingPathComponent("migrations/2024-01-03-000000_users_id/up.sql").path
        let report = ws.analyze(paths: [named])
        #expect(!report.findings.contains { $0.ruleId == "PG003" })
        #expect(
            report.units.first?.unit.contextFiles.map { ($0.path as NSString).lastPathComponent } == ["up.sql", "up.sql", "metadata.toml"])
    }

    @Test("golang-migrate runs a multi-statement file in one transaction, a single statement outside one")
    func golangMigrateTransactions() throws {
        let folder = try MigrationFolder([
            "000001_init.up.sql": "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n",
            "000001_init.down.sql": "DROP TABLE users;\n",
            "000002_index.up.sql": "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);\n",
            "000003_two.up.sql": "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_id_idx ON users (id);\n",
        ])
        #expect(folder.subjects("000002_index.up.sql").first?.fact("in_transaction") == .bool(false))
        #expect(folder.subjects("000003_two.up.sql").map { $0.fact("in_transaction") } == [.bool(true), .bool(true)])
        #expect(
            folder.findings(["PG003", "PG006", "PG040"]) == [
                "PG006 000003_two.up.sql:2:1", "PG003 000003_two.up.sql:2:14",
            ])
    }

    @Test("the schema replay tells a table created in the same migration from one that holds data")
    func replay() throws {
        let folder = try MigrationFolder([
            "0001_users.sql":
                "CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCOMMENT ON COLUMN users.email IS 'classification=pii';\n",
            "0002_more.sql": """
            CREATE TABLE teams (id bigint PRIMARY KEY, name text);
            CREATE INDEX teams_name_idx ON teams (name);
            CREATE INDEX users_email_idx ON users (email);
            ALTER TABLE users DROP COLUMN email;

            """,
        ])
        let subjects = folder.subjects("0002_more.sql")
        let teamsIndex = try #require(subjects.first { $0.address == "0002_more.sql#create_index teams_name_idx" })
        #expect(teamsIndex.fact("table_new") == .bool(true))
        let usersIndex = try #require(subjects.first { $0.address == "0002_more.sql#create_index users_email_idx" })
        #expect(usersIndex.fact("table_new") == .bool(false))
        #expect(usersIndex.fact("table_exists") == .bool(true))
        let drop = try #require(subjects.first { $0.type == "sql.alter_table.drop_column" })
        #expect(drop.fact("column_classification") == .string("pii"))
        #expect(
            folder.findings(["PG001", "PG025", "PG083"]) == [
                "PG001 0002_more.sql:3:1", "PG025 0002_more.sql:4:31", "PG083 0002_more.sql:4:31",
            ])
    }

    @Test("Flyway runs a script with CREATE INDEX CONCURRENTLY outside a transaction and refuses to mix")
    func flyway() throws {
        let folder = try MigrationFolder([
            "V1__init.sql": "CREATE TABLE accounts (id bigint PRIMARY KEY, status text);\n",
            "V2__index.sql": "CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_status_idx ON accounts (status);\n",
            "V3__mixed.sql":
                "SET lock_timeout = '2s';\nALTER TABLE accounts ADD COLUMN IF NOT EXISTS plan text;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_plan_idx ON accounts (plan);\n",
        ])
        #expect(folder.subjects("V2__index.sql").first?.fact("tool") == .string("flyway"))
        #expect(folder.subjects("V2__index.sql").first?.fact("in_transaction") == .bool(false))
        #expect(folder.findings(["PG003", "PG062"]) == ["PG062 V3__mixed.sql:3:1"])
    }

    @Test("dbmate: only the up section runs, and transaction:false leaves the transaction")
    func dbmate() throws {
        let folder = try MigrationFolder([
            "20240101000000_index.sql": """
            -- migrate:up transaction:false
            CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);

            -- migrate:down
            DROP INDEX users_email_idx;

            """,
            "20240102000000_other.sql":
                "-- migrate:up\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_id_idx ON users (id);\n-- migrate:down\nDROP INDEX users_id_idx;\n",
        ])
        #expect(folder.subjects("20240101000000_index.sql").count == 1)
        #expect(folder.findings(["PG002", "PG003"]) == ["PG003 20240102000000_other.sql:2:14"])
        #expect(
            try folder.fixed("20240102000000_other.sql", rule: "PG003")
                == "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_id_idx ON users (id);\n-- migrate:down\nDROP INDEX users_id_idx;\n"
        )
    }

    @Test("an explicit BEGIN is tracked: nesting under the tool's transaction, a missing COMMIT")
    func explicitTransactions() throws {
        let folder = try MigrationFolder([
            "000001_a.up.sql": "BEGIN;\nCREATE TABLE a (id bigint PRIMARY KEY);\nCOMMIT;\n",
            "000002_b.up.sql": "CREATE TABLE b (id bigint PRIMARY KEY);\n",
        ])
        #expect(folder.findings(["PG050", "PG051"]) == ["PG050 000001_a.up.sql:1:1"])
        let plain = try MigrationFolder(["0001_a.sql": "BEGIN;\nCREATE TABLE a (id bigint PRIMARY KEY);\n"])
        #expect(plain.findings(["PG050", "PG051"]) == ["PG051 0001_a.sql:1:1"])
        #expect(try plain.fixed("0001_a.sql", rule: "PG051") == "BEGIN;\nCREATE TABLE a (id bigint PRIMARY KEY);\nCOMMIT;\n")
    }

    @Test("squawk-ignore and goldpath:ignore comments suppress through the id mapping")
    func suppressions() throws {
        let folder = try MigrationFolder([
            "0001_a.sql": """
            -- squawk-ignore require-concurrent-index-creation
            CREATE INDEX users_email_idx ON users (email);
            -- goldpath:ignore PG002 reason="dropped during the maintenance window"
            DROP INDEX users_old_idx;
            CREATE INDEX users_id_idx ON users (id);

            """
        ])
        #expect(folder.findings(["PG001", "PG002"]) == ["PG001 0001_a.sql:5:1"])
    }

    @Test("squawk-ignore-file covers the whole file: the rules it names, or every squawk rule")
    func squawkIgnoreFile() throws {
        let folder = try MigrationFolder([
            "0001_a.sql":
                "-- squawk-ignore-file require-concurrent-index-creation\nCREATE INDEX a_idx ON users (a);\nCREATE INDEX b_idx ON users (b);\n",
            "0002_b.sql": "-- squawk-ignore-file\nCREATE INDEX c_idx ON users (c);\nDELETE FROM sessions;\n",
        ])
        #expect(folder.findings(["PG001", "PG060", "PG070"]) == ["PG060 0001_a.sql:2:1", "PG070 0002_b.sql:3:1"])
    }

    @Test("a statement goldpath does not know is a first-of-a-kind subject, and the file's other findings stay")
    func unknownStatement() throws {
        let folder = try MigrationFolder(["0001_a.sql": "FROBNICATE TABLE users;\nCREATE INDEX users_email_idx ON users (email);\n"])
        #expect(folder.findings(["needs-review", "PG001"]) == ["needs-review 0001_a.sql:1:1", "PG001 0001_a.sql:2:1"])
    }
}

@Suite struct MigrationOrderTests {
    @Test("each tool's order: versions as numbers, Flyway repeatables last, sqitch by its plan")
    func order() throws {
        #expect(
            MigrationTool.golangMigrate.order(["m/10_b.up.sql", "m/9_a.up.sql", "m/100_c.up.sql"]) == [
                "m/9_a.up.sql", "m/10_b.up.sql", "m/100_c.up.sql",
            ])
        #expect(
            MigrationTool.flyway.order(["m/R__views.sql", "m/V2_10__c.sql", "m/V2_9__b.sql", "m/V10__d.sql"])
                == ["m/V2_9__b.sql", "m/V2_10__c.sql", "m/V10__d.sql", "m/R__views.sql"])
        #expect(MigrationTool.diesel.order(["m/2020-02_b/up.sql", "m/2019-01_a/up.sql"]) == ["m/2019-01_a/up.sql", "m/2020-02_b/up.sql"])
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("goldpath-sqitch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("deploy"), withIntermediateDirectories: true)
        try
            "%syntax-version=1.0.0\n%project=app\n\nusers 2024-01-01T00:00:00Z Ann <a@x> # users\nappschema 2024-01-02T00:00:00Z Ann <a@x>\n"
            .write(to: root.appendingPathComponent("sqitch.plan"), atomically: true, encoding: .utf8)
        let deploy = root.appendingPathComponent("deploy").path
        #expect(MigrationTool.detect(paths: [deploy + "/users.sql"], texts: [""], directory: deploy) == .sqitch)
        #expect(
            MigrationTool.sqitch.order([deploy + "/appschema.sql", deploy + "/users.sql"]) == [
                deploy + "/users.sql", deploy + "/appschema.sql",
            ])
    }
}

@Suite struct SQLFixTests {
    @Test("CONCURRENTLY is added, and an explicit transaction around the statement is removed with IF NOT EXISTS added")
    func concurrently() throws {
        let folder = try MigrationFolder([
            "0001_a.sql": "create index users_email_idx on users (email);\n",
            "0002_b.sql": "-- build the index\nBEGIN;\nCREATE INDEX CONCURRENTLY users_id_idx ON users (id);\nCOMMIT;\n",
        ])
        #expect(try folder.fixed("0001_a.sql", rule: "PG001") == "create index concurrently users_email_idx on users (email);\n")
        #expect(
            try folder.fixed("0002_b.sql", rule: "PG003")
                == "-- build the index\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_id_idx ON users (id);\n")
    }

    @Test("NOT VALID, and NOT VALID then VALIDATE where no transaction holds both")
    func notValid() throws {
        let folder = try MigrationFolder([
            "0001_a.sql": "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\n"
        ])
        let r = folder.report()
        let finding = try #require(r.findings.first { $0.ruleId == "PG010" })
        let ws = folder.workspace
        let (units, _) = ws.discovery.units(for: [folder.root.appendingPathComponent("migrations").path])
        let language = try #require(ws.languages["sql-migration"])
        let verifier = FixVerifier(engine: ws.engine, language: language)
        let lowered = language.lower(units[0])
        let texts = try [0, 1].map { i -> String in
            guard case .success(let fix) = verifier.verify(finding, unit: units[0], lowered: lowered, before: r.findings, alternative: i)
            else {
                throw CancellationError()
            }
            return try TextEdit.apply(fix.edits[0].edits, to: units[0].files[0].text)
        }
        #expect(
            texts == [
                "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n",
                "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;\n",
            ])
    }

    @Test("column types are rewritten in place, in the file's case")
    func types() throws {
        let folder = try MigrationFolder([
            "0001_a.sql": "CREATE TABLE events (\n  id serial PRIMARY KEY,\n  at TIMESTAMP,\n  code char(2),\n  doc json\n);\n"
        ])
        #expect(
            try folder.fixed("0001_a.sql", rule: "PG033")
                == "CREATE TABLE events (\n  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n  at TIMESTAMP,\n  code char(2),\n  doc json\n);\n"
        )
        #expect(
            try folder.fixed("0001_a.sql", rule: "PG030")
                == "CREATE TABLE events (\n  id serial PRIMARY KEY,\n  at TIMESTAMPTZ,\n  code char(2),\n  doc json\n);\n")
        #expect(
            try folder.fixed("0001_a.sql", rule: "PG035")
                == "CREATE TABLE events (\n  id serial PRIMARY KEY,\n  at TIMESTAMP,\n  code text,\n  doc json\n);\n")
        #expect(
            try folder.fixed("0001_a.sql", rule: "PG036")
                == "CREATE TABLE events (\n  id serial PRIMARY KEY,\n  at TIMESTAMP,\n  code char(2),\n  doc jsonb\n);\n")
    }

    @Test("a classification comment is added after the statement, or an existing one corrected")
    func classification() throws {
        let folder = try MigrationFolder([
            "0001_a.sql": "ALTER TABLE \"Customers\" ADD COLUMN email text;\n",
            "0002_b.sql": "ALTER TABLE customers ADD COLUMN phone text;\nCOMMENT ON COLUMN customers.phone IS 'classification=unknown';\n",
        ])
        #expect(
            try folder.fixed("0001_a.sql", rule: "PG080")
                == "ALTER TABLE \"Customers\" ADD COLUMN email text;\nCOMMENT ON COLUMN \"Customers\".email IS 'classification=pii';\n")
        #expect(
            try folder.fixed("0002_b.sql", rule: "PG080")
                == "ALTER TABLE customers ADD COLUMN phone text;\nCOMMENT ON COLUMN customers.phone IS 'classification=pii';\n")
    }

    @Test("timeouts go after the SET statements that open the file; CASCADE is removed")
    func preambleAndCascade() throws {
        let folder = try MigrationFolder([
            "0001_a.sql": "SET statement_timeout = '5min';\nALTER TABLE users ADD COLUMN IF NOT EXISTS nickname text;\n",
            "0002_b.sql": "TRUNCATE staging CASCADE;\n",
        ])
        #expect(
            try folder.fixed("0001_a.sql", rule: "PG060")
                == "SET statement_timeout = '5min';\nSET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN IF NOT EXISTS nickname text;\n")
        #expect(try folder.fixed("0002_b.sql", rule: "PG042") == "TRUNCATE staging;\n")
    }
}
