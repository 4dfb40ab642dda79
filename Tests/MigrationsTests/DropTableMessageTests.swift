import Analysis
import Testing

@Suite struct DropTableMessageTests {
    @Test("a dropped table whose rows an earlier statement copied loses no data; one not copied does")
    func copiedRowsAreNotLost() throws {
        let folder = try MigrationFolder([
            "0001_create.sql": "CREATE TABLE person_block (id int);\nCREATE TABLE person_follower (id int);\nCREATE TABLE note (id int);\n",
            "0002_merge.sql": """
            INSERT INTO person_actions (id) SELECT id FROM public.person_block;
            CREATE TABLE follows AS SELECT f.id FROM person_follower f JOIN note n ON n.id = f.id;
            DROP TABLE person_block, person_follower;
            DROP TABLE person_block, note;

            """,
        ])
        let messages = folder.report().findings.filter { $0.ruleId == "PG040" }.map(\.message)
        #expect(
            messages == [
                "Dropping person_block breaks clients still using it (its rows were copied into another table earlier in this migration).",
                "Dropping person_block loses its data and breaks clients still using it.",
            ])
    }
}
