import PolicyModel
import Testing

@Suite struct ValueMapTests {
    @Test("a map built from distinct keys reads like one built key by key, below and past the indexed size", arguments: [5, 40])
    func distinctKeysReadAsSet(count: Int) {
        let pairs = (0..<count).map { ("key\($0)", Value.int(Int64($0))) }
        let built = ValueMap(distinctKeys: pairs)
        #expect(built == ValueMap(pairs))
        #expect(built.keys == pairs.map { .string($0.0) })
        #expect(built["key\(count - 1)"] == .int(Int64(count - 1)))
        #expect(built["absent"] == nil)
        var changed = built
        changed["key0"] = .bool(true)
        #expect(changed.count == count)
        #expect(changed["key0"] == .bool(true))
    }
}
