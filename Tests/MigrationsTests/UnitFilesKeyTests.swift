import PolicyModel
import Testing
import TextCore

@testable import Migrations

@Suite struct UnitFilesKeyTests {
    static func unit(_ texts: [String: String], judged: String) -> AnalysisUnit {
        let context = texts.keys.sorted().filter { $0 != judged }.map { SourceText(path: $0, text: texts[$0]!) }
        return AnalysisUnit(
            language: "sql-migration", name: "m", files: [SourceText(path: judged, text: texts[judged]!)], contextFiles: context)
    }

    @Test func aStoredKeyFindsTheLiveKeyOfTheSameFilesAndNotOfOthers() {
        let a = Self.unit(["1.sql": "CREATE TABLE a ();", "2.sql": "SELECT 1;"], judged: "2.sql")
        let edited = Self.unit(["1.sql": "CREATE TABLE a ();", "2.sql": "SELECT 2;"], judged: "2.sql")
        let renamed = Self.unit(["1.sql": "CREATE TABLE a ();", "3.sql": "SELECT 1;"], judged: "3.sql")
        let stored = UnitFilesKey(a, contents: true).stored
        var cache: [UnitFilesKey: String] = [stored: "a"]
        #expect(cache[UnitFilesKey(a, contents: true)] == "a")
        #expect(cache[UnitFilesKey(edited, contents: true)] == nil)
        #expect(cache[UnitFilesKey(renamed, contents: true)] == nil)
        // Without contents, an edit is the same key; a renamed file is not.
        cache = [UnitFilesKey(a, contents: false).stored: "a"]
        #expect(cache[UnitFilesKey(edited, contents: false)] == "a")
        #expect(cache[UnitFilesKey(renamed, contents: false)] == nil)
    }
}
