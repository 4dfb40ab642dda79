import HelmValues
import PolicyModel
import Testing
import TextCore

@Suite struct HelmValuesFixWriterTests {
    let language = HelmValuesLanguage()

    /// Applies `operations` to the root workload of a one-file chart and checks the exact new text.
    func check(
        _ before: String, _ operations: [FixOperation], _ after: String, at: ValuePath? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let unit = AnalysisUnit(language: "helm-values", name: "c", files: [SourceText(path: "values.yaml", text: before)])
        let lowered = language.lower(unit)
        let subject = try #require(lowered.subjects.first { $0.type == "helm.values" })
        let edits = try language.edits(for: FixPlan(operations), subject: subject, atPath: at, in: unit)
        let text = try TextEdit.apply(edits.first?.edits ?? [], to: before)
        #expect(text == after, sourceLocation: sourceLocation)
    }

    @Test func replaceAScalarKeepingTheComment() throws {
        try check("image:\n  tag: latest # moving\n", [.set("image.tag", .string("2.4.0"))], "image:\n  tag: \"2.4.0\" # moving\n")
    }

    @Test func aStringThatWouldReadAsANumberIsQuoted() throws {
        try check("image:\n  tag: latest\n", [.set("image.tag", .string("1.10"))], "image:\n  tag: \"1.10\"\n")
    }

    @Test func quotingStyleIsKept() throws {
        try check("image:\n  tag: 'latest'\n", [.set("image.tag", .string("1.2"))], "image:\n  tag: '1.2'\n")
    }

    @Test func quoteScalarRewritesTheOriginalLexeme() throws {
        try check("image:\n  tag: 1.10\n", [.transform("quote-scalar")], "image:\n  tag: \"1.10\"\n", at: "image.tag")
    }

    @Test func setANestedKeyThatDoesNotExist() throws {
        try check(
            "image: {repository: a}\nsecurityContext:\n  runAsUser: 1000\n",
            [.set("securityContext.capabilities.drop", .list([.string("ALL")]))],
            "image: {repository: a}\nsecurityContext:\n  runAsUser: 1000\n  capabilities:\n    drop:\n      - ALL\n")
    }

    @Test func anEmptyFlowMapBecomesABlockAndItsCommentStays() throws {
        try check(
            "securityContext: {} # hardened below\n  # capabilities:\nnext: 1\n",
            [.set("securityContext.runAsNonRoot", .bool(true))],
            "securityContext: # hardened below\n  runAsNonRoot: true\n  # capabilities:\nnext: 1\n")
    }

    @Test func aNonEmptyFlowMapGetsAFlowEntry() throws {
        try check(
            "resources: {requests: {cpu: 1}}\n", [.set("resources.limits", .map(ValueMap([("memory", .string("1Gi"))])))],
            "resources: {requests: {cpu: 1}, limits: {memory: 1Gi}}\n")
    }

    @Test func aNullValueBecomesABlock() throws {
        try check(
            "podSecurityContext:\nimage: a\n", [.set("podSecurityContext.seccompProfile.type", .string("RuntimeDefault"))],
            "podSecurityContext:\n  seccompProfile:\n    type: RuntimeDefault\nimage: a\n")
    }

    @Test func indentationOfTheFileIsFollowed() throws {
        try check("a:\n    b: 1\n", [.set("a.c.d", .int(2))], "a:\n    b: 1\n    c:\n        d: 2\n")
    }

    @Test func aMissingTopLevelKeyIsAppended() throws {
        try check("image: a\n", [.set("hostNetwork", .bool(false))], "image: a\nhostNetwork: false\n")
    }

    @Test func removeDeletesTheWholeEntry() throws {
        try check("a: 1\nprobe:\n  httpGet: {}\nb: 2\n", [.remove("probe")], "a: 1\nb: 2\n")
        try check("x: {a: 1, b: 2}\n", [.remove("x.a")], "x: {b: 2}\n")
    }

    @Test func aBlockListReplacesAnEmptyFlowList() throws {
        try check(
            "ingress:\n  tls: []\n",
            [.set("ingress.tls", .list([.map(ValueMap([("secretName", .string("a-tls")), ("hosts", .list([.string("a.com")]))]))]))],
            "ingress:\n  tls:\n    - secretName: a-tls\n      hosts:\n        - a.com\n")
    }

    @Test func anAliasedValueIsReplacedAtTheAliasNotAtTheAnchor() throws {
        try check(
            "defaults: &tag latest\nimage:\n  tag: *tag\nsidecar:\n  tag: *tag\n", [.set("image.tag", .string("1.2.0"))],
            "defaults: &tag latest\nimage:\n  tag: \"1.2.0\"\nsidecar:\n  tag: *tag\n")
    }

    @Test func aMergedKeyIsOverriddenByAnExplicitOne() throws {
        try check(
            "base: &b\n  privileged: true\nworker:\n  <<: *b\n  name: w\n", [.set("worker.privileged", .bool(false))],
            "base: &b\n  privileged: true\nworker:\n  <<: *b\n  name: w\n  privileged: false\n")
    }

    @Test func crlfFilesGetCRLFLines() throws {
        try check("a:\r\n  b: 1\r\n", [.set("a.c", .int(2))], "a:\r\n  b: 1\r\n  c: 2\r\n")
    }

    @Test func overridesAreEditedWhereTheValueComesFrom() throws {
        let unit = AnalysisUnit(
            language: "helm-values", name: "c",
            files: [
                SourceText(path: "values.yaml", text: "service:\n  type: ClusterIP\n  port: 80\n"),
                SourceText(path: "values-prod.yaml", text: "service:\n  type: LoadBalancer\n"),
            ])
        let subject = try #require(language.lower(unit).subjects.first { $0.address == "c@values-prod.yaml" })
        let edits = try language.edits(for: FixPlan([.set("service.type", .string("ClusterIP"))]), subject: subject, atPath: nil, in: unit)
        #expect(
            edits == [FileEdits(file: "values-prod.yaml", edits: [TextEdit(range: SourceRange(start: 17, end: 29), newText: "ClusterIP")])])
    }

    @Test func aFileThatNoLongerParsesIsNotEdited() throws {
        let good = AnalysisUnit(language: "helm-values", name: "c", files: [SourceText(path: "values.yaml", text: "a: 1\n")])
        let subject = try #require(language.lower(good).subjects.first)
        let broken = good.replacing(file: "values.yaml", with: "a: [\n")
        #expect(throws: FixWriteError.self) {
            try language.edits(for: FixPlan([.set("a", .int(2))]), subject: subject, atPath: nil, in: broken)
        }
    }
}
