import PolicyModel
import Testing
import TextCore

@testable import HelmValues

@Suite struct DescendantIndexTests {
    /// Every origin's range starts at its line in this list, so a result names the paths it holds.
    static let paths: [ValuePath] = [
        "b", "a.b.c", "a", "ab", "a.b", ValuePath([.key("a"), .index(1), .key("x")]), ValuePath([.key("a"), .index(0)]),
        ValuePath([.key("a"), .key("b.c")]), ValuePath([.index(2)]),
    ]

    static func under(_ path: ValuePath) -> [String] {
        let origins = Dictionary(uniqueKeysWithValues: paths.enumerated().map { ($1, Origin(file: "v", range: .empty(at: $0))) })
        return DescendantIndex().origins(under: path, of: origins).map(\.path.description).sorted()
    }

    @Test func theOriginsUnderAPathAreItAndItsExtensionsOnly() {
        #expect(Self.under("a") == ["a", "a.b", "a.b.c", "a[\"b.c\"]", "a[0]", "a[1].x"])
        #expect(Self.under("a.b") == ["a.b", "a.b.c"])
        #expect(Self.under(ValuePath([.key("a"), .index(1)])) == ["a[1].x"])
        #expect(Self.under("ab") == ["ab"])
        #expect(Self.under("c") == [])
        #expect(Self.under(ValuePath([.index(2)])) == ["[2]"])
        #expect(Self.under(.root).count == Self.paths.count)
    }
}
