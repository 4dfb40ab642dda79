import JSONRPC
import PolicyModel
import Testing
import TextCore

@testable import LanguageServer

@Suite("Diagnostic memo")
struct DiagnosticMemoTests {
    static let text = "aaaa\nbbbb\ncccc\n"

    static func finding(_ rule: String, _ start: Int, _ end: Int, related: [RelatedLocation] = []) -> Finding {
        Finding(
            ruleId: rule, severity: .warning, message: "m", file: "main.tf", range: SourceRange(start: start, end: end),
            related: related)
    }

    /// A memo of three findings, one per line, each diagnostic named by its rule and made number.
    static func memo() -> DiagnosticMemo {
        let findings = [finding("R1", 0, 4), finding("R2", 5, 9), finding("R3", 10, 14)]
        return DiagnosticMemo(
            generation: 1, version: 1, source: SourceText(path: "main.tf", text: text),
            entries: findings.map { ($0, JSON.string("old " + $0.ruleId)) }, resultId: "g1-r1")
    }

    static func made(_ f: Finding) -> JSON { .string("new " + f.ruleId) }

    @Test("an edit after every finding takes them all from the memo, as unchanged")
    func editAfterAll() {
        let source = SourceText(path: "main.tf", text: Self.text + "# note\n")
        let findings = [Self.finding("R1", 0, 4), Self.finding("R2", 5, 9), Self.finding("R3", 10, 14)]
        let (items, unchanged) = Self.memo().diagnostics(findings, in: source, generation: 1, make: Self.made)
        #expect(items == [.string("old R1"), .string("old R2"), .string("old R3")])
        #expect(unchanged)
    }

    @Test("an edit on the second line makes again the findings from there on")
    func editInTheMiddle() {
        let source = SourceText(path: "main.tf", text: "aaaa\nbXbb\ncccc\n")
        let findings = [Self.finding("R1", 0, 4), Self.finding("R2", 5, 9), Self.finding("R3", 10, 14)]
        let (items, unchanged) = Self.memo().diagnostics(findings, in: source, generation: 1, make: Self.made)
        #expect(items == [.string("old R1"), .string("new R2"), .string("new R3")])
        #expect(!unchanged)
    }

    @Test("a finding gone, one that differs, a related location after the edit, or a new generation: made again")
    func notTaken() {
        let source = SourceText(path: "main.tf", text: Self.text + "# note\n")
        let lost = [Self.finding("R1", 0, 4), Self.finding("R2", 5, 9)]
        let lostResult = Self.memo().diagnostics(lost, in: source, generation: 1, make: Self.made)
        #expect(lostResult.items == [.string("old R1"), .string("old R2")])
        #expect(!lostResult.unchanged)
        let other = [Self.finding("R1", 0, 3), Self.finding("R2", 5, 9), Self.finding("R3", 10, 14)]
        #expect(Self.memo().diagnostics(other, in: source, generation: 1, make: Self.made).items.first == .string("new R1"))
        let later = RelatedLocation(file: "main.tf", range: SourceRange(start: 15, end: 17), message: "the note")
        let related = [Self.finding("R1", 0, 4, related: [later]), Self.finding("R2", 5, 9), Self.finding("R3", 10, 14)]
        #expect(Self.memo().diagnostics(related, in: source, generation: 1, make: Self.made).items.first == .string("new R1"))
        let same = [Self.finding("R1", 0, 4), Self.finding("R2", 5, 9), Self.finding("R3", 10, 14)]
        let reloaded = Self.memo().diagnostics(same, in: source, generation: 2, make: Self.made)
        #expect(reloaded.items == [.string("new R1"), .string("new R2"), .string("new R3")])
        #expect(!reloaded.unchanged)
    }
}
