import Analysis
import Foundation
import PolicyModel
import Testing
import TextCore

/// Charts judged the way their templates render them: the hardened ones give no finding, and each injected violation
/// is reported on the line of the override that wrote it.
@Suite struct HelmChartLayoutTests {
    let workspace = Workspace(config: GoldpathConfig(), packSources: BuiltinPacks.all.map { SourceText(path: $0.path, text: $0.text) })

    /// The range of the `occurrence`-th `needle` in `text`.
    func range(of needle: String, in text: String, occurrence: Int = 1) -> SourceRange {
        var from = text.utf8.startIndex
        var found: Range<String.Index>?
        for _ in 0..<occurrence {
            found = text.range(of: needle, range: from..<text.endIndex)
            from = found!.upperBound
        }
        let start = text.utf8.distance(from: text.utf8.startIndex, to: found!.lowerBound)
        return SourceRange(start: start, end: start + needle.utf8.count)
    }

    func findings(_ unit: AnalysisUnit) -> [String] {
        workspace.analyze(unit).findings.filter { $0.ruleId != "needs-review" }.map {
            "\($0.ruleId) \($0.file) \($0.range.start)-\($0.range.end)"
        }
        .sorted()
    }

    @Test func aHardenedBitnamiChartHasNoFinding() {
        #expect(findings(HelmChartFixtures.bitnamiChart()) == [])
    }

    @Test func aHardenedPrometheusChartHasNoFinding() {
        #expect(findings(HelmChartFixtures.prometheusChart()) == [])
    }

    /// `rule file start-end` for the key `needle` (its `occurrence`-th time) in `text`: findings point at the key of the value they judge.
    func at(_ rule: String, _ file: String, _ needle: String, in text: String, occurrence: Int = 1) -> String {
        let r = range(of: needle, in: text, occurrence: occurrence)
        return "\(rule) \(file) \(r.start)-\(r.end)"
    }

    @Test func violationsInABitnamiOverrideAreReportedOnTheirLines() {
        let override = """
            image:
              tag: latest
            primary:
              hostNetwork: true
              containerSecurityContext:
                privileged: true
                capabilities:
                  add: [SYS_ADMIN]
              resources:
                requests: {cpu: 250m, memory: 256Mi}
                limits: {cpu: 500m}

            """
        let file = "db/values-prod.yaml"
        #expect(
            findings(HelmChartFixtures.bitnamiChart(override: override)) == [
                at("K8S001", file, "tag", in: override), at("K8S005", file, "limits", in: override),
                at("K8S013", file, "add", in: override), at("K8S014", file, "privileged", in: override),
                at("K8S015", file, "hostNetwork", in: override),
            ])
    }

    @Test func aSwitchedOffContextDoesNotExist() {
        // containerSecurityContext.enabled: false: the chart renders no container context at all; the findings
        // point at the switch that turned it off.
        let off = "primary:\n  containerSecurityContext:\n    enabled: false\n"
        let file = "db/values-prod.yaml"
        #expect(
            findings(HelmChartFixtures.bitnamiChart(override: off))
                == ["K8S009", "K8S010", "K8S011", "K8S012"].map { at($0, file, "enabled", in: off) })
    }

    @Test func aSwitchedOnComponentIsJudgedAndASwitchedOffOneIsNot() {
        // volumePermissions (latest tag, root) stays off; metrics is turned on and judged on the base file's lines.
        let base = HelmChartFixtures.bitnamiValues
        let file = "db/values.yaml"
        let metrics = "metrics:\n  enabled: true\n"
        #expect(
            findings(HelmChartFixtures.bitnamiChart(override: metrics)) == [
                at("K8S001", file, "tag", in: base, occurrence: 3), at("K8S003", file, "image", in: base, occurrence: 3),
                at("K8S004", file, "resources", in: base, occurrence: 3), at("K8S005", file, "resources", in: base, occurrence: 3),
                at("K8S009", file, "enabled", in: base, occurrence: 7),
                at("K8S010", file, "enabled", in: base, occurrence: 7),
                at("K8S011", file, "enabled", in: base, occurrence: 7),
                at("K8S012", file, "enabled", in: base, occurrence: 7),
                at("K8S019", file, "metrics", in: base), at("K8S020", file, "metrics", in: base),
            ])
    }

    @Test func thePodContextOfAPrometheusChartIsItsSecurityContext() {
        // runAsNonRoot is set on the pod (`securityContext`); a container that runs as user 0 overrides it.
        let override = "containerSecurityContext:\n  runAsUser: 0\n"
        let base = HelmChartFixtures.prometheusValues
        #expect(
            findings(HelmChartFixtures.prometheusChart(override: override)) == [
                at("K8S009", "exporter/values.yaml", "containerSecurityContext", in: base)
            ])
        // The pod's seccomp profile counts for the container.
        #expect(!findings(HelmChartFixtures.prometheusChart()).contains { $0.hasPrefix("K8S018") })
    }

    @Test func aSubchartSectionIsJudgedOnlyOnWhatItSets() {
        let dependency = "dependencies:\n  - name: redis\n    alias: cache\n    condition: cache.enabled\n"
        let override = """
            cache:
              enabled: true
              master:
                containerSecurityContext:
                  enabled: true
                  privileged: true
                resources: {}
              auth:
                password: hunter2

            """
        let file = "db/values-prod.yaml"
        // The privileged flag and the password are the parent's doing; the missing limits and probes are the subchart's defaults.
        #expect(
            findings(HelmChartFixtures.bitnamiChart(override: override, chartExtra: dependency)) == [
                at("K8S014", file, "privileged", in: override), at("K8S022", file, "password", in: override),
            ])
        let off = override.replacingOccurrences(of: "enabled: true\n  master", with: "enabled: false\n  master")
        #expect(
            findings(HelmChartFixtures.bitnamiChart(override: off, chartExtra: dependency)) == [at("K8S022", file, "password", in: off)])
    }

    @Test func aSubchartFromBitnamisRepositoryIsReadInItsLayoutWhateverTheParentSets() {
        let dependency = "dependencies:\n  - name: postgresql\n    repository: oci://registry-1.docker.io/bitnamicharts\n"
        // Nothing here says bitnami (no `enabled` switch, no preset): the repository does.
        let override = "postgresql:\n  primary:\n    containerSecurityContext:\n      privileged: true\n"
        #expect(
            findings(HelmChartFixtures.bitnamiChart(override: override, chartExtra: dependency)) == [
                at("K8S014", "db/values-prod.yaml", "privileged", in: override)
            ])
    }

    @Test func aRemovedMemoryLimitIsReportedInTheOverrideThatFilledAnEmptyMap() {
        let override = "primary:\n  resources:\n    requests: {cpu: 100m, memory: 128Mi}\n"
        let got = findings(HelmChartFixtures.bitnamiChart(override: override))
        #expect(got == [at("K8S005", "db/values-prod.yaml", "resources", in: override)])
    }

    /// The findings of `rules` on a chart named `chart` with one template and one values file.
    func templateFindings(_ template: String, _ values: String, rules: [String], chart: String = "app") -> [String] {
        templateFindings(templates: ["workload.yaml": template], values, rules: rules, chart: chart)
    }

    /// The findings of `rules` on a chart named `chart` with these templates (by file name) and one values file.
    func templateFindings(templates: [String: String], _ values: String, rules: [String], chart: String = "app") -> [String] {
        let unit = AnalysisUnit(
            language: "helm-values", name: chart, files: [SourceText(path: "\(chart)/values.yaml", text: values)],
            contextFiles: [SourceText(path: "\(chart)/Chart.yaml", text: "apiVersion: v2\nname: \(chart)\nversion: 1.0.0\n")]
                + templates.sorted { $0.key < $1.key }.map { SourceText(path: "\(chart)/templates/\($0.key)", text: $0.value) })
        return findings(unit).filter { rules.contains(String($0.prefix(6))) }
    }

    @Test func aNamedTemplateThatRendersTrueUnderAConditionSwitchesTheWorkload() {
        let template = """
            {{- define "app.canDeploy" -}}
            {{- if and .Values.url (coalesce .Values.token .Values.existingSecret) -}}
                {{- true -}}
            {{- end -}}
            {{- end -}}
            {{- if (include "app.canDeploy" .) }}
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                    - name: runner
                      image: {{ .Values.image.repository }}:{{ .Values.image.tag }}
                      securityContext: {{- toYaml .Values.securityContext | nindent 12 }}
            {{- end }}
            """
        let values = "image: {repository: runner, tag: \"1.0\"}\nsecurityContext: {privileged: true}\nurl: \"\"\ntoken: \"\"\n"
        #expect(templateFindings(template, values, rules: ["K8S014"]) == [])
        let set = values.replacingOccurrences(of: "url: \"\"", with: "url: https://ci.example.com")
            .replacingOccurrences(of: "token: \"\"", with: "existingSecret: runner-token")
        #expect(templateFindings(template, set, rules: ["K8S014"]) == [at("K8S014", "app/values.yaml", "privileged", in: set)])
    }

    @Test func aKeyAfterAConditionalSidecarBelongsToTheContainerBeforeIt() {
        let template = """
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                    - name: exporter
                      image: {{ .Values.image.repository }}:{{ .Values.image.tag }}
                    {{- if .Values.proxy.enabled }}
                    - name: proxy
                      image: proxy:1.0
                    {{- end }}
                      resources: {{- toYaml .Values.resources | nindent 12 }}
            """
        let values = "image: {repository: exporter, tag: \"1.0\"}\nproxy: {enabled: false}\nresources: {}\n"
        #expect(
            templateFindings(template, values, rules: ["K8S004", "K8S005"]) == [
                at("K8S004", "app/values.yaml", "resources", in: values), at("K8S005", "app/values.yaml", "resources", in: values),
            ])
    }

    @Test func aTemplateWithCRLFLineEndsIsReadLikeOneWithLF() {
        let template = """
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                    - name: exporter
                      image: {{ .Values.image.repository }}:{{ .Values.image.tag }}
                      securityContext: {{- toYaml .Values.securityContext | nindent 12 }}
            """
        let values = "image: {repository: exporter, tag: \"1.0\"}\nsecurityContext: {privileged: true}\n"
        let expected = [at("K8S014", "app/values.yaml", "privileged", in: values)]
        #expect(templateFindings(template, values, rules: ["K8S014"]) == expected)
        #expect(templateFindings(template.replacingOccurrences(of: "\n", with: "\r\n"), values, rules: ["K8S014"]) == expected)
    }

    @Test func aHostPathTheTemplateWritesUnderASwitchIsReportedAtTheSwitch() {
        let template = """
            apiVersion: apps/v1
            kind: DaemonSet
            spec:
              template:
                spec:
                  containers:
                    - name: agent
                      image: {{ .Values.image.repository }}:{{ .Values.image.tag }}
                  volumes:
                    {{- if .Values.mounts.varlog }}
                    - name: varlog
                      hostPath:
                        path: /var/log
                    {{- end }}
                    {{- with .Values.extraVolumes }}
                    {{- toYaml . | nindent 8 }}
                    {{- end }}
            """
        let values = "image: {repository: agent, tag: \"1.0\"}\nextraVolumes: []\nmounts:\n  varlog: true\n"
        #expect(templateFindings(template, values, rules: ["K8S028"]) == [at("K8S028", "app/values.yaml", "varlog", in: values)])
    }

    @Test func aTeamDescribesItsOwnChartLayoutInTheConfig() throws {
        let configText = """
            helm:
              layouts:
                - name: acme
                  detect: [hardening]
                  workloads: [hardening]
                  roles:
                    image: [image, /image]
                    securityContext: hardening.container
                    podSecurityContext: hardening.pod

            """
        let (config, errors) = GoldpathConfig.parse(SourceText(path: ".goldpath.yaml", text: configText))
        #expect(errors.isEmpty)
        let team = Workspace(config: config, packSources: BuiltinPacks.all.map { SourceText(path: $0.path, text: $0.text) })
        let values = """
            image: {repository: acme/api, tag: "1.2.0", pullPolicy: IfNotPresent}
            api:
              resources:
                requests: {cpu: 100m, memory: 128Mi}
                limits: {memory: 128Mi}
              livenessProbe: {httpGet: {path: /healthz, port: http}}
              readinessProbe: {httpGet: {path: /ready, port: http}}
              hardening:
                pod: {seccompProfile: {type: RuntimeDefault}}
                container:
                  runAsNonRoot: true
                  readOnlyRootFilesystem: true
                  allowPrivilegeEscalation: true
                  capabilities: {drop: [ALL]}

            """
        let unit = AnalysisUnit(
            language: "helm-values", name: "api", files: [SourceText(path: "api/values.yaml", text: values)],
            contextFiles: [SourceText(path: "api/Chart.yaml", text: "apiVersion: v2\nname: api\nversion: 1.0.0\n")])
        let got = team.analyze(unit).findings.filter { $0.ruleId != "needs-review" }
        let escalation = range(of: "allowPrivilegeEscalation", in: values)
        #expect(got.map { "\($0.ruleId) \($0.range.start)-\($0.range.end)" } == ["K8S011 \(escalation.start)-\(escalation.end)"])
    }

    @Test func aChartLayoutWithAnUnknownRoleIsAConfigErrorAtTheKey() {
        let text = "helm:\n  layouts:\n    - name: acme\n      roles:\n        securityContexts: hardening\n"
        let (config, errors) = GoldpathConfig.parse(SourceText(path: ".goldpath.yaml", text: text))
        #expect(config.helmLayouts == nil)
        #expect(errors.count == 1)
        #expect(errors.first?.range == range(of: "securityContexts", in: text))
        #expect(errors.first?.message.contains("securityContext") == true)
    }

    @Test func aChartOnDiskIsReadWithItsTemplatesAndTheHelpersOfAVendoredLibraryChart() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("goldpath-vendored-\(UUID().uuidString)")
        func write(_ text: String, _ path: String) throws {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        try write("apiVersion: v2\nname: web\nversion: 1.0.0\nappVersion: \"2.1.0\"\n", "web/Chart.yaml")
        // The pod spec comes from the library chart's named template, included with the root context.
        try write(
            """
            {{- define "lib.container" -}}
            - name: app
              image: "{{ .Values.app.image.repository }}:{{ .Values.app.image.tag | default .Chart.AppVersion }}"
              {{- with .Values.app.hardening }}
              securityContext:
                {{- toYaml . | nindent 4 }}
              {{- end }}
            {{- end -}}
            """, "web/charts/lib/templates/_containers.tpl")
        try write(
            "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
                + "        {{- include \"lib.container\" . | nindent 8 }}\n", "web/templates/deployment.yaml")
        let values = "app:\n  image: {repository: web, tag: latest}\n  hardening:\n    privileged: true\n"
        try write(values, "web/values.yaml")
        let (units, errors) = FileDiscovery().units(for: [dir.appendingPathComponent("web").path])
        #expect(errors.isEmpty)
        let unit = try #require(units.first)
        #expect(unit.contextFiles.map { $0.path.fileName } == ["Chart.yaml", "deployment.yaml", "_containers.tpl"])
        let got = workspace.analyze(unit).findings.filter { ["K8S001", "K8S014"].contains($0.ruleId) }
        #expect(got.map(\.ruleId).sorted() == ["K8S001", "K8S014"])
        #expect(got.first { $0.ruleId == "K8S014" }?.range == range(of: "privileged", in: values))
    }

    @Test func volumesAreTheTemplatesOwnAndTheValuesListsItSplicesIn() {
        let template = """
            apiVersion: apps/v1
            kind: DaemonSet
            spec:
              template:
                spec:
                  containers:
                    - name: agent
                      image: {{ .Values.image.repository }}:{{ .Values.image.tag }}
                      ports:
                        - name: metrics
                          containerPort: 9100
                          {{- if .Values.hostPort }}
                          hostPort: {{ .Values.hostPort }}
                          {{- end }}
                  volumes:
                    - name: data
                      emptyDir: {}
                    {{- range .Values.hostMounts }}
                    - name: {{ .name }}
                      hostPath:
                        path: {{ .path }}
                    {{- end }}
                    {{- if .Values.extraVolumes }}
                    {{- toYaml .Values.extraVolumes | nindent 8 }}
                    {{- end }}
            """
        func check(_ values: String) -> [String] {
            templateFindings(template, values, rules: ["K8S028", "K8S029", "K8S040"], chart: "agent")
        }
        // An empty range renders nothing, a hostPort left unset renders none.
        #expect(check("image: {repository: agent, tag: \"1.0\"}\nhostMounts: []\nextraVolumes: []\n") == [])
        let values = """
            image: {repository: agent, tag: "1.0"}
            hostPort: 9100
            hostMounts: []
            extraVolumes:
              - name: docker
                hostPath: {path: /var/run/docker.sock}

            """
        // Each at the volume that breaks it, not at the list.
        #expect(
            check(values) == [
                at("K8S028", "agent/values.yaml", "hostPath", in: values),
                at("K8S029", "agent/values.yaml", "path", in: values),
                at("K8S040", "agent/values.yaml", "hostPort", in: values),
            ])
    }

    @Test func aWorkloadWhoseServiceAccountTheChartBindsToRBACRulesKeepsItsToken() {
        let deployment = """
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  serviceAccountName: {{ include "op.serviceAccountName" . }}
                  automountServiceAccountToken: {{ .Values.automountServiceAccountToken }}
                  containers:
                    - name: operator
                      image: {{ .Values.image.repository }}:{{ .Values.image.tag }}
            """
        // The kind is picked by the template, and the subject names the account through the template keyword.
        let binding = """
            {{- if .Values.rbac.create }}
            apiVersion: rbac.authorization.k8s.io/v1
            kind: {{ ternary "ClusterRoleBinding" "RoleBinding" .Values.rbac.clusterWide }}
            roleRef:
              kind: ClusterRole
              name: op
            subjects:
              - kind: ServiceAccount
                name: {{ template "op.serviceAccountName" . }}
            {{- end }}
            """
        func check(_ values: String) -> [String] {
            templateFindings(
                templates: ["deployment.yaml": deployment, "rolebinding.yaml": binding], values, rules: ["K8S039"], chart: "op")
        }
        let values = "image: {repository: op, tag: \"1.0\"}\nautomountServiceAccountToken: true\nrbac: {create: true}\n"
        #expect(check(values) == [])
        // Without the binding the token is a credential the workload does not need.
        let unbound = values.replacingOccurrences(of: "create: true", with: "create: false")
        #expect(check(unbound) == [at("K8S039", "op/values.yaml", "automountServiceAccountToken", in: unbound)])
    }

    /// A Deployment with `replicas`, the bitnami affinity preset, and a PodDisruptionBudget and a NetworkPolicy under switches.
    static let replicatedChart: [String: String] = [
        "deployment.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        spec:
          replicas: {{ .Values.replicaCount }}
          template:
            spec:
              affinity:
                podAntiAffinity: {{- include "common.affinities.pods" (dict "type" .Values.podAntiAffinityPreset "context" $) | nindent 10 }}
              containers:
                - name: web
                  image: {{ .Values.image.repository }}:{{ .Values.image.tag }}
        """,
        "pdb.yaml": "{{- if .Values.pdb.create }}\napiVersion: policy/v1\nkind: PodDisruptionBudget\n{{- end }}\n",
        "networkpolicy.yaml":
            "{{- if .Values.networkPolicy.enabled }}\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n{{- end }}\n",
    ]

    @Test func replicatedPodsNeedTheChartsBudgetAndSpreadAndItsNetworkPolicyIsOn() {
        func check(_ values: String) -> [String] {
            templateFindings(templates: HelmChartLayoutTests.replicatedChart, values, rules: ["K8S049", "K8S050", "K8S051"])
        }
        let good = """
            image: {repository: web, tag: "1.0"}
            replicaCount: 3
            podAntiAffinityPreset: soft
            pdb: {create: true}
            networkPolicy: {enabled: true}

            """
        #expect(check(good) == [])
        // The budget and the policy are reported at the switches that turned them off, the spread at the replicas.
        let bad = good.replacingOccurrences(of: "soft", with: "\"\"").replacingOccurrences(of: "create: true", with: "create: false")
            .replacingOccurrences(of: "enabled: true", with: "enabled: false")
        #expect(
            check(bad) == [
                at("K8S049", "app/values.yaml", "create", in: bad), at("K8S050", "app/values.yaml", "replicaCount", in: bad),
                at("K8S051", "app/values.yaml", "enabled", in: bad),
            ])
        // One replica has nothing to budget or spread.
        let single = bad.replacingOccurrences(of: "replicaCount: 3", with: "replicaCount: 1")
        #expect(check(single) == [at("K8S051", "app/values.yaml", "enabled", in: single)])
    }

    @Test func theNetworkPolicyFixTurnsTheChartsSwitchOn() {
        let values = "image: {repository: web, tag: \"1.0\"}\nreplicaCount: 1\nnetworkPolicy:\n  enabled: false\n"
        let unit = AnalysisUnit(
            language: "helm-values", name: "app", files: [SourceText(path: "app/values.yaml", text: values)],
            contextFiles: [SourceText(path: "app/Chart.yaml", text: "apiVersion: v2\nname: app\nversion: 1.0.0\n")]
                + HelmChartLayoutTests.replicatedChart.sorted { $0.key < $1.key }.map {
                    SourceText(path: "app/templates/\($0.key)", text: $0.value)
                })
        let result = workspace.fixAll(unit)
        #expect(result.applied.contains("K8S051: Set networkPolicy to true"))
        #expect(result.unit.files[0].text.hasSuffix("networkPolicy:\n  enabled: true\n"))
    }

    @Test func aContainerInANamedTemplateIsJudgedWhereItIsIncluded() {
        let helpers = """
            {{- define "app.unused" -}}
            containers:
              - name: ghost
                image: ghost:latest
            {{- end -}}
            {{- define "app.pod" -}}
            containers:
              - name: web
                image: {{ .Values.image.repository }}:{{ .Values.image.tag }}
            {{- end -}}
            """
        let deployment = """
            {{- if .Values.enabled }}
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  {{- include "app.pod" . | nindent 6 }}
            {{- end }}
            """
        func check(_ values: String) -> [String] {
            templateFindings(templates: ["_helpers.tpl": helpers, "deployment.yaml": deployment], values, rules: ["K8S001", "K8S004"])
        }
        // The unused template renders nothing (its container would lack requests); the included one only under the
        // Deployment's condition.
        #expect(check("enabled: false\nimage: {repository: web, tag: latest}\n") == [])
        let on = "enabled: true\nimage: {repository: web, tag: latest}\n"
        #expect(check(on) == [at("K8S001", "app/values.yaml", "tag", in: on), at("K8S004", "app/values.yaml", "image", in: on)])
    }

    @Test func aRoleTheTemplateWritesIsJudgedWithTheRulesItRenders() {
        // The template's own rule unless the values give rules; a value written after its key is read even when an
        // action line follows in the block.
        let role = """
            {{- if .Values.rbac.create }}
            kind: {{ ternary "ClusterRole" "Role" .Values.rbac.clusterWide }}
            rules:
              {{- if not .Values.rbac.rules }}
              - apiGroups: [""]
                resources: [pods]
                verbs: ["*"]
              {{- else }}
              {{- include "common.tplvalues.render" (dict "value" .Values.rbac.rules "context" $) | nindent 2 }}
              {{- end }}
            {{- end }}
            """
        let values = "rbac:\n  create: true\n  clusterWide: true\n  rules: []\n"
        let unit = AnalysisUnit(
            language: "helm-values", name: "app", files: [SourceText(path: "app/values.yaml", text: values)],
            contextFiles: [
                SourceText(path: "app/Chart.yaml", text: "apiVersion: v2\nname: app\nversion: 1.0.0\n"),
                SourceText(path: "app/templates/role.yaml", text: role),
            ])
        let got = workspace.analyze(unit).findings.filter { $0.ruleId == "K8S052" }
        // The template's wildcard rule is rendered because the values give no rules: reported there.
        #expect(got.map(\.range) == [range(of: "rules", in: values)])
        #expect(
            got.first?.message
                == "The ClusterRole in templates/role.yaml grants every verb with a wildcard; list the verbs and resources the workload needs."
        )
        let named = values.replacingOccurrences(
            of: "rules: []", with: "rules:\n    - {apiGroups: [\"\"], resources: [pods], verbs: [get]}")
        #expect(templateFindings(templates: ["role.yaml": role], named, rules: ["K8S052"]) == [])
        let off = values.replacingOccurrences(of: "create: true", with: "create: false")
        #expect(templateFindings(templates: ["role.yaml": role], off, rules: ["K8S052"]) == [])
    }

    @Test func aPodSettingTheTemplateWritesIsReportedOnceAtThePodsMainContainer() {
        let template = """
            apiVersion: apps/v1
            kind: DaemonSet
            spec:
              template:
                spec:
                  hostNetwork: true
                  initContainers:
                    - name: setup
                      image: {{ .Values.setup.image.repository }}:{{ .Values.setup.image.tag }}
                  containers:
                    - name: agent
                      image: {{ .Values.image.repository }}:{{ .Values.image.tag }}
            """
        let values = "setup:\n  image: {repository: busybox, tag: \"1.36\"}\nimage: {repository: agent, tag: \"1.0\"}\n"
        #expect(
            templateFindings(template, values, rules: ["K8S015"]) == [at("K8S015", "app/values.yaml", "image", in: values, occurrence: 2)])
    }

    @Test func aPodSettingTheTemplateWritesUnderASwitchIsReportedAtTheSwitch() {
        let template = """
            {{- if .Values.operator.enabled }}
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  {{- if .Values.operator.hostNetwork }}
                  hostNetwork: true
                  {{- end }}
                  containers:
                    - name: operator
                      image: {{ .Values.operator.image.repository }}:{{ .Values.operator.image.tag }}
            {{- end }}
            """
        let values = "operator:\n  enabled: true\n  image: {repository: op, tag: \"1.0\"}\n  hostNetwork: true\n"
        #expect(templateFindings(template, values, rules: ["K8S015"]) == [at("K8S015", "app/values.yaml", "hostNetwork", in: values)])
    }

    @Test func aFixWritesWhereTheChartReads() throws {
        let override = "primary:\n  containerSecurityContext:\n    readOnlyRootFilesystem: false\n"
        let result = workspace.fixAll(HelmChartFixtures.bitnamiChart(override: override))
        #expect(result.applied == ["K8S010: Set securityContext.readOnlyRootFilesystem to true"])
        #expect(result.unit.files[1].text == "primary:\n  containerSecurityContext:\n    readOnlyRootFilesystem: true\n")
    }
}
