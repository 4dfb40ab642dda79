import PolicyModel

/// Where a chart reads one part of a container or its pod from (a role such as `securityContext`), under what condition.
struct RoleSource: Hashable, Sendable {
    /// What the part is rendered from.
    enum Content: Hashable, Sendable {
        /// The value at a values path.
        case values(ValuePath)
        /// A bitnami-style preset named by the value at a path (`resourcesPreset: small`); `write` is where explicit values go.
        case preset(ValuePath, write: ValuePath)
        /// A fixed value the template writes itself.
        case literal(Value)
        /// A structure the template writes, whose fields have their own content.
        case fields([Field])
        /// A list the template writes: items (key `-`) and values lists spliced in (key `+`), in order.
        case items([Field])
        /// Rendered from several values in a way that is not followed.
        case unknown
    }

    /// One field of a structure a template writes.
    struct Field: Hashable, Sendable {
        var key: String
        var gate: TemplateCondition
        var content: Content
    }

    /// The part is rendered from this source only when the condition holds.
    var gate: TemplateCondition
    /// What it is rendered from.
    var content: Content
}

/// One container as a chart renders it: which values feed each part of it and of its pod, and when it exists.
///
/// Built from the chart's templates when they are at hand, else from a known
/// values layout; the lowering turns it into a `helm.workload` subject whose
/// value uses one vocabulary whatever the chart's key names
/// (`securityContext` is the container's, `podSecurityContext` the pod's).
struct WorkloadShape: Hashable, Sendable {
    /// The roles the lowering resolves; a template shape that renders none of a role has it absent.
    static let roles = [
        "image", "securityContext", "podSecurityContext", "resources", "livenessProbe", "readinessProbe", "startupProbe",
        "hostNetwork", "hostPID", "hostIPC", "automountServiceAccountToken", "serviceAccountName", "serviceAccountAutomount",
        "volumes", "ports", "serviceAccountRBAC", "affinity", "topologySpreadConstraints", "replicas", "podDisruptionBudget",
        "networkPolicy",
    ]

    /// The values map the workload's own settings sit in (`primary`, `metrics`, the root).
    var base: ValuePath
    /// The roles that are the pod's, shared by all its containers.
    static let podRoles = [
        "podSecurityContext", "hostNetwork", "hostPID", "hostIPC", "automountServiceAccountToken", "serviceAccountName",
        "serviceAccountAutomount", "serviceAccountRBAC", "volumes", "affinity", "topologySpreadConstraints", "replicas",
        "podDisruptionBudget", "networkPolicy",
    ]

    /// The container's name in the template, when it is a literal.
    var container: String?
    /// Where it came from: a template file, or a layout's name.
    var origin: String
    /// The Kubernetes kind of the object the template renders (`Deployment`, `Job`), when it is written literally.
    var kind: String?
    /// Whether it is an init container.
    var isInit: Bool
    /// The container is rendered only when this holds.
    var gate: TemplateCondition
    /// For each role, its sources in template order: the first whose gate holds is rendered.
    var roles: [String: [RoleSource]]
    /// Whether only what the values set explicitly is known (a subchart's section: its defaults live in the subchart),
    /// so rules about something missing do not apply.
    var partial: Bool = false
    /// Whether roles with no source are absent (the templates are known) or read from `base` under their own name.
    var rolesAreComplete: Bool
    /// Whether an empty image tag renders as the chart's appVersion (`.Values.image.tag | default .Chart.AppVersion`).
    var appVersionTag: Bool = false
    /// How the pod's `serviceAccountName` is written in the template (see `ChartTemplateScanner`), to match it with the
    /// subjects of the chart's RoleBindings.
    var serviceAccount: String? = nil
    /// The pod the container belongs to (its template and document), so pod-level objects are matched once per pod.
    var pod: String? = nil
    /// The named template whose body holds the container, when it is written inside a `define`.
    var definedIn: String? = nil
    /// The paths under `base` the container's view ignores (see `ignoredPaths()`), worked out once the shape is final.
    var unreadPaths: [ValuePath] = []
}

extension WorkloadShape {
    /// The values paths the container's view reads: its condition, and each role's conditions and sources.
    var readPaths: [ValuePath] {
        var out = gate.paths
        for sources in roles.values {
            for source in sources { out += source.readPaths }
        }
        return out
    }

    /// The paths under `base` that the container's view ignores: the roles a template shape does not render
    /// (their keys are dropped from the view), where no condition or source of the shape reads. Empty unless the
    /// roles are complete.
    func ignoredPaths() -> [ValuePath] {
        guard rolesAreComplete else { return [] }
        let absent = WorkloadShape.roles.filter { roles[$0] == nil }.map { base.appending(key: $0) }
        guard !absent.isEmpty else { return [] }
        let reads = readPaths
        return absent.filter { path in !reads.contains { $0.hasPrefix(path) || path.hasPrefix($0) } }
    }
}

extension RoleSource {
    /// The values paths this source's condition and content read.
    var readPaths: [ValuePath] { gate.paths + content.readPaths }
}

extension RoleSource.Content {
    /// The values paths the content reads (a preset's name and where its explicit values go).
    var readPaths: [ValuePath] {
        switch self {
        case .values(let path): [path]
        case .preset(let path, let write): [path, write]
        case .literal, .unknown: []
        case .fields(let fields), .items(let fields): fields.flatMap { $0.gate.paths + $0.content.readPaths }
        }
    }
}
