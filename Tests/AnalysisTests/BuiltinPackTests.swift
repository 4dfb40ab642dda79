import Analysis
import Foundation
import PolicyModel
import Rules
import Testing
import TextCore

@Suite struct BuiltinPackTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The built-in packs' golden files, under rulepacks/ in the repository; each pack file must have one.
    static let golden = GoldenFiles(
        root: root.path, update: GoldenFiles.updateRequested, required: true,
        regenerate: "GOLDPATH_UPDATE_GOLDEN=1 swift test --filter BuiltinPackTests")

    @Test func builtinPacksLoadWithoutErrors() {
        let ws = Workspace(config: GoldpathConfig(), packSources: BuiltinPacks.all.map { SourceText(path: $0.path, text: $0.text) })
        #expect(ws.packErrors.isEmpty, "\(ws.packErrors)")
        let rules = ws.engine.goldenPaths.flatMap(\.rules)
        #expect(rules.count >= 20)
        #expect(rules.filter { $0.fix != nil }.count >= 20)
    }

    /// Every built-in rule's examples run: fail raises the rule, pass does not, the fix turns fail into pass, and
    /// each pack file's golden file holds the fail examples' findings and fixed texts.
    /// A pack's golden paths are tested together (a fix may add a subject another golden path of the pack covers).
    @Test(arguments: Array(Set(BuiltinPacks.all.map(\.name))).sorted())
    func everyExampleOfTheBuiltinPacks(pack: String) {
        let files = BuiltinPacks.all.filter { $0.name == pack }
        let ws = Workspace(config: .onlyExtraPacks, packSources: files.map { SourceText(path: $0.path, text: $0.text) })
        let (failures, checks) = RuleExampleRunner(workspace: ws, golden: BuiltinPackTests.golden).run()
        #expect(failures == [])
        // At least one fail and one pass example per rule ran.
        #expect(checks >= 2 * ws.engine.goldenPaths.reduce(0) { $0 + $1.rules.count })
    }

    /// The build embeds every pack file under rulepacks/, as it is on disk.
    @Test func embeddedPacksMatchTheRulepacksDirectory() throws {
        let packs = BuiltinPackTests.root.appendingPathComponent("rulepacks")
        let onDisk = (FileManager.default.subpaths(atPath: packs.path) ?? []).filter { $0.hasSuffix(".yaml") }.map { "rulepacks/" + $0 }
            .sorted()
        #expect(BuiltinPacks.all.map(\.path) == onDisk)
        for pack in BuiltinPacks.all {
            let text = try String(contentsOf: BuiltinPackTests.root.appendingPathComponent(pack.path), encoding: .utf8)
            #expect(text.trimmingCharacters(in: .newlines) == pack.text, "\(pack.path) differs from the embedded text")
            #expect(pack.name == pack.path.split(separator: "/")[1].description)
        }
    }

    /// No golden file outlives its pack file (that each pack file has one, the example runner checks).
    @Test func everyGoldenFileHasItsPackFile() {
        let packs = BuiltinPackTests.root.appendingPathComponent("rulepacks")
        let golden = (FileManager.default.subpaths(atPath: packs.path) ?? []).filter { $0.hasSuffix(".golden") }.map { "rulepacks/" + $0 }
        let expected = Set(BuiltinPacks.all.map { GoldenFiles.path(ofPack: $0.path) })
        #expect(golden.filter { !expected.contains($0) } == [])
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
        #expect(
            failures.map(\.description) == [
                "X1: fail example 1 does not raise X1",
                "X1: pass example 1 raises X1: m",
            ])
    }
}
