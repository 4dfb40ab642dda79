import HelmValues
import PolicyModel
import Testing
import TextCore

@Suite struct HelmValuesLoweringTests {
    let language = HelmValuesLanguage()

    func unit(_ files: [(String, String)], chart: String? = "name: shop\nversion: 0.1.0\nappVersion: \"2.0\"\n") -> AnalysisUnit {
        AnalysisUnit(
            language: "helm-values", name: "shop", files: files.map { SourceText(path: $0.0, text: $0.1) },
            contextFiles: chart.map { [SourceText(path: "shop/Chart.yaml", text: $0)] } ?? [])
    }

    @Test func credentialsAreStringsUnderKeysNamingOneInAnyCaseButNotTemplates() {
        let lowered = language.lower(
            unit([
                (
                    "values.yaml",
                    """
                    auth:
                      rootPassword: hunter2
                      API_KEY: abc
                      Clé_Secret: s3
                      token: "{{ .Values.other }}"
                      passphrase: pass
                      tokens: []
                    """
                )
            ]))
        let credentials = lowered.subjects.filter { $0.type == "helm.credential" }
        #expect(credentials.map(\.name) == ["auth.rootPassword", "auth.API_KEY", "auth.Clé_Secret"])
        #expect(
            credentials.map(\.headerRange) == [
                SourceRange(start: 8, end: 20), SourceRange(start: 32, end: 39), SourceRange(start: 47, end: 58),
            ])
    }

    @Test func workloadsAreEveryMapHoldingAnImage() {
        let lowered = language.lower(
            unit([
                (
                    "values.yaml",
                    """
                    image: {repository: api}
                    worker:
                      image: {repository: worker}
                    jobs:
                      - name: migrate
                        image: migrate:1.0
                    config:
                      image: {pullSecrets: []}
                    """
                )
            ]))
        #expect(lowered.subjects.map(\.address) == ["shop", "shop:root", "shop:worker", "shop:jobs[0]"])
        #expect(lowered.subjects.map(\.type) == ["helm.values", "helm.workload", "helm.workload", "helm.workload"])
        #expect(lowered.subjects[2].value.value(at: "image.repository") == .string("worker"))
        #expect(lowered.subjects[1].context["chart"]?.value(at: "appVersion") == .string("2.0"))
    }

    @Test func scalarsAreTypedAsHelmReadsThem() {
        let s = language.lower(unit([("values.yaml", "a: 1.10\nb: \"1.10\"\nc: yes\nd: ~\ne: 010\n")])).subjects[0]
        #expect(s.value.value(at: "a") == .double(1.1))
        #expect(s.value.value(at: "b") == .string("1.10"))
        #expect(s.value.value(at: "c") == .bool(true))
        #expect(s.value.value(at: "d") == .null)
        #expect(s.value.value(at: "e") == .int(10))
    }

    @Test func overridesMergeLikeHelmAndKeepProvenance() throws {
        let base = "image:\n  repository: api\n  tag: \"1.0\"\nresources:\n  limits: {memory: 1Gi}\nprobe: {httpGet: {}}\nlist: [a, b]\n"
        let prod = "image:\n  tag: \"2.0\"\nresources: {}\nprobe: null\nlist: [c]\n"
        let lowered = language.lower(unit([("values.yaml", base), ("values-prod.yaml", prod)]))
        #expect(lowered.subjects.map(\.address) == ["shop", "shop:root", "shop@values-prod.yaml", "shop@values-prod.yaml:root"])
        let merged = lowered.subjects[2]
        #expect(merged.value.value(at: "image.tag") == .string("2.0"))
        #expect(merged.value.value(at: "image.repository") == .string("api"))
        // An empty map merges (keeps the base map); null deletes; lists replace.
        #expect(merged.value.value(at: "resources.limits.memory") == .string("1Gi"))
        #expect(merged.value.value(at: "probe") == nil)
        #expect(merged.value.value(at: "list") == .list([.string("c")]))
        #expect(merged.origins["image.tag"]?.file == "values-prod.yaml")
        #expect(merged.origins["image.repository"]?.file == "values.yaml")
        #expect(merged.origins["resources.limits.memory"]?.file == "values.yaml")
        // The deleted key keeps the origin of the null that deleted it.
        let probe = try #require(merged.origins["probe"])
        #expect(probe.file == "values-prod.yaml")
        #expect(probe.keyRange == SourceRange(start: 34, end: 39))
    }

    @Test func brokenFilesBecomeDiagnosticsAndOtherFilesStillLower() {
        let lowered = language.lower(unit([("values.yaml", "replicaCount: 1\n"), ("values-bad.yaml", "a: [\n")]))
        #expect(lowered.diagnostics.map(\.file) == ["values-bad.yaml"])
        #expect(lowered.subjects.map(\.address) == ["shop"])
    }

    @Test func topLevelScalarIsRejected() {
        let lowered = language.lower(unit([("values.yaml", "just a string\n")]))
        #expect(lowered.diagnostics.map(\.message) == ["a values file must be a mapping at the top level"])
    }

    @Test func suppressionCommentsTargetTheNextLineThatIsNotAComment() {
        let text = "# goldpath:ignore X reason=\"r\"\n# prose\nimage: a # checkov:skip=CKV_1:r\n"
        let lowered = language.lower(unit([("values.yaml", text)]))
        // Prose comments are not suppression candidates; an end-of-line comment targets its own line.
        #expect(lowered.comments.map(\.targetLine) == [2, 2])
        #expect(lowered.comments.map(\.text) == [" goldpath:ignore X reason=\"r\"", " checkov:skip=CKV_1:r"])
    }
}
