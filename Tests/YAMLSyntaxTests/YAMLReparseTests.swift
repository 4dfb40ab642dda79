import Testing
import TextCore

@testable import YAMLSyntax

@Suite struct YAMLReparseTests {
    /// A values file with what a re-parse of some entries must get right: a header comment, comments between and inside
    /// entries, a `#` inside quotes and a block scalar, a sequence at the key's column, flow collections, multi-byte text,
    /// a block scalar before a sibling key (it takes the blank lines after it) and deeper mappings.
    static let base = """
        # Default values.
        ## @param image.repository
        image:
          repository: nginx   # the registry's name
          tag: "1.10 # not a comment"
          pullPolicy: IfNotPresent

        ports:
        - 80
        - 443
        resources: {}
        command: |
          echo "# kept"
          run
        名前: 値
        podSecurityContext:
          enabled: true
          fsGroup: 1001
        # trailing comment
        extra: [a, b]
        annotations:
          images: |
            - name: nginx
          licenses: Apache-2.0
          deeper:
            level: 3
            list:
              - a: 1
                b: 2

        """

    func parsedBothWays(_ text: String, editing base: YAMLFile) -> (incremental: YAMLFile, whole: YAMLFile) {
        let source = SourceText(path: "values.yaml", text: text)
        return (YAMLParser().parse(source, editing: base), YAMLParser().parse(source))
    }

    func expectSame(_ a: YAMLFile, _ b: YAMLFile, _ text: String) {
        let same =
            a.documents == b.documents && a.comments == b.comments && a.diagnostics == b.diagnostics && a.usesAnchors == b.usesAnchors
        #expect(same, "the parses differ for:\n\(text)")
    }

    /// The lines of `text` with their terminators.
    func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0 + "\n" }
    }

    @Test func everyLineEditReadsAsTheWholeParse() {
        let base = YAMLParser().parse(SourceText(path: "values.yaml", text: Self.base))
        let original = lines(Self.base)
        let insertions = [
            "  added: 1\n", "added: 1\n", "# new comment\n", "\n", "  \n", "    # c\n", "  - 8080\n", "- 8080\n", "image: again\n",
            "bad: [\n", "  x: &a 1\n",
        ]
        var edits: [String] = []
        for i in original.indices {
            var without = original
            without.remove(at: i)
            edits.append(without.joined())
            for insertion in insertions {
                var with = original
                with.insert(insertion, at: i)
                edits.append(with.joined())
            }
            var changed = original
            changed[i] = changed[i].replacingOccurrences(of: "1", with: "2").replacingOccurrences(of: "a", with: "ab")
            edits.append(changed.joined())
        }
        edits.append(Self.base + "appended: true\n")
        edits.append(String(Self.base.dropLast()))
        for text in edits {
            let (incremental, whole) = parsedBothWays(text, editing: base)
            expectSame(incremental, whole, text)
        }
    }

    @Test func seededRandomByteEditsReadAsTheWholeParse() {
        let base = YAMLParser().parse(SourceText(path: "values.yaml", text: Self.base))
        let bytes = Array(Self.base.utf8)
        let snippets = ["", "x", "\n", "  ", ": ", "- ", "#", "\"", "{", "]", "\nnew: 1", "\n  deep: 2", "値"]
        var generator = SeededGenerator(seed: 20_261_208)
        for _ in 0..<400 {
            let a = Int.random(in: 0...bytes.count, using: &generator)
            let b = min(bytes.count, a + Int.random(in: 0...12, using: &generator))
            let snippet = snippets.randomElement(using: &generator)!
            let edited = Array(bytes[..<a]) + Array(snippet.utf8) + Array(bytes[b...])
            // Keep whole characters: an edit that cut one is not a text an editor holds.
            guard let text = String(validating: edited, as: UTF8.self) else { continue }
            let (incremental, whole) = parsedBothWays(text, editing: base)
            expectSame(incremental, whole, text)
        }
    }

    @Test func aOneKeyEditReadsOnlyItsEntry() throws {
        let base = YAMLParser().parse(SourceText(path: "values.yaml", text: Self.base))
        let text = Self.base.replacingOccurrences(of: "fsGroup: 1001", with: "fsGroup: 1001\n  runAsUser: 1001")
        let spliced = try #require(YAMLParser().reparse(SourceText(path: "values.yaml", text: text), editing: base))
        let user = try #require(spliced.root?["podSecurityContext"]?.entry("runAsUser"))
        #expect(spliced.source.slice(user.key.range) == "runAsUser")
        #expect(spliced.source.slice(user.value.range) == "1001")
        let extra = try #require(spliced.root?["extra"])
        #expect(spliced.source.slice(extra.range) == "[a, b]")
        #expect(spliced.comments.map(\.text) == base.comments.map(\.text))
    }

    @Test func editsFarApartAreReadEachInItsEntry() throws {
        let base = YAMLParser().parse(SourceText(path: "values.yaml", text: Self.base))
        let text = Self.base.replacingOccurrences(of: "pullPolicy: IfNotPresent", with: "pullPolicy: Always")
            .replacingOccurrences(of: "level: 3", with: "level: 3\n    added: true")
        let source = SourceText(path: "values.yaml", text: text)
        let spliced = try #require(YAMLParser().reparse(source, editing: base))
        let whole = YAMLParser().parse(source)
        #expect(spliced.documents == whole.documents && spliced.comments == whole.comments)
        let added = try #require(spliced.root?["annotations"]?["deeper"]?.entry("added"))
        #expect(spliced.source.slice(added.value.range) == "true")
    }

    @Test func whatCannotBeSplicedIsParsedWhole() {
        let anchored = YAMLParser().parse(SourceText(path: "values.yaml", text: "a: &x 1\nb: *x\n"))
        #expect(YAMLParser().reparse(SourceText(path: "values.yaml", text: "a: &x 2\nb: *x\n"), editing: anchored) == nil)
        let base = YAMLParser().parse(SourceText(path: "values.yaml", text: Self.base))
        let header = Self.base.replacingOccurrences(of: "# Default values.", with: "# Values.")
        #expect(YAMLParser().reparse(SourceText(path: "values.yaml", text: header), editing: base) == nil)
        let duplicate = Self.base.replacingOccurrences(of: "resources: {}", with: "image: {}")
        #expect(YAMLParser().reparse(SourceText(path: "values.yaml", text: duplicate), editing: base) == nil)
        let whole = YAMLParser().parse(SourceText(path: "values.yaml", text: duplicate), editing: base)
        #expect(whole.diagnostics.map(\.kind) == [.duplicateKey])
    }
}
