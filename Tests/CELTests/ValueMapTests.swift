import PolicyModel
import Testing

/// A map finds, replaces and removes keys alike below and past the size where it starts hashing them.
@Suite struct ValueMapTests {
    @Test(arguments: [5, 32, 33, 80])
    func keysAreFoundReplacedAndRemovedAtAnySize(count: Int) {
        var map = ValueMap((0..<count).map { ("k\($0)", Value.int(Int64($0))) })
        map[.int(7)] = .string("int key")
        #expect(map.count == count + 1)
        #expect(map["k0"] == .int(0) && map["k\(count - 1)"] == .int(Int64(count - 1)))
        #expect(map[.int(7)] == .string("int key") && map["k\(count)"] == nil)
        map["k3"] = .bool(true)
        map["k1"] = nil
        #expect(map["k3"] == .bool(true) && map["k1"] == nil && map["k2"] == .int(2))
        #expect(map.count == count)
        #expect(map.keys.prefix(3) == [.string("k0"), .string("k2"), .string("k3")])
        map["k1"] = .null
        #expect(map.keys.last == .string("k1") && map["k1"] == .null)
        var reversed = ValueMap()
        for (key, value) in map.entries.reversed() { reversed[key] = value }
        #expect(map == reversed)
        reversed["k0"] = .int(-1)
        #expect(map != reversed)
    }
}
