import Testing
import TextCore

@Suite struct ByteSearchTests {
    @Test func findsTheFirstOccurrenceByUTF8Bytes() throws {
        let text = "héllo {{ include \"x\" }} and {{ include \"y\" }}"
        let r = try #require(text.firstByteRange(of: "include \""))
        #expect(text[r] == "include \"")
        #expect(text[..<r.lowerBound] == "héllo {{ ")
        #expect(text[r.upperBound...].firstByteRange(of: "include \"").map { String(text[$0.upperBound...]) } == "y\" }}")
        #expect(text.firstByteRange(of: "template") == nil)
        #expect(text.firstByteRange(of: "") == nil)
        #expect("ab".firstByteRange(of: "abc") == nil)
        #expect("aab".firstByteRange(of: "ab").map { "aab".utf8.distance(from: "aab".startIndex, to: $0.lowerBound) } == 1)
        let tail = "ab.ab.é.ab".dropFirst(3)
        #expect(tail.firstByteRange(of: "ab").map { String(tail[$0.lowerBound...]) } == "ab.é.ab")
        #expect(tail.firstByteRange(of: "é.ab").map { String(tail[$0.lowerBound...]) } == "é.ab")
        #expect(tail.firstByteRange(of: "ab.ab") == nil)
    }

    @Test func containsBytesMatchesContainsOnASCIIMarkers() {
        #expect("kind: RoleBinding\"".containsBytes("RoleBinding\""))
        #expect(!"kind: Role".containsBytes("RoleBinding"))
        #expect("x".containsBytes(""))
        #expect("日本 helm.sh/hook".dropFirst(3).containsBytes("helm.sh/hook"))
    }

    @Test("the common prefix of two byte arrays, across and within eight-byte words")
    func commonPrefix() {
        let a = Array("0123456789abcdefXYZ".utf8)
        #expect(ByteSearch.commonPrefix(a, a) == 19)
        #expect(ByteSearch.commonPrefix(a, Array("0123456789abcdefXYz".utf8)) == 18)
        #expect(ByteSearch.commonPrefix(a, Array("0123x".utf8)) == 4)
        #expect(ByteSearch.commonPrefix(a, []) == 0)
        #expect(ByteSearch.commonPrefix(Array("01234567".utf8), Array("012345678".utf8)) == 8)
    }
}
