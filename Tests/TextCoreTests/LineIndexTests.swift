import Testing
import TextCore

@Suite struct LineIndexTests {
    /// Checks every conversion of one offset.
    func check(_ text: String, offset: Int, utf8: (Int, Int), utf16: (Int, Int), scalar: (Int, Int)) {
        let index = LineIndex(bytes: Array(text.utf8))
        #expect(index.utf8Position(of: offset) == LineColumn(line: utf8.0, column: utf8.1))
        #expect(index.utf16Position(of: offset) == LineColumn(line: utf16.0, column: utf16.1))
        #expect(index.scalarPosition(of: offset) == LineColumn(line: scalar.0, column: scalar.1))
        #expect(index.offset(utf8: LineColumn(line: utf8.0, column: utf8.1)) == offset)
        #expect(index.offset(utf16: LineColumn(line: utf16.0, column: utf16.1)) == offset)
        #expect(index.offset(scalar: LineColumn(line: scalar.0, column: scalar.1)) == offset)
    }

    @Test func ascii() { check("ab\ncd", offset: 4, utf8: (1, 1), utf16: (1, 1), scalar: (1, 1)) }

    @Test func cjkIsThreeBytesOneUTF16Unit() {
        // "名前: x" — the colon follows two 3-byte characters.
        check("名前: x", offset: 6, utf8: (0, 6), utf16: (0, 2), scalar: (0, 2))
    }

    @Test func emojiIsFourBytesTwoUTF16Units() {
        check("a😀b", offset: 5, utf8: (0, 5), utf16: (0, 3), scalar: (0, 2))
    }

    @Test func combiningMarkIsItsOwnScalar() {
        // "e" + U+0301 COMBINING ACUTE ACCENT, then "x".
        check("e\u{301}x", offset: 3, utf8: (0, 3), utf16: (0, 2), scalar: (0, 2))
    }

    @Test func crlfEndsALineOnce() {
        let text = "a: 1\r\nb: 2\r\n"
        let index = LineIndex(bytes: Array(text.utf8))
        #expect(index.lineCount == 3)
        #expect(index.contentRange(ofLine: 0) == SourceRange(start: 0, end: 4))
        check(text, offset: 6, utf8: (1, 0), utf16: (1, 0), scalar: (1, 0))
    }

    @Test func loneCarriageReturnEndsALine() {
        let index = LineIndex(bytes: Array("a\rb".utf8))
        #expect(index.lineCount == 2)
        #expect(index.utf8Position(of: 2) == LineColumn(line: 1, column: 0))
    }

    @Test func fileWithoutFinalNewline() {
        let index = LineIndex(bytes: Array("x\nyz".utf8))
        #expect(index.lineCount == 2)
        #expect(index.utf16Position(of: 4) == LineColumn(line: 1, column: 2))
        #expect(index.offset(utf16: LineColumn(line: 1, column: 99)) == 4)
        #expect(index.offset(utf16: LineColumn(line: 7, column: 0)) == 4)
    }

    @Test func columnInsideASurrogatePairRoundsDown() {
        let index = LineIndex(bytes: Array("😀x".utf8))
        #expect(index.offset(utf16: LineColumn(line: 0, column: 1)) == 0)
    }
}
