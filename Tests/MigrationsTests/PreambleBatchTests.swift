import Foundation
import PolicyModel
import Rules
import Testing
import TextCore

@testable import Analysis

/// A statement's two timeout preambles fix two rules of one subject without editing it: `check` verifies
/// them in one batch, and the batch's insertions at one place are joined in the findings' order.
@Suite struct PreambleBatchTests {
    @Test("the lock and statement timeout fixes of one statement are verified in one batch")
    func theTwoPreamblesOfAStatementShareABatch() throws {
        let folder = try MigrationFolder([
            "000001_init.up.sql": "CREATE TABLE users (id bigint PRIMARY KEY);\n",
            "000002_more.up.sql": "ALTER TABLE users ADD COLUMN bio text;\n",
        ])
        let ws = folder.workspace
        let (units, _) = ws.discovery.units(for: [folder.root.appendingPathComponent("migrations").path])
        let unit = try #require(units.first)
        let language = try #require(ws.languages[unit.language])
        let lowered = language.lower(unit)
        let findings = ws.engine.evaluate(lowered, unit: unit, language: language)
        #expect(findings.map(\.ruleId) == ["PG092", "PG092", "PG060", "PG061"])
        #expect(findings[2].subjectAddress == "000002_more.up.sql#users.add_column bio")
        #expect(findings[3].subjectAddress == findings[2].subjectAddress && findings[1].subjectAddress == findings[2].subjectAddress)
        let groups = FixVerifier(engine: ws.engine, language: language).verifiedGroups(for: findings, unit: unit, lowered: lowered)
        // IF NOT EXISTS edits the statement itself: it is verified apart from the preambles.
        #expect(groups.map { $0.map(\.index) } == [[0], [1], [2, 3]])
        let edits = groups[2].flatMap { $0.fix.edits.flatMap(\.edits) }
        #expect(
            try TextEdit.apply(TextEdit.joiningInsertions(edits), to: unit.files[1].text)
                == "SET lock_timeout = '2s';\nSET statement_timeout = '5min';\nALTER TABLE users ADD COLUMN bio text;\n")
    }
}
