import PolicyModel
import Rules
import Testing
import TextCore

@testable import Analysis
@testable import Rules

/// A fix that writes where the chart's templates do not read cannot clear its finding: it is rejected when planned,
/// without the re-check that would find the finding still there.
@Suite struct UnreadPathFixTests {
    /// An init container whose template renders no `resources`, beside a main container that reads them from the values.
    static let template = """
        apiVersion: apps/v1
        kind: Deployment
        spec:
          template:
            spec:
              initContainers:
                - name: wait
                  image: {{ .Values.wait.image.repository }}:{{ .Values.wait.image.tag }}
              containers:
                - name: app
                  image: {{ .Values.image.repository }}:{{ .Values.image.tag }}
                  resources: {{- toYaml .Values.resources | nindent 12 }}
        """
    static let values = "wait:\n  image: {repository: busybox, tag: \"1.36\"}\nimage: {repository: app, tag: \"1.0\"}\nresources: {}\n"

    static let unit = AnalysisUnit(
        language: "helm-values", name: "app", files: [SourceText(path: "app/values.yaml", text: values)],
        contextFiles: [
            SourceText(path: "app/Chart.yaml", text: "apiVersion: v2\nname: app\nversion: 1.0.0\n"),
            SourceText(path: "app/templates/deployment.yaml", text: template),
        ])

    /// Two golden paths for the tests: a rule that asks `related()`, and a rule under a path that asks it.
    static let relatedPack = """
        pack: related-test
        golden_paths:
          - id: related-test
            title: Requests, asked of a related subject
            language: helm-values
            select: helm.workload
            rules:
              - id: REL001
                title: CPU requests are set
                severity: warning
                when: '!subject.workload.partial || related("helm.workload", "name") == null'
                require: has(self.resources.requests.cpu)
                at: resources.requests
                message: Set resources.requests.cpu.
                fix:
                  set: {resources.requests.cpu: 100m}
                examples:
                  fail: |
                    image: {repository: nginx}
                  pass: |
                    image: {repository: nginx}
                    resources: {requests: {cpu: 100m}}
          - id: related-path-test
            title: Memory requests, under a golden path that asks related()
            language: helm-values
            select: helm.workload
            when: '!subject.workload.partial || related("helm.workload", "name") == null'
            rules:
              - id: REL002
                title: Memory requests are set
                severity: warning
                require: has(self.resources.requests.memory)
                at: resources.requests
                message: Set resources.requests.memory.
                fix:
                  set: {resources.requests.memory: 128Mi}
                examples:
                  fail: |
                    image: {repository: nginx}
                  pass: |
                    image: {repository: nginx}
                    resources: {requests: {memory: 128Mi}}
        """

    /// Every part of a container and its pod the Helm lowering resolves, in its order.
    static let roles = [
        "image", "securityContext", "podSecurityContext", "resources", "livenessProbe", "readinessProbe", "startupProbe",
        "hostNetwork", "hostPID", "hostIPC", "automountServiceAccountToken", "serviceAccountName", "serviceAccountAutomount",
        "volumes", "ports", "serviceAccountRBAC", "affinity", "topologySpreadConstraints", "replicas", "podDisruptionBudget",
        "networkPolicy",
    ]

    let workspace = Workspace(
        config: GoldpathConfig(),
        packSources: BuiltinPacks.all.map { SourceText(path: $0.path, text: $0.text) }
            + [SourceText(path: "related-test.yaml", text: UnreadPathFixTests.relatedPack)])

    func analysed() throws -> (lowered: LoweredUnit, findings: [Finding], verifier: FixVerifier) {
        let language = try #require(workspace.languages["helm-values"])
        let lowered = language.lower(Self.unit)
        let findings = workspace.engine.evaluate(lowered, unit: Self.unit, language: language)
        return (lowered, findings, FixVerifier(engine: workspace.engine, language: language))
    }

    @Test("a container's unread paths are the roles its template does not render, under its values map")
    func unreadPathsAreTheRolesTheTemplateDoesNotRender() throws {
        let (lowered, _, _) = try analysed()
        let wait = try #require(lowered.subjects.first { $0.address == "app:wait/wait" })
        let app = try #require(lowered.subjects.first { $0.address == "app:root/app" })
        // The init container renders its image only; the main container its image and resources. Neither pod renders
        // a setting of its own.
        #expect(wait.unreadPaths.map(\.description) == Self.roles.filter { $0 != "image" }.map { "wait." + $0 })
        #expect(app.unreadPaths.map(\.description) == Self.roles.filter { $0 != "image" && $0 != "resources" })
        #expect(wait.ignoresWrite(at: ValuePath(parsing: "resources.requests.cpu")))
        #expect(!app.ignoresWrite(at: ValuePath(parsing: "resources.requests.cpu")))
    }

    @Test("a role the template does not render is still read where a condition reads it")
    func aConditionThatReadsAnAbsentRoleKeepsItRead() throws {
        let gated = Self.template.replacingOccurrences(
            of: "      initContainers:\n", with: "      {{- if .Values.wait.resources }}\n      initContainers:\n"
        )
        .replacingOccurrences(of: "      containers:\n", with: "      {{- end }}\n      containers:\n")
        let unit = AnalysisUnit(
            language: "helm-values", name: "app",
            files: [SourceText(path: "app/values.yaml", text: "wait:\n  resources: {requests: {cpu: 1}}\n" + Self.values.dropFirst(6))],
            contextFiles: [Self.unit.contextFiles[0], SourceText(path: "app/templates/deployment.yaml", text: gated)])
        let language = try #require(workspace.languages["helm-values"])
        let wait = try #require(language.lower(unit).subjects.first { $0.address == "app:wait/wait" })
        #expect(wait.unreadPaths.map(\.description) == Self.roles.filter { $0 != "image" && $0 != "resources" }.map { "wait." + $0 })
    }

    @Test("a fix that sets what the template does not read is rejected when planned; one it reads is planned")
    func aFixWritingWhereTheChartDoesNotReadIsRejectedWhenPlanned() throws {
        let (lowered, findings, verifier) = try analysed()
        let waitRequests = try #require(findings.first { $0.ruleId == "K8S004" && $0.subjectAddress == "app:wait/wait" })
        let appRequests = try #require(findings.first { $0.ruleId == "K8S004" && $0.subjectAddress == "app:root/app" })
        #expect(
            verifier.plan(waitRequests, subjects: nil, all: lowered.subjects, unit: Self.unit, alternative: 0).map(\.title)
                == .failure(.findingRemains))
        let planned = try verifier.plan(appRequests, subjects: nil, all: lowered.subjects, unit: Self.unit, alternative: 0).get()
        #expect(
            try TextEdit.apply(planned.edits.flatMap(\.edits), to: Self.values)
                == "wait:\n  image: {repository: busybox, tag: \"1.36\"}\nimage: {repository: app, tag: \"1.0\"}\nresources:\n  requests:\n    cpu: 100m\n    memory: 128Mi\n"
        )
        // Verified as before: the main container's fix is offered, the init container's is not.
        let fixed = verifier.attachFixes(to: findings, unit: Self.unit, lowered: lowered)
        #expect(fixed.first { $0.identity == waitRequests.identity }?.fix == nil)
        #expect(fixed.first { $0.identity == appRequests.identity }?.fix != nil)
    }

    @Test("a rule, or a golden path, that asks related() is re-checked even where its subject is not read")
    func aRuleThatAsksRelatedIsNotJudgedFromItsSubjectAlone() throws {
        let (lowered, findings, verifier) = try analysed()
        #expect(workspace.packErrors.isEmpty)
        let finding = try #require(findings.first { $0.ruleId == "REL001" && $0.subjectAddress == "app:wait/wait" })
        let rule = try #require(workspace.engine.rule("REL001"))
        #expect(rule.readsOtherSubjects)
        #expect(try #require(workspace.engine.rule("K8S004")).readsOtherSubjects == false)
        let planned = verifier.plan(finding, subjects: nil, all: lowered.subjects, unit: Self.unit, alternative: 0)
        #expect(planned.map(\.title) == .success("Set resources.requests.cpu to \"100m\""))
        // A rule that does not ask related() under a golden path that does: the path may stop applying.
        let underPath = try #require(findings.first { $0.ruleId == "REL002" && $0.subjectAddress == "app:wait/wait" })
        #expect(try #require(workspace.engine.rule("REL002")).readsOtherSubjects == false)
        let plannedUnderPath = verifier.plan(underPath, subjects: nil, all: lowered.subjects, unit: Self.unit, alternative: 0)
        #expect(plannedUnderPath.map(\.title) == .success("Set resources.requests.memory to \"128Mi\""))
    }
}
