import Testing
import TextCore

@Suite struct LineHunksTests {
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// `a` with the hunks' new bytes of `b` in place of their old bytes.
    func applied(_ hunks: [LineHunks.Hunk], _ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var at = 0
        for hunk in hunks {
            out += a[at..<hunk.old.lowerBound]
            out += b[hunk.new]
            at = hunk.old.upperBound
        }
        return out + a[at...]
    }

    @Test func twoEditsFarApartAreTwoHunks() throws {
        let a = bytes("one: 1\ntwo: 2\nthree: 3\nfour: 4\nfive: 5\n")
        let b = bytes("one: 1\ntwo: 22\nthree: 3\nfour: 4\n  six: 6\nfive: 5\n")
        let hunks = try #require(LineHunks.between(a, b))
        #expect(hunks == [LineHunks.Hunk(old: 13..<13, new: 13..<14), LineHunks.Hunk(old: 30..<30, new: 31..<40)])
        #expect(applied(hunks, a, b) == b)
    }

    @Test func equalTextsHaveNoHunksAndTooManyGiveUp() {
        let a = bytes("x: 1\ny: 2\n")
        #expect(LineHunks.between(a, a) == [])
        let many = (0..<40).map { "k\($0): \($0)\n" }.joined()
        let changed = (0..<40).map { "k\($0): \($0 % 2 == 0 ? "x" : "\($0)")\n" }.joined()
        #expect(LineHunks.between(bytes(many), bytes(changed), limit: 16) == nil)
        #expect(LineHunks.between(bytes(many), bytes(changed))?.count == 20)
    }

    @Test func seededEditsAreReproducedExactly() throws {
        let lines = (0..<200).map { "  key\($0 % 17): value \($0 % 5)\n" }
        let a = bytes(lines.joined())
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<300 {
            var edited = lines
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let at = Int.random(in: 0..<edited.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: edited.insert("  new: \(at)\n", at: at)
                case 1: edited.remove(at: at)
                default: edited[at] = edited[at].replacingOccurrences(of: "value", with: "other")
                }
            }
            let b = bytes(edited.joined())
            let hunks = try #require(LineHunks.between(a, b))
            #expect(applied(hunks, a, b) == b)
            #expect(
                zip(hunks, hunks.dropFirst()).allSatisfy {
                    $0.old.upperBound <= $1.old.lowerBound && $0.new.upperBound <= $1.new.lowerBound
                })
        }
    }
}
