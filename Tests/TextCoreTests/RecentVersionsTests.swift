import Testing
import TextCore

@Suite struct RecentVersionsTests {
    @Test func aSlotKeepsItsLatestVersionsOnly() {
        let cache = RecentVersions<String, Int>(depth: 2)
        var computed: [String] = []
        func value(_ text: String) -> Int {
            cache.value("a.sql", text: text) {
                computed.append(text)
                return text.count
            }
        }
        #expect([value("one"), value("three"), value("one"), value("seven"), value("three"), value("one")] == [3, 5, 3, 5, 5, 3])
        // "one" and "three" are kept; "seven" pushes "three" out, then "three" pushes "one" out.
        #expect(computed == ["one", "three", "seven", "three", "one"])
    }
}
