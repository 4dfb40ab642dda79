import HelmValues
import Migrations
import PolicyModel
import Terraform

/// The languages goldpath knows: the one list every layer reads (discovery, the pack loader, the config,
/// the editor's watchers and completion, rule examples, the MCP tools).
///
/// A new language is a target folder, one line here and a rule pack.
public enum Languages {
    /// Every language, configured by `config`. A file named directly goes to the first that accepts it.
    /// `relationTargets`: the subject types the packs' `related()` calls name (nil: unknown, every subject is kept).
    public static func all(_ config: GoldpathConfig = GoldpathConfig(), relationTargets: Set<String>? = nil) -> [any Language] {
        [
            HelmValuesLanguage(layouts: config.helmLayouts),
            TerraformLanguage(relationTargets: relationTargets),
            MigrationsLanguage(
                tool: config.migrationTool.flatMap(MigrationTool.init(rawValue:)), assumeTransaction: config.migrationTransaction),
        ]
    }

    /// The ids of every language, in the list's order.
    public static let ids: [String] = all().map(\.id)

    /// What goldpath checks, in one phrase: `Helm values (...), Terraform (...) and PostgreSQL migrations (...)`.
    public static let fileKinds: String = {
        let kinds = all().map(\.fileKinds)
        return kinds.count < 2 ? kinds.joined() : kinds.dropLast().joined(separator: ", ") + " and " + kinds.last!
    }()
}
