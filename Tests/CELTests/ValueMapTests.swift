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

    @Test func afterRemovalsPastTheHashingSizeEveryKeyIsFoundWhereItNowIs() {
        var map = ValueMap((0..<36).map { ("k\($0)", Value.int(Int64($0))) })
        var kept = Array(0..<36)
        for removed in [10, 2, 35, 0] {
            map["k\(removed)"] = nil
            kept.removeAll { $0 == removed }
            #expect(map.keys == kept.map { .string("k\($0)") })
            #expect(kept.allSatisfy { map["k\($0)"] == .int(Int64($0)) })
            #expect(map["k\(removed)"] == nil)
        }
        // Down to the size kept by a scan, and past it again.
        map["k40"] = .int(40)
        #expect(map.count == 33 && map["k40"] == .int(40) && map["k34"] == .int(34))
    }
}
