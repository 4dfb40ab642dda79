import Analysis
import Foundation
import PolicyModel
import Rules
import Testing
import TextCore

@Suite struct BuiltinPackTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func builtinPacksLoadWithoutErrors() {
        let ws = Workspace(config: GoldpathConfig(), packSources: BuiltinPacks.all.map { SourceText(path: $0.path, text: $0.text) })
        #expect(ws.packErrors.isEmpty, "\(ws.packErrors)")
        let rules = ws.engine.goldenPaths.flatMap(\.rules)
        #expect(rules.count >= 20)
        #expect(rules.filter { $0.fix != nil }.count >= 20)
    }

    /// Every built-in rule's examples run: fail raises the rule, pass does not, the fix turns fail into pass.
    @Test(arguments: BuiltinPacks.all.map(\.path))
    func everyExampleOfTheBuiltinPacks(path: String) {
        let pack = BuiltinPacks.all.first { $0.path == path }!
        let ws = Workspace(config: .onlyExtraPacks, packSources: [SourceText(path: path, text: pack.text)])
        let (failures, checks) = RuleExampleRunner(workspace: ws).run()
        #expect(failures == [])
        // At least one fail and one pass example per rule ran.
        #expect(checks >= 2 * ws.engine.goldenPaths.reduce(0) { $0 + $1.rules.count })
    }

    @Test func embeddedPacksMatchTheRulepacksDirectory() throws {
        for pack in BuiltinPacks.all {
            let onDisk = try String(contentsOf: BuiltinPackTests.root.appendingPathComponent(pack.path), encoding: .utf8)
            #expect(onDisk.trimmingCharacters(in: .newlines) == pack.text, "\(pack.path) changed: run python3 scripts/embed-rulepacks.py")
        }
    }

    @Test func theExampleRunnerCatchesAWrongExample() {
        let pack = """
            pack: t
            golden_paths:
              - id: g
                title: g
                language: helm-values
                select: helm.workload
                rules:
                  - id: X1
                    title: x
                    severity: error
                    require: self.image.tag != "latest"
                    message: m
                    fix: {set: {image.tag: latest}}
                    examples:
                      fail: "image: {repository: a, tag: '1'}"
                      pass: "image: {repository: a, tag: latest}"
            """
        let ws = Workspace(config: .onlyExtraPacks, packSources: [SourceText(path: "t.yaml", text: pack)])
        let (failures, _) = RuleExampleRunner(workspace: ws).run()
        #expect(failures.map(\.description) == [
            "X1: fail example 1 does not raise X1",
            "X1: pass example 1 raises X1: m",
        ])
    }
}
