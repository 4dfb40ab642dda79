import PolicyModel
import TextCore
import YAMLSyntax

/// The facts of a chart's `Chart.yaml` that rules may use as `subject.chart`.
struct HelmChart {
    var name: String
    var version: String
    var appVersion: String

    /// Reads Chart.yaml; missing fields are empty strings.
    init(_ source: SourceText?) {
        name = ""
        version = ""
        appVersion = ""
        guard let source, let root = YAMLParser().parse(source).root else { return }
        func text(_ key: String) -> String {
            guard let node = root[key] else { return "" }
            return node.scalar?.value ?? ""
        }
        name = text("name")
        version = text("version")
        appVersion = text("appVersion")
    }

    var value: Value {
        .map(ValueMap([("name", .string(name)), ("version", .string(version)), ("appVersion", .string(appVersion))]))
    }
}
