import Foundation
import PolicyModel
import Testing
import TextCore

@testable import Analysis

/// Every Diesel migration is an `up.sql`, so two migrations that drop the same view hold subjects of one address:
/// a finding's fix is planned for the subject in the finding's own file.
@Suite struct SameAddressFixTests {
    @Test("a finding's fix edits its own migration when another migration holds a subject of the same address")
    func theFixOfAFindingEditsItsOwnFile() throws {
        let folder = try MigrationFolder([
            "2020-01-01-000000_create/up.sql": "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE VIEW v AS SELECT id FROM users;\n",
            "2020-01-02-000000_replace/up.sql": "DROP VIEW v;\nCREATE VIEW v AS SELECT id FROM users;\n",
            "2020-01-03-000000_drop/up.sql": "DROP VIEW v;\n",
        ])
        let report = folder.report()
        let preambles = report.findings.filter { $0.ruleId == "PG060" }
        #expect(preambles.map { $0.file.parentPath.fileName } == ["2020-01-02-000000_replace", "2020-01-03-000000_drop"])
        #expect(
            preambles.map(\.subjectAddress) == [
                "2020-01-02-000000_replace/up.sql#drop_view v", "2020-01-03-000000_drop/up.sql#drop_view v",
            ])
        for finding in preambles {
            let fix = try #require(finding.fix)
            #expect(fix.edits.map(\.file) == [finding.file])
            let text = try #require(report.sources[finding.file]?.text)
            #expect(try TextEdit.apply(fix.edits[0].edits, to: text) == "SET lock_timeout = '2s';\n" + text)
        }
    }
}
