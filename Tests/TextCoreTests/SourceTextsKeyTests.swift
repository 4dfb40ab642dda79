import Testing
import TextCore

@Suite struct SourceTextsKeyTests {
    @Test func filesWithTheSamePathsAndTextsAreOneKeyAndAnyOtherTextIsAnother() {
        let a = [SourceText(path: "t/a.yaml", text: "x: 1\n"), SourceText(path: "t/b.yaml", text: "y: 2\n")]
        let copy = a.map { SourceText(path: $0.path, text: String(decoding: Array($0.text.utf8), as: UTF8.self)) }
        var seen: Set<SourceTextsKey> = [SourceTextsKey(a)]
        #expect(seen.contains(SourceTextsKey(copy)))
        #expect(!seen.contains(SourceTextsKey([a[0], SourceText(path: "t/b.yaml", text: "y: 3\n")])))
        #expect(!seen.contains(SourceTextsKey([a[0], SourceText(path: "t/c.yaml", text: "y: 2\n")])))
        #expect(!seen.contains(SourceTextsKey([a[0]])))
        seen.insert(SourceTextsKey(copy))
        #expect(seen.count == 1)
    }
}
