import HCLSyntax
import PolicyModel
import TextCore

/// A parsed file of a module with its path.
struct ModuleFile {
    var path: String
    var file: HCLFile
    var isTfvars: Bool
}

/// The declarations of one Terraform module (the `.tf` files of one directory) and its variable values.
///
/// Variable values follow Terraform's precedence for files: a variable's
/// default, overridden by `terraform.tfvars`, overridden by `*.auto.tfvars`
/// in lexical order. Values given on the command line or in the environment
/// are unknown to a static check.
struct TerraformModule {
    var files: [ModuleFile]
    /// `variable` blocks by name.
    var variables: [String: (file: String, block: HCLBlock)] = [:]
    /// `locals` attributes by name.
    var locals: [String: (file: String, attribute: HCLAttribute)] = [:]
    /// tfvars assignments by variable name (the one in force).
    var tfvars: [String: (file: String, attribute: HCLAttribute)] = [:]
    /// For a module lowered as a caller's local module: the call's arguments by variable name.
    var inputs: [String: Input] = [:]

    /// A value a module call passes to a variable of the called module.
    struct Input: Hashable {
        /// The argument's value, evaluated in the caller.
        var value: Value
        /// The argument's name in the call.
        var nameRange: SourceRange
        /// The argument's value in the call, where a finding it causes is reported and its fix edits.
        var definition: Origin.Definition
    }

    init(_ unit: AnalysisUnit, inputs: [String: Input] = [:]) {
        self.inputs = inputs
        files = unit.files.map { ModuleFile(path: $0.path, file: ParsedFileCache.shared.parse($0), isTfvars: $0.path.hasSuffix(".tfvars")) }
        for f in files where !f.isTfvars {
            for block in f.file.body.blocks {
                switch block.type {
                case "variable":
                    if let name = block.labels.first?.value { variables[name] = (f.path, block) }
                case "locals":
                    for a in block.body.attributes { locals[a.name] = (f.path, a) }
                default:
                    break
                }
            }
        }
        // terraform.tfvars first, then *.auto.tfvars in lexical order: later files win.
        let tfvarsFiles = files.filter(\.isTfvars).sorted { a, b in
            let aBase = a.path.hasSuffix("/terraform.tfvars") || a.path == "terraform.tfvars"
            let bBase = b.path.hasSuffix("/terraform.tfvars") || b.path == "terraform.tfvars"
            if aBase != bBase { return aBase }
            return a.path < b.path
        }
        for f in tfvarsFiles {
            for a in f.file.body.attributes { tfvars[a.name] = (f.path, a) }
        }
    }

    /// The blocks of every `.tf` file with the file they are in.
    var blocks: [(file: String, block: HCLBlock)] {
        files.filter { !$0.isTfvars }.flatMap { f in f.file.body.blocks.map { (f.path, $0) } }
    }
}
