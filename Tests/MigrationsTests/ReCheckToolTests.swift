import Foundation
import PolicyModel
import Testing
import TextCore

@testable import Analysis

/// A fix's re-check judges its migration under the tool the whole folder was recognised as, not the tool the
/// migrations before it alone would suggest.
@Suite struct ReCheckToolTests {
    @Test("a later golang-migrate name makes the folder golang-migrate for the re-check of an earlier file too")
    func theReCheckKeepsTheFoldersTool() throws {
        let folder = try MigrationFolder([
            "0001_users.sql": "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n",
            "0002_index.sql": "ALTER TABLE users ADD COLUMN IF NOT EXISTS name text;\nCREATE INDEX users_email_idx ON users (email);\n",
            "0003_more.up.sql": "SELECT 1;\n",
        ])
        let report = folder.report()
        let timeouts = report.findings.filter { $0.file.hasSuffix("0002_index.sql") && ["PG060", "PG061"].contains($0.ruleId) }
        #expect(timeouts.map(\.ruleId) == ["PG060", "PG061"])
        // Judged as a plain folder (0001 and 0002 alone), the file would leave its transaction, and the preambles'
        // re-check would differ from the check: they were not offered.
        for finding in timeouts {
            let fix = try #require(finding.fix, "\(finding.ruleId) was not verified")
            #expect(fix.edits.map(\.file) == [finding.file])
        }
    }
}
