import Foundation
import SQLSyntax
import Testing
import TextCore

@Suite struct SQLParserTests {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

    static func names(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent(folder).path)) ?? [])
            .filter { $0.hasSuffix(".sql") }.sorted()
    }

    /// A fixture's SQL and the lines of its expectation file (`.kinds` or `.errors` beside it).
    static func fixture(_ folder: String, _ name: String, expectations: String) throws -> (text: String, expected: [String]) {
        let dir = fixtures.appendingPathComponent(folder)
        let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        let expected = try String(
            contentsOf: dir.appendingPathComponent(name.replacingOccurrences(of: ".sql", with: expectations)), encoding: .utf8
        )
        .split(separator: "\n").map(String.init)
        return (text, expected)
    }

    @Test("ok fixtures parse into the listed statement kinds, with no unknown statement and no lexical error", arguments: names("ok"))
    func okFixture(_ name: String) throws {
        let (text, expected) = try Self.fixture("ok", name, expectations: ".kinds")
        let file = SQLParser.parse(text)
        #expect(file.errors.isEmpty)
        #expect(file.statements.map(\.kind) == expected)
    }

    @Test("err fixtures report each problem at its line and column, and the statements around it still parse", arguments: names("err"))
    func errFixture(_ name: String) throws {
        let (text, expected) = try Self.fixture("err", name, expectations: ".errors")
        let source = SourceText(path: name, text: text)
        let file = SQLParser.parse(text)
        var problems = file.errors.map { e -> (Int, String) in (e.range.start, e.message) }
        problems += file.statements.filter { $0.kind == "unknown" }.map { ($0.range.start, "unknown " + ($0.problem ?? "")) }
        let reported = problems.sorted { $0.0 < $1.0 }.map { p -> String in
            let h = source.humanPosition(of: p.0)
            return "\(h.line):\(h.column) \(p.1)"
        }
        #expect(reported == expected)
        #expect(file.statements.first?.kind == "create_table")
    }

    func one(_ sql: String) -> (SQLStatement, SourceText) {
        let file = SQLParser.parse(sql)
        return (file.statements[0], SourceText(path: "t.sql", text: sql))
    }

    func text(_ field: SQLField?, _ source: SourceText) -> String { field.map { source.slice($0.range) } ?? "<none>" }

    @Test func createIndexDetails() {
        let (s, src) = one(
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON public.users USING btree (lower(email), org_id) WHERE deleted_at IS NULL;"
        )
        #expect(s.kind == "create_index")
        #expect(s.details["unique"]?.value == .bool(true))
        #expect(text(s.details["concurrently"], src) == "CONCURRENTLY")
        #expect(s.details["if_not_exists"]?.value == .bool(true))
        #expect(s.details["name"]?.value == .string("users_email_idx"))
        #expect(text(s.details["table"], src) == "public.users")
        #expect(s.details["table"]?.value == .string("public.users"))
        #expect(s.details["method"]?.value == .string("btree"))
        #expect(s.details["columns"]?.value.list?.map(\.value) == [.string("(expression)"), .string("org_id")])
        #expect(s.details["where"]?.value == .string("deleted_at is null"))
        #expect(
            src.slice(s.range)
                == "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON public.users USING btree (lower(email), org_id) WHERE deleted_at IS NULL"
        )
        #expect(s.terminator.map { src.slice($0) } == ";")
        let (plain, _) = one("create index on t (a)")
        #expect(plain.details["concurrently"]?.value == .bool(false))
        #expect(plain.details["name"] == nil)
        #expect(plain.details["table"]?.value == .string("t"))
    }

    @Test func createTableColumns() throws {
        let sql = """
            CREATE TABLE "Sales".orders (
                id serial PRIMARY KEY,
                email character varying(255) NOT NULL,
                placed_at timestamp(3) without time zone DEFAULT now(),
                ref uuid DEFAULT gen_random_uuid(),
                customer_id integer REFERENCES customers (id),
                total numeric(10, 2),
                tags text[],
                CONSTRAINT orders_total CHECK (total > 0),
                UNIQUE (email, placed_at)
            )
            """
        let (s, src) = one(sql)
        #expect(s.kind == "create_table")
        #expect(s.details["table"]?.value == .string("Sales.orders"))
        let columns = try #require(s.details["columns"]?.value.list).map { $0.value.object! }
        #expect(
            columns.map { $0["name"]?.value } == ["id", "email", "placed_at", "ref", "customer_id", "total", "tags"].map { .string($0) })
        #expect(
            columns.map { $0["type"]?.value.object?["name"]?.value }
                == ["serial", "varchar", "timestamp", "uuid", "integer", "numeric", "text"].map { .string($0) })
        #expect(text(columns[1]["type"], src) == "character varying(255)")
        #expect(text(columns[2]["type"], src) == "timestamp(3) without time zone")
        #expect(columns.map { $0["not_null"]?.value } == [true, true, false, false, false, false, false].map { .bool($0) })
        #expect(columns[0]["primary_key"]?.value == .bool(true))
        #expect(columns[2]["default"]?.value.object?["volatile"]?.value == .bool(false))
        #expect(columns[3]["default"]?.value.object?["volatile"]?.value == .bool(true))
        #expect(text(columns[3]["default"], src) == "DEFAULT gen_random_uuid()")
        #expect(columns[4]["references"]?.value.object?["table"]?.value == .string("customers"))
        #expect(columns[6]["type"]?.value.object?["array"]?.value == .bool(true))
        let constraints = try #require(s.details["constraints"]?.value.list).map { $0.value.object! }
        #expect(constraints.map { $0["kind"]?.value } == [.string("check"), .string("unique")])
        #expect(constraints[0]["name"]?.value == .string("orders_total"))
        #expect(constraints[1]["columns"]?.value.list?.map(\.value) == [.string("email"), .string("placed_at")])
    }

    @Test func alterTableActions() throws {
        let sql = """
            ALTER TABLE IF EXISTS ONLY accounts
              ADD COLUMN IF NOT EXISTS plan text NOT NULL DEFAULT 'free',
              ALTER COLUMN balance TYPE bigint USING balance::bigint,
              ALTER COLUMN owner SET NOT NULL,
              ADD CONSTRAINT accounts_owner_fk FOREIGN KEY (owner) REFERENCES users (id) NOT VALID,
              ADD CONSTRAINT accounts_code_key UNIQUE (code),
              VALIDATE CONSTRAINT accounts_owner_fk,
              DETACH PARTITION accounts_2019 CONCURRENTLY
            """
        let (s, src) = one(sql)
        #expect(s.kind == "alter_table")
        #expect(s.details["if_exists"]?.value == .bool(true))
        let actions = try #require(s.details["actions"]?.value.list).map { $0.value.object! }
        #expect(
            actions.map { $0["action"]?.value }
                == [
                    "add_column", "alter_column_type", "set_not_null", "add_constraint", "add_constraint", "validate_constraint",
                    "detach_partition",
                ].map { .string($0) })
        let plan = try #require(actions[0]["column"]?.value.object)
        #expect(plan["not_null"]?.value == .bool(true))
        #expect(text(plan["default"], src) == "DEFAULT 'free'")
        #expect(actions[0]["if_not_exists"]?.value == .bool(true))
        #expect(actions[1]["type"]?.value.object?["name"]?.value == .string("bigint"))
        #expect(actions[1]["using"]?.value == .bool(true))
        #expect(text(actions[2]["name"], src) == "owner")
        let fk = try #require(actions[3]["constraint"]?.value.object)
        #expect(fk["kind"]?.value == .string("foreign_key"))
        #expect(text(fk["not_valid"], src) == "NOT VALID")
        #expect(fk["references"]?.value.object?["table"]?.value == .string("users"))
        #expect(actions[4]["constraint"]?.value.object?["using_index"]?.value == .bool(false))
        #expect(actions[6]["concurrently"]?.value == .bool(true))
    }

    @Test func dropSetCommentAndDML() {
        let (drop, _) = one("DROP INDEX CONCURRENTLY IF EXISTS a, b.c CASCADE")
        #expect(drop.kind == "drop_index")
        #expect(drop.details["names"]?.value.list?.map(\.value) == [.string("a"), .string("b.c")])
        #expect(drop.details["cascade"]?.value == .bool(true))
        let (set, src) = one("SET LOCAL lock_timeout TO '1s'")
        #expect(set.kind == "set")
        #expect(set.details["name"]?.value == .string("lock_timeout"))
        #expect(set.details["value"]?.value == .string("1s"))
        #expect(text(set.details["local"], src) == "LOCAL")
        let (comment, _) = one("COMMENT ON COLUMN public.users.email IS 'classification=pii'")
        #expect(comment.details["table"]?.value == .string("public.users"))
        #expect(comment.details["column"]?.value == .string("email"))
        #expect(comment.details["text"]?.value == .string("classification=pii"))
        let (update, _) = one("WITH x AS (SELECT 1) UPDATE users SET a = (SELECT 1 WHERE true)")
        #expect(update.kind == "update")
        #expect(update.details["has_where"]?.value == .bool(false))
        let (delete, _) = one("DELETE FROM ONLY users u WHERE u.id = 1")
        #expect(delete.details["has_where"]?.value == .bool(true))
        let (insert, _) = one("INSERT INTO t (a, b) SELECT a, b FROM s")
        #expect(insert.details["select"]?.value == .bool(true))
        #expect(insert.details["columns"]?.value.list?.count == 2)
    }

    @Test func leadingCommentsAndTerminators() {
        let sql = "-- migrate:up\n-- squawk-ignore ban-drop-column\nALTER TABLE t DROP COLUMN c;\n/* tail */ SELECT 1"
        let file = SQLParser.parse(sql)
        #expect(file.statements.count == 2)
        #expect(file.statements[0].leadingComments.map(\.value) == [" migrate:up", " squawk-ignore ban-drop-column"])
        #expect(file.statements[1].leadingComments.map(\.value) == [" tail "])
        #expect(file.statements[1].terminator == nil)
        #expect(file.comments.count == 3)
    }

    @Test("every prefix of a migration parses without crashing")
    func prefixes() throws {
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("ok/ddl.sql"), encoding: .utf8)
        let bytes = Array(text.utf8)
        for n in stride(from: 0, through: bytes.count, by: 7) {
            let file = SQLParser.parse(Array(bytes[0..<n]))
            #expect(file.statements.allSatisfy { $0.range.end <= n })
        }
    }
}
