import Foundation
import PolicyModel
import Testing

@testable import Analysis

/// `goldpath fix` applies each round's verified groups whole: a file's independent fixes in one round,
/// its errors and warnings before its advice.
@Suite struct FixAllRoundsTests {
    @Test("three fixes of one migration are applied in one round, and advice waits for the warning before it")
    func independentFixesOfAFileShareARound() throws {
        let folder = try MigrationFolder([
            "000001_init.up.sql":
                "CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE TABLE contacts (id bigint PRIMARY KEY, phone text);\n"
                + "CREATE TABLE addresses (id bigint PRIMARY KEY, street text);\n",
            "000002_more.up.sql": "ALTER TABLE users ADD COLUMN bio text;\n",
        ])
        let ws = folder.workspace
        let (units, _) = ws.discovery.units(for: [folder.root.appendingPathComponent("migrations").path])
        let unit = try #require(units.first)
        #expect(
            ws.analyze(unit, verifyFixes: false).findings.map(\.ruleId).sorted() == [
                "PG060", "PG061", "PG080", "PG080", "PG080", "PG092",
            ])
        let result = ws.fixAll(unit)
        #expect(
            result.applied == [
                "PG080: Classify the column as pii (COMMENT ON COLUMN)", "PG080: Classify the column as pii (COMMENT ON COLUMN)",
                "PG080: Classify the column as pii (COMMENT ON COLUMN)", "PG060: Set lock_timeout = '2s' first",
                "PG061: Set statement_timeout = '5min' first",
            ])
        // Round 1: the three classifications and the lock timeout; round 2: the statement timeout (PG092, advice
        // to add IF NOT EXISTS, no longer applies once the SET puts the file in a transaction); round 3: nothing left.
        #expect(result.rounds == 3)
        #expect(
            result.unit.files.map(\.text) == [
                "CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCOMMENT ON COLUMN users.email IS 'classification=pii';\n"
                    + "CREATE TABLE contacts (id bigint PRIMARY KEY, phone text);\nCOMMENT ON COLUMN contacts.phone IS 'classification=pii';\n"
                    + "CREATE TABLE addresses (id bigint PRIMARY KEY, street text);\n"
                    + "COMMENT ON COLUMN addresses.street IS 'classification=pii';\n",
                "SET lock_timeout = '2s';\nSET statement_timeout = '5min';\nALTER TABLE users ADD COLUMN bio text;\n",
            ])
        #expect(ws.analyze(result.unit, verifyFixes: false).findings.isEmpty)
    }
}
