import Foundation
import Testing
import TextCore
import YAMLSyntax

@Suite struct YAMLParserTests {
    func parse(_ text: String) -> YAMLFile { YAMLParser().parse(text) }

    func slice(_ file: YAMLFile, _ range: SourceRange) -> String { file.source.slice(range) }

    @Test func scalarsKeysAndCollectionsHaveExactRanges() throws {
        let file = parse("image:\n  repository: nginx\n  tag: \"1.10\"\nports: [80, 443]\n")
        let root = try #require(file.root)
        let image = try #require(root.entry("image"))
        #expect(slice(file, image.key.range) == "image")
        #expect(slice(file, image.value.range) == "repository: nginx\n  tag: \"1.10\"")
        let tag = try #require(image.value.entry("tag"))
        #expect(slice(file, tag.value.range) == "\"1.10\"")
        #expect(tag.value.scalar == YAMLScalar(value: "1.10", style: .doubleQuoted))
        let ports = try #require(root["ports"])
        #expect(slice(file, ports.range) == "[80, 443]")
        #expect(ports.isFlow)
        #expect(file.diagnostics.isEmpty)
    }

    @Test func rangesAreUTF8ByteOffsetsWithMultiByteText() throws {
        let file = parse("名前: 値\nemoji: \"😀\"\nnext: x\n")
        let root = try #require(file.root)
        #expect(slice(file, try #require(root.entry("名前")).value.range) == "値")
        #expect(slice(file, try #require(root.entry("emoji")).value.range) == "\"😀\"")
        #expect(slice(file, try #require(root.entry("next")).key.range) == "next")
    }

    @Test func scalarStylesAreKept() throws {
        let file = parse("a: plain\nb: 'single'\nc: \"double\"\nd: |\n  literal\ne: >\n  folded\n")
        let styles = try #require(file.root?.entries).map { $0.value.scalar?.style }
        #expect(styles == [.plain, .singleQuoted, .doubleQuoted, .literal, .folded])
    }

    @Test func multiDocumentFilesKeepEveryDocument() {
        let file = parse("a: 1\n---\nb: 2\n---\n")
        #expect(file.documents.count == 3)
        #expect(file.documents[1].root?["b"]?.scalar?.value == "2")
    }

    @Test func aliasesAndMergeKeysResolve() throws {
        let file = parse("base: &b\n  cpu: 100m\n  memory: 1Gi\nworker:\n  <<: *b\n  memory: 2Gi\n")
        let worker = try #require(file.root?["worker"])
        #expect(worker["cpu"]?.scalar?.value == "100m")
        #expect(worker["memory"]?.scalar?.value == "2Gi")
        #expect(worker.entry("cpu")?.isMerged == true)
        #expect(worker.entry("memory")?.isMerged == false)
    }

    @Test func billionLaughsFailsFastWithABoundedError() {
        var text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for (prev, name) in zip("abcdefgh", "bcdefghi") {
            text += "\(name): &\(name) [" + Array(repeating: "*\(prev)", count: 9).joined(separator: ",") + "]\n"
        }
        let start = Date()
        let file = parse(text)
        #expect(Date().timeIntervalSince(start) < 1)
        #expect(file.diagnostics.map(\.kind) == [.aliasExpansionLimit])
        #expect(file.documents.isEmpty)
    }

    @Test func deepNestingIsRejectedNotAStackOverflow() {
        let depth = 100_000
        let file = parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        #expect(file.diagnostics.map(\.kind) == [.nestingLimit])
        #expect(file.diagnostics.first?.range.start == 256)
        #expect(file.documents.isEmpty)
    }

    @Test func duplicateKeysAreReportedAtTheSecondKey() {
        let file = parse("tag: a\nrepo: x\ntag: b\n")
        #expect(file.diagnostics.count == 1)
        #expect(file.diagnostics[0].kind == .duplicateKey)
        #expect(file.diagnostics[0].range == SourceRange(start: 15, end: 18))
        #expect(file.root?["tag"]?.scalar?.value == "b")
    }

    @Test func syntaxErrorIsADiagnosticWithAPosition() {
        let file = parse("image:\n  tag: [unclosed\nnext: 1\n")
        #expect(file.diagnostics.count == 1)
        let d = file.diagnostics[0]
        #expect(d.kind == .syntaxError)
        #expect(file.source.lineIndex.utf8Position(of: d.range.start).line == 2)
    }

    @Test func commentsAreFoundButNotInsideStrings() {
        let file = parse("# head\na: \"x # not\" # tail\nb: |\n  # body\n")
        #expect(file.comments.map(\.text) == [" head", " tail"])
        #expect(file.comments.map(\.ownLine) == [true, false])
    }

    @Test func unknownAliasIsReported() {
        let file = parse("a: *nope\n")
        #expect(file.diagnostics.map(\.kind) == [.unknownAlias])
    }

    @Test func scalarTypingFollowsTheCoreSchema() {
        let r = YAMLScalarResolver()
        #expect(r.resolvePlain("1.10") == .double(1.1))
        #expect(r.resolvePlain("010") == .int(10))
        #expect(r.resolvePlain("0x1F") == .int(31))
        #expect(r.resolvePlain("yes") == .string("yes"))
        #expect(YAMLScalarResolver(yaml11Booleans: true).resolvePlain("yes") == .bool(true))
        #expect(r.resolvePlain("~") == .null)
        #expect(r.resolvePlain("1.2.3") == .string("1.2.3"))
        #expect(r.resolve(YAMLScalar(value: "1.10", style: .doubleQuoted), tag: nil) == .string("1.10"))
    }

    @Test func crlfFilesParseWithByteRanges() throws {
        let file = parse("a: 1\r\nb: two\r\n")
        let b = try #require(file.root?.entry("b"))
        #expect(file.source.slice(b.value.range) == "two")
    }
}
