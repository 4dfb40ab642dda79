import Analysis
import Foundation
import PolicyModel
import Testing
import TextCore

/// Half-typed files are the normal case in an editor: every prefix of a real
/// values file must analyse without a crash and report problems as findings.
@Suite struct TruncatedInputTests {
    static let values = try! String(
        contentsOf: BuiltinPackTests.root.appendingPathComponent("examples/shop-api/values.yaml"), encoding: .utf8)
    static let workspace = Workspace(
        config: GoldpathConfig(), packSources: BuiltinPacks.all.map { SourceText(path: $0.path, text: $0.text) })

    func analyze(_ text: String, verify: Bool) -> UnitReport {
        TruncatedInputTests.workspace.analyze(
            AnalysisUnit(language: "helm-values", name: "c", files: [SourceText(path: "values.yaml", text: text)]), verifyFixes: verify)
    }

    @Test func everyPrefixOfTheExampleAnalyses() {
        let bytes = Array(TruncatedInputTests.values.utf8)
        var syntaxErrors = 0
        for cut in 0...bytes.count {
            let text = String(decoding: bytes[0..<cut], as: UTF8.self)
            let report = analyze(text, verify: cut % 97 == 0)
            if report.findings.contains(where: { $0.kind == .syntax }) { syntaxErrors += 1 }
            for f in report.findings {
                #expect(f.range.end <= text.utf8.count, "finding past the end at cut \(cut)")
            }
        }
        // Some cuts (inside a quoted string or a flow collection) are syntax errors, most are valid YAML.
        #expect(syntaxErrors > 0)
        #expect(syntaxErrors < bytes.count / 2)
    }

    @Test func garbageBytesAreASyntaxFindingNotACrash() {
        let inputs = [
            "\u{0}\u{1}\u{2}", "a: b: c", "- [\n", "key: 'unterminated", "? complex\n: key\n", "a: !!binary 'x'\n", "{{ .Values.x }}",
            "\u{FEFF}image: x\n", "&a [*a]",
        ]
        for text in inputs {
            let report = analyze(text, verify: true)
            #expect(report.findings.allSatisfy { $0.range.end <= text.utf8.count })
        }
    }
}
