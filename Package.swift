// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "goldpath",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "goldpath", targets: ["goldpath"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", from: "0.12.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        .target(name: "TextCore"),
        .systemLibrary(
            name: "CLibYAML", pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]),
        .target(name: "YAMLSyntax", dependencies: ["TextCore", "CLibYAML"]),
        .target(name: "HCLSyntax", dependencies: ["TextCore"]),
        .target(name: "SQLSyntax", dependencies: ["TextCore"]),
        .target(name: "Migrations", dependencies: ["SQLSyntax", "PolicyModel", "TextCore"]),
        .target(name: "PolicyModel", dependencies: ["TextCore"]),
        .target(name: "CEL", dependencies: ["PolicyModel"]),
        .target(name: "Rules", dependencies: ["PolicyModel", "CEL", "YAMLSyntax", "TextCore"]),
        .target(name: "HelmValues", dependencies: ["YAMLSyntax", "PolicyModel", "TextCore"]),
        .target(name: "Terraform", dependencies: ["HCLSyntax", "PolicyModel", "TextCore"]),
        .target(
            name: "Decisions",
            dependencies: ["PolicyModel", "Rules", "TextCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "Analysis",
            dependencies: ["TextCore", "YAMLSyntax", "PolicyModel", "CEL", "Rules", "HelmValues", "Terraform", "Migrations", "Decisions"]),
        .target(name: "JSONRPC"),
        .target(name: "LanguageServer", dependencies: ["JSONRPC", "Analysis", "Decisions", "Rules", "PolicyModel", "TextCore"]),
        .target(
            name: "MCPServer",
            dependencies: ["Analysis", "Decisions", "Rules", "PolicyModel", "TextCore", .product(name: "MCP", package: "swift-sdk")]),
        .executableTarget(
            name: "goldpath",
            dependencies: [
                "Analysis", "Decisions", "Rules", "PolicyModel", "TextCore", "MCPServer", "CEL", "LanguageServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .target(name: "CELConformance", dependencies: ["CEL", "PolicyModel"]),
        .executableTarget(name: "goldpath-cel-conformance", dependencies: ["CELConformance"]),
        .executableTarget(name: "goldpath-hcl-corpus", dependencies: ["HCLSyntax", "TextCore"]),
        .executableTarget(name: "goldpath-sql-corpus", dependencies: ["SQLSyntax", "TextCore"]),
        .target(name: "TestSupport", dependencies: ["TextCore", "PolicyModel"]),
        .testTarget(name: "TextCoreTests", dependencies: ["TextCore", "TestSupport"]),
        .testTarget(name: "YAMLSyntaxTests", dependencies: ["YAMLSyntax", "TextCore", "TestSupport"]),
        .testTarget(name: "HCLSyntaxTests", dependencies: ["HCLSyntax", "TextCore"]),
        .testTarget(name: "TerraformTests", dependencies: ["Terraform", "Analysis", "TestSupport"]),
        .testTarget(
            name: "CELTests", dependencies: ["CEL", "CELConformance", "PolicyModel", "TextCore"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "Analysis", "TestSupport"]),
        .testTarget(name: "HelmValuesTests", dependencies: ["HelmValues", "YAMLSyntax", "TestSupport", "Analysis"]),
        .testTarget(name: "MCPServerTests", dependencies: ["MCPServer", "Analysis", .product(name: "MCP", package: "swift-sdk")]),
        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC"]),
        .testTarget(name: "MigrationsTests", dependencies: ["Migrations", "Analysis", "PolicyModel", "Rules", "TextCore"]),
        .testTarget(name: "SQLSyntaxTests", dependencies: ["SQLSyntax", "TextCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LanguageServerTests", dependencies: ["LanguageServer", "JSONRPC", "Analysis", "Decisions"]),
        .testTarget(name: "DecisionsTests", dependencies: ["Decisions", "Rules", "PolicyModel"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "TestSupport"]),
    ]
)
