import Foundation
import PolicyModel
import Rules
import Testing
import TextCore

@testable import Analysis

@Suite struct PackLanguagesTests {
    /// The scan names exactly the languages the loader reads from each built-in pack file.
    @Test func theScanOfEachBuiltinPackNamesItsGoldenPathsLanguages() {
        for file in BuiltinPacks.all {
            let (pack, errors) = RulePackLoader(languages: Languages.ids).load(SourceText(path: file.path, text: file.text))
            #expect(errors.isEmpty)
            let parsed = Set(pack?.goldenPaths.map(\.language) ?? [])
            #expect(PackLanguages.named(in: file.text) == parsed, "\(file.path)")
        }
    }

    @Test func theScanReadsBlockStyleKeysWithQuotesCommentsAndSequenceItems() {
        let text = """
            golden_paths:
              - language: terraform
                id: a
              - id: b
                language: "sql-migration"   # the migrations
                example: |
                  SELECT language_id FROM posts;
            """
        #expect(PackLanguages.named(in: text) == ["terraform", "sql-migration"])
        #expect(PackLanguages.named(in: "golden_paths: []\n") == [])
    }
}
