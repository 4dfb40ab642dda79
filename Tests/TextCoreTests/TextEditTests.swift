import Testing
import TextCore

@Suite struct TextEditTests {
    @Test func severalEditsApplyAgainstTheOriginalText() throws {
        let text = "tag: latest\nreplicas: 1\n"
        let edits = [
            TextEdit(range: SourceRange(start: 22, end: 23), newText: "3"),
            TextEdit(range: SourceRange(start: 5, end: 11), newText: "\"1.2.3\""),
            .insert("# pinned\n", at: 0),
        ]
        #expect(try TextEdit.apply(edits, to: text) == "# pinned\ntag: \"1.2.3\"\nreplicas: 3\n")
    }

    @Test func overlappingEditsAreRejected() {
        let edits = [
            TextEdit(range: SourceRange(start: 0, end: 5), newText: "a"), TextEdit(range: SourceRange(start: 4, end: 6), newText: "b"),
        ]
        #expect(throws: TextEditError.overlapping(SourceRange(start: 0, end: 5), SourceRange(start: 4, end: 6))) {
            try TextEdit.apply(edits, to: "0123456789")
        }
    }

    @Test func twoInsertionsAtOneOffsetAreRejected() {
        #expect(throws: TextEditError.self) { try TextEdit.apply([.insert("a", at: 1), .insert("b", at: 1)], to: "xy") }
    }

    @Test func editsPastTheEndAreRejected() {
        #expect(throws: TextEditError.outOfBounds(SourceRange(start: 2, end: 9), textLength: 3)) {
            try TextEdit.apply([TextEdit(range: SourceRange(start: 2, end: 9), newText: "")], to: "abc")
        }
    }

    @Test func insertionsAtOnePlaceAreJoinedInTheirOrder() throws {
        let edits = [
            TextEdit.insert("a;", at: 0), TextEdit(range: SourceRange(start: 2, end: 3), newText: "X"), TextEdit.insert("b;", at: 0),
            TextEdit.insert("c", at: 3),
        ]
        #expect(
            TextEdit.joiningInsertions(edits) == [
                TextEdit.insert("a;b;", at: 0), TextEdit(range: SourceRange(start: 2, end: 3), newText: "X"), TextEdit.insert("c", at: 3),
            ])
        #expect(try TextEdit.apply(TextEdit.joiningInsertions(edits), to: "xyz") == "a;b;xyXc")
        #expect(throws: TextEditError.self) { try TextEdit.apply(edits, to: "xyz") }
    }

    @Test func multiByteTextSurvives() throws {
        let text = "名: 😀\n"
        #expect(try TextEdit.apply([TextEdit(range: SourceRange(start: 5, end: 9), newText: "ok")], to: text) == "名: ok\n")
    }

    @Test func unifiedDiffShowsRemovalsBeforeAdditions() {
        let diff = UnifiedDiff.make(old: "a\nb\nc\n", new: "a\nB\nc\n", oldName: "a/f", newName: "b/f")
        #expect(diff == "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n")
    }

    @Test func sha256KnownAnswers() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(String(repeating: "a", count: 1000)).hasPrefix("41edece42d63e8d9bf515a9ba6932e1c"))
    }
}
