import SQLSyntax
import Testing
import TextCore

@Suite struct PostgresGrammarTests {
    /// `line:column text: message` for each statement PostgreSQL rejects.
    func errors(_ sql: String) -> [String] {
        let bytes = Array(sql.utf8)
        let source = SourceText(path: "x.sql", text: sql)
        return SQLParser.parse(bytes).checkingGrammar(bytes).grammarErrors.map { e in
            let p = source.humanPosition(of: e.range.start)
            return "\(p.line):\(p.column) \(source.slice(e.range)): \(e.message)"
        }
    }

    @Test("misspelt keywords and broken lists are syntax errors, at the token where PostgreSQL stopped")
    func invalidStatements() {
        #expect(
            errors("ALTER TABEL payments ADD COLUMN x int;\nCREAT INDEX i ON t (x);\nCREATE TABLE t (id int,, b int);\n") == [
                "1:7 TABEL: syntax error at or near \"TABEL\"", "2:1 CREAT: syntax error at or near \"CREAT\"",
                "3:24 ,: syntax error at or near \",\"",
            ])
        // Positions are counted in characters by PostgreSQL and mapped back to bytes.
        #expect(errors("SELECT 'ßü😀' , ,1;\n") == ["1:16 ,: syntax error at or near \",\""])
        #expect(errors("CREATE TABLE t (id int\n") == ["1:20 int: syntax error at end of input"])
    }

    @Test("valid SQL, psql meta-commands, COPY data, template placeholders and checks later versions relax are not errors")
    func validStatements() {
        #expect(errors("CREATE EXTENSION IF NOT EXISTS pg_trgm;\nALTER SYSTEM SET work_mem = '64MB';\n").isEmpty)
        #expect(errors("\\set ON_ERROR_STOP on\nCOPY t (a) FROM stdin;\n1\n2\n\\.\nSELECT 1;\n").isEmpty)
        #expect(errors("CREATE TABLE ${schema}.t (id bigint);\nINSERT INTO t VALUES ({{ .Value }});\n").isEmpty)
        // PostgreSQL 16 accepts a subquery in FROM without an alias; 15's parser rejects it after the grammar.
        #expect(errors("SELECT * FROM (SELECT 1);\n").isEmpty)
        // Syntax from PostgreSQL 17 and 18 that migrations use.
        #expect(
            errors(
                "ALTER TABLE t ALTER COLUMN c SET EXPRESSION AS (a + 1);\nALTER TABLE t ADD CONSTRAINT t_a_nn NOT NULL a;\nCREATE TABLE g (a int, b int GENERATED ALWAYS AS (a * 2) VIRTUAL);\nALTER TABLE r ADD CONSTRAINT r_p EXCLUDE USING gist (id WITH =, during WITH &&);\nCREATE TABLE p (id int, valid tstzrange, PRIMARY KEY (id, valid WITHOUT OVERLAPS));\nALTER TABLE t ADD CONSTRAINT t_c CHECK (a > 0) NOT ENFORCED;\nMERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE RETURNING t.id;\n"
            ).isEmpty)
        // SQL/JSON from PostgreSQL 16 and 17, which 15's grammar does not know.
        #expect(
            errors(
                "SELECT JSON_OBJECT('a': 2 + 3);\nSELECT JSON_ARRAY(1, 2 RETURNING jsonb);\nSELECT '{}' IS JSON OBJECT;\nSELECT JSON('{}' WITH UNIQUE KEYS);\n"
            ).isEmpty)
        #expect(
            errors("DO $$ BEGIN RAISE NOTICE 'x'; END $$;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $f$ SELECT 1 $f$;\n").isEmpty)
    }

    @Test("statements PostgreSQL parsed before are not parsed again, and the errors around them are still found")
    func statementsParsedBefore() {
        let clean = "CREATE TABLE remembered_clean (id int, name text NOT NULL);"
        #expect(errors(clean + "\n").isEmpty)
        // The remembered statement, now beside a broken one: only the broken one is an error, where it was.
        #expect(
            errors("SET lock_timeout = '1s';\n" + clean + "\nALTER TABEL remembered_clean ADD COLUMN x int;\n") == [
                "3:7 TABEL: syntax error at or near \"TABEL\""
            ])
        // A statement that failed is never remembered as accepted.
        #expect(
            errors("ALTER TABEL remembered_clean ADD COLUMN x int;\n" + clean + "\n") == [
                "1:7 TABEL: syntax error at or near \"TABEL\""
            ])
        // The same text unterminated is its own statement.
        #expect(errors("CREATE TABLE remembered_clean (id int,, b int)\n") == ["1:39 ,: syntax error at or near \",\""])
    }
}
