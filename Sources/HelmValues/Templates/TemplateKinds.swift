import TextCore

/// Which templates a chart scan can pass over: a template whose every `kind:` is a literal kind the lowering
/// never reads (a ConfigMap of dashboards, a PrometheusRule, a Service) renders no container, ServiceAccount,
/// RBAC role or binding, PodDisruptionBudget or NetworkPolicy, and defines no named template, so its outline
/// adds nothing. Large charts are mostly such files (kube-prometheus-stack's dashboards and rules).
enum TemplateKinds {
    /// Kinds that render nothing the lowering reads.
    static let unread: Set<Substring> = [
        "Service", "ConfigMap", "Secret", "Ingress", "IngressClass", "ServiceMonitor", "PodMonitor", "PrometheusRule", "Probe",
        "HorizontalPodAutoscaler", "VerticalPodAutoscaler", "PersistentVolumeClaim", "PersistentVolume", "StorageClass",
        "Certificate", "Issuer", "ClusterIssuer", "CustomResourceDefinition", "APIService", "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration", "Namespace", "LimitRange", "ResourceQuota", "PriorityClass", "Endpoints",
        "EndpointSlice", "Route", "Gateway", "HTTPRoute", "BackendConfig", "FrontendConfig", "ManagedCertificate",
    ]

    /// Whether a chart scan must read `text`: it defines a named template, writes a document kind (a `kind:` at the
    /// start of a line) that is computed or that the lowering reads, writes no document kind at all (a helper, a list
    /// rendered from values), or quotes a `"kind"` key. A `kind:` further in (a CRD's schema, an autoscaler's target)
    /// names no document of its own.
    static func mustScan(_ text: String) -> Bool {
        if definesTemplate(text) || text.containsBytes("\"kind\"") { return true }
        var found = false
        var rest = Substring(text)
        while let r = rest.firstByteRange(of: "kind:") {
            let after = rest[r.upperBound...]
            rest = after
            guard r.lowerBound == text.startIndex || text.utf8[text.utf8.index(before: r.lowerBound)] == UInt8(ascii: "\n") else {
                continue
            }
            let value = after.drop { $0 == " " || $0 == "\t" }.prefix { $0 != "\n" && $0 != "\r" && $0 != " " && $0 != "#" }
            guard unread.contains(value) else { return true }
            found = true
        }
        return !found
    }

    /// Whether `text` defines a named template (`{{- define "name" }}`): `define`, blanks, then a quoted name.
    static func definesTemplate(_ text: String) -> Bool {
        var rest = Substring(text)
        while let r = rest.firstByteRange(of: "define") {
            let after = rest[r.upperBound...]
            if let next = after.utf8.first(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }),
                next == UInt8(ascii: "\"") || next == UInt8(ascii: "`")
            {
                return true
            }
            rest = after
        }
        return false
    }
}
