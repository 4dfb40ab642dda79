import PolicyModel
import Testing
import TextCore

@testable import Migrations

@Suite struct RecentUnitsTests {
    static let unit = AnalysisUnit(
        language: "sql", name: "migrations",
        files: [SourceText(path: "migrations/2/up.sql", text: "SELECT 2;\n")],
        contextFiles: [SourceText(path: "migrations/1/up.sql", text: "SELECT 1;\n")])

    @Test func aUnitWithTheSameArraysIsAnsweredAndAnEditedCopyIsNot() {
        let memo = RecentUnits()
        memo.remember(tool: .diesel, of: Self.unit)
        let copy = Self.unit
        #expect(memo.tool(of: copy) == .diesel)
        #expect(memo.tool(of: Self.unit.replacing(file: "migrations/2/up.sql", with: "SELECT 3;\n")) == nil)
        let sameTexts = AnalysisUnit(
            language: "sql", name: "migrations", files: Self.unit.files.map { SourceText(path: $0.path, text: $0.text) },
            contextFiles: Self.unit.contextFiles)
        #expect(memo.tool(of: sameTexts) == nil)
        #expect(memo.order(of: copy, tool: .diesel) == nil)
    }

    @Test func anOrderServesTheUnitWithItsJudgedFileEditedButNotOneWithOtherPaths() {
        let memo = RecentUnits()
        let order = MigrationOrder(presortedMigrations: 1, judged: 1)
        memo.remember(order: order, tool: .diesel, of: Self.unit)
        let edited = Self.unit.replacing(file: "migrations/2/up.sql", with: "SELECT 3;\n")
        #expect(memo.order(of: edited, tool: .diesel)?.places.count == order.places.count)
        #expect(memo.order(of: edited, tool: .golangMigrate) == nil)
        #expect(memo.tool(of: edited) == nil)
        let renamed = AnalysisUnit(
            language: "sql", name: "migrations", files: [SourceText(path: "migrations/3/up.sql", text: "SELECT 2;\n")],
            contextFiles: Self.unit.contextFiles)
        #expect(memo.order(of: renamed, tool: .diesel) == nil)
    }

    @Test func aScopesToolServesItsEditedCopiesButNotOneWithOtherPaths() {
        let memo = RecentUnits()
        memo.remember(scopeTool: .golangMigrate, of: Self.unit)
        #expect(memo.tool(of: Self.unit.replacing(file: "migrations/2/up.sql", with: "SELECT 3;\n")) == .golangMigrate)
        let renamed = AnalysisUnit(
            language: "sql", name: "migrations", files: [SourceText(path: "migrations/3/up.sql", text: "SELECT 2;\n")],
            contextFiles: Self.unit.contextFiles)
        #expect(memo.tool(of: renamed) == nil)
        let otherContext = AnalysisUnit(
            language: "sql", name: "migrations", files: Self.unit.files,
            contextFiles: Self.unit.contextFiles.map { SourceText(path: $0.path, text: $0.text) })
        #expect(memo.tool(of: otherContext) == nil)
    }

    @Test func theOldestUnitIsForgottenPastTheCapacity() {
        let memo = RecentUnits(capacity: 2)
        let units = (0..<3).map { Self.unit.replacing(file: "migrations/2/up.sql", with: "SELECT \($0);\n") }
        for u in units { memo.remember(tool: .diesel, of: u) }
        #expect(units.map { memo.tool(of: $0) } == [nil, .diesel, .diesel])
    }
}
