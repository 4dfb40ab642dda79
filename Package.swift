// swift-tools-version: 6.0
import PackageDescription

// Every target declares exactly the modules it imports (CI builds with
// --explicit-target-dependency-import-check error); targets are listed bottom up, as in the README's code map.
let package = Package(
    name: "goldpath",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "goldpath", targets: ["goldpath"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        .target(name: "TextCore"),
        .systemLibrary(
            name: "CLibYAML", pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]),
        .target(name: "YAMLSyntax", dependencies: ["CLibYAML", "TextCore"]),
        .target(name: "HCLSyntax", dependencies: ["TextCore"]),
        .systemLibrary(name: "CPgQuery", providers: [.apt(["libpg-query-dev"])]),
        .target(name: "SQLSyntax", dependencies: ["CPgQuery", "TextCore"]),
        .target(name: "PolicyModel", dependencies: ["TextCore"]),
        .target(name: "CEL", dependencies: ["PolicyModel", "TextCore"]),
        .target(name: "YAMLValues", dependencies: ["PolicyModel", "TextCore", "YAMLSyntax"]),
        .target(name: "Rules", dependencies: ["CEL", "PolicyModel", "TextCore", "YAMLSyntax", "YAMLValues"]),
        .target(name: "HelmValues", dependencies: ["PolicyModel", "TextCore", "YAMLSyntax", "YAMLValues"]),
        .target(name: "Migrations", dependencies: ["PolicyModel", "SQLSyntax", "TextCore"]),
        .target(name: "Terraform", dependencies: ["HCLSyntax", "PolicyModel", "TextCore", "YAMLSyntax"]),
        .target(
            name: "Decisions",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "GRDB", package: "GRDB.swift"), "PolicyModel", "Rules",
                "TextCore",
            ]),
        .executableTarget(name: "goldpath-embed-packs"),
        .plugin(name: "EmbedRulePacks", capability: .buildTool(), dependencies: ["goldpath-embed-packs"]),
        .target(
            name: "Analysis",
            dependencies: [
                "CEL", "Decisions", "HelmValues", "Migrations", "PolicyModel", "Rules", "Terraform", "TextCore", "YAMLSyntax", "YAMLValues",
            ],
            plugins: ["EmbedRulePacks"]),
        .target(name: "JSONRPC"),
        .target(name: "LanguageServer", dependencies: ["Analysis", "JSONRPC", "PolicyModel", "TextCore"]),
        .target(name: "MCPFraming", dependencies: ["PolicyModel"]),
        .target(name: "MCPServer", dependencies: ["Analysis", "JSONRPC", "MCPFraming"]),
        .executableTarget(
            name: "goldpath",
            dependencies: ["Analysis", .product(name: "ArgumentParser", package: "swift-argument-parser"), "LanguageServer", "MCPServer"]),
        .target(name: "CELConformance", dependencies: ["CEL", "PolicyModel"]),
        .executableTarget(name: "goldpath-cel-conformance", dependencies: ["CELConformance"]),
        .executableTarget(name: "goldpath-hcl-corpus", dependencies: ["HCLSyntax", "TextCore"]),
        .executableTarget(name: "goldpath-sql-corpus", dependencies: ["SQLSyntax", "TextCore"]),
        .target(
            name: "FuzzTargets",
            dependencies: ["CEL", "HCLSyntax", "JSONRPC", "MCPFraming", "PolicyModel", "SQLSyntax", "Terraform", "TextCore", "YAMLSyntax"]
        ),
        .executableTarget(name: "goldpath-fuzz", dependencies: ["FuzzTargets"]),
        .target(name: "TestSupport", dependencies: ["TextCore"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "PolicyModel", "Rules", "TextCore"]),
        .testTarget(
            name: "CELTests", dependencies: ["CEL", "CELConformance", "PolicyModel", "TextCore"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "DecisionsTests",
            dependencies: ["Decisions", .product(name: "GRDB", package: "GRDB.swift"), "PolicyModel", "Rules", "TextCore"]),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets"]),
        .testTarget(name: "HCLSyntaxTests", dependencies: ["HCLSyntax", "TextCore"]),
        .testTarget(name: "HelmValuesTests", dependencies: ["HelmValues", "PolicyModel", "TextCore"]),
        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC"]),
        .testTarget(name: "LanguageServerTests", dependencies: ["Decisions", "JSONRPC", "LanguageServer", "PolicyModel", "TextCore"]),
        .testTarget(name: "MCPServerTests", dependencies: ["JSONRPC", "MCPFraming", "MCPServer"]),
        .testTarget(name: "MigrationsTests", dependencies: ["Analysis", "Migrations", "PolicyModel", "Rules", "TextCore"]),
        .testTarget(name: "RulesTests", dependencies: ["Analysis", "PolicyModel", "Rules", "TestSupport", "TextCore"]),
        .testTarget(name: "SQLSyntaxTests", dependencies: ["SQLSyntax", "TextCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TerraformTests", dependencies: ["Analysis", "PolicyModel", "Terraform", "TestSupport", "TextCore"]),
        .testTarget(name: "TextCoreTests", dependencies: ["TextCore"]),
        .testTarget(name: "YAMLSyntaxTests", dependencies: ["TextCore", "YAMLSyntax"]),
    ]
)
