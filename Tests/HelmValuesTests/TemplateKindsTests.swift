import Testing

@testable import HelmValues

/// A chart scan passes over a template only when its document kinds are literal kinds the lowering never reads.
@Suite struct TemplateKindsTests {
    @Test func aTemplateOfUnreadKindsIsPassedOver() {
        #expect(!TemplateKinds.mustScan("apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n---\nkind: Service\n"))
        // A CRD's schema names `kind` properties further in; only the document's own kind counts.
        #expect(
            !TemplateKinds.mustScan(
                "{{- if .Values.crds }}\nkind: CustomResourceDefinition\nspec:\n  names:\n    kind: Prometheus\n"
                    + "  description: the resource defines a setup\n"))
    }

    @Test func aTemplateThatMayRenderWhatTheLoweringReadsIsScanned() {
        #expect(TemplateKinds.mustScan("kind: ConfigMap\n---\nkind: Deployment\n"))
        #expect(TemplateKinds.mustScan("kind: {{ ternary \"ClusterRole\" \"Role\" .Values.clusterWide }}\n"))
        #expect(TemplateKinds.mustScan("kind: \"Service\"\n"))
        #expect(TemplateKinds.mustScan("{{- range .Values.extraDeploy }}\n{{ toYaml . }}\n{{- end }}\n"))
        #expect(TemplateKinds.mustScan("{\"kind\": \"Deployment\"}\nkind: Service\n"))
        #expect(TemplateKinds.mustScan("kind: Service\n{{- define \"chart.pod\" -}}\ncontainers: []\n{{- end }}\n"))
    }

    @Test func aNamedTemplateIsDefineThenAQuotedName() {
        #expect(TemplateKinds.definesTemplate("{{- define \"a.b\" -}}"))
        #expect(TemplateKinds.definesTemplate("{{define  `a`}}"))
        #expect(!TemplateKinds.definesTemplate("# the resource defines a desired setup\n"))
        #expect(!TemplateKinds.definesTemplate("undefined: x\n"))
    }
}
