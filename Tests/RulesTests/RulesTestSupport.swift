import Analysis
import PolicyModel
import Rules
import TestSupport
import Testing
import TextCore

/// Builds a workspace from pack texts and checks values fixtures against it.
struct RulesHarness {
    let workspace: Workspace

    /// A harness without first-of-a-kind findings (the test packs select only what they test).
    init(pack: String, config: GoldpathConfig = .withoutFOAK, today: String = "2026-11-22") {
        workspace = Workspace(config: config, packSources: [SourceText(path: "test-pack.yaml", text: pack)], today: today)
    }

    /// Analyses a values text as a chart's `values.yaml`.
    func findings(_ values: String) -> [Finding] {
        workspace.analyze(
            AnalysisUnit(
                language: "helm-values", name: "chart", files: [SourceText(path: "values.yaml", text: values)],
                contextFiles: [SourceText(path: "Chart.yaml", text: "name: c\nappVersion: \"1.0\"\n")])
        ).findings
    }

    /// Checks that a fixture's caret markers are exactly the findings.
    func check(_ fixture: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let (text, markers) = FixtureMarkers.parse(fixture)
        let actual = Set(findings(text).map { ExpectedMarker(ruleId: $0.ruleId, severity: $0.severity.rawValue, range: $0.range) })
        #expect(actual == Set(markers), sourceLocation: sourceLocation)
    }
}

extension GoldpathConfig {
    /// No built-in packs and no first-of-a-kind findings.
    static var withoutFOAK: GoldpathConfig {
        var c = GoldpathConfig.onlyExtraPacks
        c.foakSeverity = nil
        return c
    }
}
