import PolicyModel
import TextCore

/// Small charts written for the tests in the three layouts goldpath knows: bitnami, prometheus-community and `helm create`.
enum HelmChartFixtures {
    static let bitnamiHelpers = """
        {{/* The image of the database container. */}}
        {{- define "db.image" -}}
        {{ include "common.images.image" (dict "imageRoot" .Values.image "global" .Values.global) }}
        {{- end -}}
        """

    static let bitnamiStatefulSet = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: {{ include "common.names.fullname" . }}
        spec:
          template:
            spec:
              automountServiceAccountToken: {{ .Values.primary.automountServiceAccountToken }}
              {{- if .Values.primary.podSecurityContext.enabled }}
              securityContext: {{- include "common.compatibility.renderSecurityContext" (dict "secContext" .Values.primary.podSecurityContext "context" $) | nindent 8 }}
              {{- end }}
              hostNetwork: {{ .Values.primary.hostNetwork }}
              {{- if .Values.volumePermissions.enabled }}
              initContainers:
                - name: init-chmod-data
                  image: {{ include "common.images.image" (dict "imageRoot" .Values.volumePermissions.image "global" .Values.global) }}
                  securityContext: {{- .Values.volumePermissions.containerSecurityContext | toYaml | nindent 12 }}
              {{- end }}
              containers:
                - name: db
                  image: {{ include "db.image" . }}
                  imagePullPolicy: {{ .Values.image.pullPolicy | quote }}
                  {{- if .Values.primary.containerSecurityContext.enabled }}
                  securityContext: {{- include "common.compatibility.renderSecurityContext" (dict "secContext" .Values.primary.containerSecurityContext "context" $) | nindent 12 }}
                  {{- end }}
                  {{- if .Values.primary.resources }}
                  resources: {{- toYaml .Values.primary.resources | nindent 12 }}
                  {{- else if ne .Values.primary.resourcesPreset "none" }}
                  resources: {{- include "common.resources.preset" (dict "type" .Values.primary.resourcesPreset) | nindent 12 }}
                  {{- end }}
                  {{- if .Values.primary.livenessProbe.enabled }}
                  livenessProbe:
                    tcpSocket:
                      port: db
                    initialDelaySeconds: {{ .Values.primary.livenessProbe.initialDelaySeconds }}
                  {{- end }}
                  {{- if .Values.primary.readinessProbe.enabled }}
                  readinessProbe: {{- include "common.tplvalues.render" (dict "value" (omit .Values.primary.readinessProbe "enabled") "context" $) | nindent 12 }}
                    exec:
                      command: ["pg_isready"]
                  {{- end }}
                {{- if .Values.metrics.enabled }}
                - name: metrics
                  image: {{ include "common.images.image" (dict "imageRoot" .Values.metrics.image "global" .Values.global) }}
                  {{- if .Values.metrics.containerSecurityContext.enabled }}
                  securityContext: {{- include "common.compatibility.renderSecurityContext" (dict "secContext" .Values.metrics.containerSecurityContext "context" $) | nindent 12 }}
                  {{- end }}
                  resources: {{- toYaml .Values.metrics.resources | nindent 12 }}
                {{- end }}
        ---
        {{- if .Values.configuration }}
        apiVersion: v1
        kind: ConfigMap
        data:
          pod.yaml: |
            containers:
              - name: not-a-container
                image: {{ .Values.other.image }}
        {{- end }}
        """

    /// A hardened bitnami-style base: no finding.
    static let bitnamiValues = """
        image:
          registry: docker.io
          repository: bitnami/db
          tag: "16.4.0"
          pullPolicy: IfNotPresent
        primary:
          automountServiceAccountToken: false
          hostNetwork: false
          podSecurityContext:
            enabled: true
            fsGroup: 1001
            seccompProfile:
              type: RuntimeDefault
          containerSecurityContext:
            enabled: true
            runAsUser: 1001
            runAsNonRoot: true
            privileged: false
            readOnlyRootFilesystem: true
            allowPrivilegeEscalation: false
            capabilities:
              drop: ["ALL"]
          resourcesPreset: "nano"
          resources: {}
          livenessProbe:
            enabled: true
            initialDelaySeconds: 30
          readinessProbe:
            enabled: true
            initialDelaySeconds: 5
        volumePermissions:
          enabled: false
          image:
            repository: bitnami/os-shell
            tag: latest
          containerSecurityContext:
            runAsUser: 0
        metrics:
          enabled: false
          image:
            repository: bitnami/exporter
            tag: latest
          containerSecurityContext:
            enabled: false
          resources: {}
        serviceAccount:
          create: true
          automountServiceAccountToken: false
        """

    /// The bitnami chart as a unit, with an optional override file and extra `Chart.yaml` lines.
    static func bitnamiChart(override: String? = nil, chartExtra: String = "") -> AnalysisUnit {
        var files = [SourceText(path: "db/values.yaml", text: bitnamiValues)]
        if let override { files.append(SourceText(path: "db/values-prod.yaml", text: override)) }
        return AnalysisUnit(
            language: "helm-values", name: "db", files: files,
            contextFiles: [
                SourceText(path: "db/Chart.yaml", text: "apiVersion: v2\nname: db\nversion: 1.0.0\nappVersion: \"16.4.0\"\n" + chartExtra),
                SourceText(path: "db/templates/_helpers.tpl", text: bitnamiHelpers),
                SourceText(path: "db/templates/statefulset.yaml", text: bitnamiStatefulSet),
            ])
    }

    static let prometheusDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        spec:
          template:
            spec:
              automountServiceAccountToken: {{ .Values.automountServiceAccountToken }}
              {{- with .Values.securityContext }}
              securityContext:
                {{- toYaml . | nindent 8 }}
              {{- end }}
              containers:
              - name: exporter
                image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
                imagePullPolicy: {{ .Values.image.pullPolicy }}
                {{- with .Values.containerSecurityContext }}
                securityContext:
                  {{- toYaml . | nindent 10 }}
                {{- end }}
                resources:
        {{ toYaml .Values.resources | indent 10 }}
                livenessProbe:
                  httpGet:
                    path: /healthz
                    port: http
                readinessProbe:
                  httpGet:
                    path: /ready
                    port: http
        """

    /// A hardened prometheus-community-style base: the pod's context is `securityContext`.
    static let prometheusValues = """
        image:
          repository: quay.io/prometheus/exporter
          tag: "v1.8.0"
          pullPolicy: IfNotPresent
        automountServiceAccountToken: false
        securityContext:
          runAsNonRoot: true
          runAsUser: 65534
          seccompProfile:
            type: RuntimeDefault
        containerSecurityContext:
          readOnlyRootFilesystem: true
          allowPrivilegeEscalation: false
          capabilities:
            drop: [ALL]
        resources:
          requests: {cpu: 10m, memory: 32Mi}
          limits: {memory: 64Mi}
        """

    /// The prometheus-community chart as a unit, with an optional override file.
    static func prometheusChart(override: String? = nil) -> AnalysisUnit {
        var files = [SourceText(path: "exporter/values.yaml", text: prometheusValues)]
        if let override { files.append(SourceText(path: "exporter/values-prod.yaml", text: override)) }
        return AnalysisUnit(
            language: "helm-values", name: "exporter", files: files,
            contextFiles: [
                SourceText(path: "exporter/Chart.yaml", text: "apiVersion: v2\nname: exporter\nversion: 1.0.0\nappVersion: \"v1.8.0\"\n"),
                SourceText(path: "exporter/templates/deployment.yaml", text: prometheusDeployment),
            ])
    }
}
