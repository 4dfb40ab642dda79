import PolicyModel
import TextCore
import YAMLSyntax

/// The facts of a chart's `Chart.yaml` that rules may use as `subject.chart`.
struct HelmChart {
    var name: String
    var version: String
    var appVersion: String
    /// The charts this one depends on, as `Chart.yaml` declares them.
    var dependencies: [Dependency] = []

    /// A declared dependency: its values live under `alias` (or `name`) in this chart's values.
    struct Dependency: Hashable {
        var name: String
        var alias: String?
        var condition: String?
        /// The chart repository it comes from (`oci://registry-1.docker.io/bitnamicharts`), empty when not given.
        var repository: String = ""

        /// The key of the dependency's section in the parent's values.
        var valuesKey: String { alias ?? name }
    }

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
        for item in root["dependencies"]?.items ?? [] {
            guard let name = item["name"]?.scalar?.value, !name.isEmpty else { continue }
            let alias = item["alias"]?.scalar?.value
            let condition = item["condition"]?.scalar?.value
            dependencies.append(
                Dependency(
                    name: name, alias: alias?.isEmpty == false ? alias : nil, condition: condition?.isEmpty == false ? condition : nil,
                    repository: item["repository"]?.scalar?.value ?? ""))
        }
    }

    var value: Value {
        .map(ValueMap([("name", .string(name)), ("version", .string(version)), ("appVersion", .string(appVersion))]))
    }
}
