import Analysis
import ArgumentParser
import Foundation

/// `goldpath init`: writes a commented `.goldpath.yaml` for the repository it finds.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented .goldpath.yaml that enables the packs for the Helm values, Terraform and PostgreSQL migrations found.")

    @Argument(help: "The repository (default: the working directory).") var directory: String = "."

    /// The built-in packs each language's files call for.
    static let packs: [(language: String, packs: [String])] = [
        ("helm-values", ["kubernetes"]), ("terraform", ["terraform", "aws", "azure", "gcp"]), ("sql-migration", ["postgres"]),
    ]

    func run() throws {
        let path = (directory as NSString).appendingPathComponent(".goldpath.yaml")
        if FileManager.default.fileExists(atPath: path) {
            printError("\(path): error: a config is already there; edit it, or remove it to start again")
            throw ExitCode(2)
        }
        let ws = Workspace.load(openDecisions: false)
        let (units, _) = ws.discovery.units(for: [directory])
        let text = InitCommand.config(found: Dictionary(grouping: units, by: \.language).mapValues(\.count))
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            printError("\(path): error: cannot write the config: \(error.localizedDescription)")
            throw ExitCode(2)
        }
        print("wrote \(path)")
    }

    /// The config text for the units found, by language.
    static func config(found: [String: Int]) -> String {
        let names = [
            "helm-values": ("chart", "charts"), "terraform": ("Terraform module", "Terraform modules"),
            "sql-migration": ("migrations folder", "migrations folders"),
        ]
        let summary = packs.compactMap { entry -> String? in
            guard let n = found[entry.language], n > 0, let name = names[entry.language] else { return nil }
            return "\(n) \(n == 1 ? name.0 : name.1)"
        }
        let enabled = packs.filter { (found[$0.language] ?? 0) > 0 }.flatMap(\.packs)
        return """
            # goldpath configuration, written by `goldpath init`. See the README's "Configuration" section.
            # Found: \(summary.isEmpty ? "nothing goldpath reads yet" : summary.joined(separator: ", ")).

            # The rule packs in force (built-in names or paths to a team's own packs).
            packs: [\((enabled.isEmpty ? packs.flatMap(\.packs) : enabled).joined(separator: ", "))]

            # Thresholds per golden path (`goldpath rules explain ID` shows a rule's parameters), e.g.
            # params:
            #   k8s-chart: {max_replicas: 30, ingress_classes: [nginx]}
            #   k8s-platform-choices: {require_image_digest: true}

            # Severity per rule; off switches a rule off.
            # severity: {K8S036: off}

            # First-of-a-kind changes (no golden path covers them): their severity, or off.
            # foak_severity: warning

            # Inline `goldpath:ignore` comments count only with an approved waiver when set to require-approval.
            # suppressions: inline

            # Paths never checked.
            # exclude: ["vendor/**"]

            # The review loop's decisions and audit trail (created by `goldpath review` and the servers).
            # store: .goldpath/goldpath.db

            """
    }
}
