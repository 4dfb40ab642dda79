import Testing
import TextCore

@testable import HelmValues

/// Named templates that are structure are inlined where a line of their own includes them; nothing else changes.
@Suite struct TemplateInlinerTests {
    static let helpers = SourceText(
        path: "templates/_helpers.tpl",
        text: """
            {{- define "app.container" -}}
            - name: app
              image: {{ .Values.image }}
              resources: {{- toYaml .Values.resources | nindent 2 }}
            {{- end }}
            {{- define "app.fullname" -}}
            {{ .Release.Name }}-app
            {{- end }}

            """)
    static let inliner = TemplateInliner([helpers])

    @Test func aStructuralIncludeOnItsOwnLineIsInlinedAtItsIndentation() {
        let template = "spec:\n  containers:\n    {{- include \"app.container\" . | nindent 4 }}\n"
        #expect(
            Self.inliner.inline(template)
                == "spec:\n  containers:\n    - name: app\n      image: {{ .Values.image }}\n      resources: {{- toYaml .Values.resources | nindent 6 }}\n"
        )
    }

    @Test func anIncludeOfAHelperWithoutKeysOrInsideALineLeavesTheTextAsItIs() {
        let template =
            "metadata:\n  name: {{ include \"app.fullname\" . }}\n{{ include \"app.fullname\" . }}\n{{ include \"app.container\" .Values }}\n"
        #expect(Self.inliner.inline(template) == template)
    }

    @Test func aLineOpensAndClosesControlBlocksByItsActionsFirstWords() {
        #expect(TemplateInliner.nesting("{{- if .Values.a }}{{ with .b }} x: {{ .c }}") == 2)
        #expect(TemplateInliner.nesting("  {{-end}}{{ end -}}") == -2)
        #expect(TemplateInliner.nesting("{{ define \"x\" }}{{ iffy }}{{ range\t.items }}") == 2)
        #expect(TemplateInliner.nesting("{{ if .a }} unclosed {{ end") == 1)
        // Past ASCII, by Characters: a no-break space ends the word too.
        #expect(TemplateInliner.nesting("{{ if\u{A0}.a }} é") == 1)
        #expect(TemplateInliner.nesting("{{ block\r\n") == 0)
    }

    @Test func carriageReturnsAreDroppedAndTheIncludeStillInlined() {
        let template = "containers:\r\n{{ include \"app.container\" . }}\r\n"
        #expect(
            Self.inliner.inline(template)
                == "containers:\n- name: app\n  image: {{ .Values.image }}\n  resources: {{- toYaml .Values.resources | nindent 2 }}\n")
    }
}
