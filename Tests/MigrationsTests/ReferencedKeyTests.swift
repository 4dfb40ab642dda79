import Analysis
import Testing

@Suite struct ReferencedKeyTests {
    @Test("an int reference to an int key of an earlier migration is not reported; one to a key created alongside it is")
    func referencesToIntegerKeys() throws {
        let folder = try MigrationFolder([
            "0001_people.sql": "CREATE TABLE person (id serial PRIMARY KEY);\n",
            "0002_posts.sql": """
            CREATE TABLE post (id serial PRIMARY KEY, creator_id int REFERENCES person);
            CREATE TABLE post_like (id bigint PRIMARY KEY, post_id int REFERENCES post, person_id int, FOREIGN KEY (person_id) REFERENCES person);

            """,
        ])
        #expect(
            folder.findings(["PG031"]) == [
                "PG031 0001_people.sql:1:25", "PG031 0002_posts.sql:1:23", "PG031 0002_posts.sql:2:56",
            ])
        let report = folder.report()
        let postKey = try #require(report.findings.first { $0.ruleId == "PG031" && $0.file.hasSuffix("0002_posts.sql") })
        #expect(postKey.fix != nil, "the key and its same-file reference are widened together, each by its own fix")
    }
}
