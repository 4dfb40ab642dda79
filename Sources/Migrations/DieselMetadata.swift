import Foundation
import PolicyModel
import TextCore

/// Diesel's per-migration `metadata.toml` (beside `up.sql`): `run_in_transaction = false` runs the
/// migration outside the transaction Diesel otherwise wraps it in.
///
/// A unit carries these files among its context files; they are settings, not migrations.
enum DieselMetadata {
    /// Whether a context file is a migration's settings rather than SQL.
    static func isSettings(_ path: String) -> Bool { path.hasSuffix("/metadata.toml") || path == "metadata.toml" }

    /// Whether the TOML text says `run_in_transaction = false` (at the top level, before any table).
    static func runsOutsideTransaction(_ toml: String) -> Bool {
        for raw in toml.split(separator: "\n") {
            var line = Substring(raw)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("[") { return false }
            let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0] == "run_in_transaction" { return parts[1] == "false" }
        }
        return false
    }

    /// The directories of the migrations whose `metadata.toml` among `files` opts out of the transaction.
    static func directoriesOutsideTransaction(_ files: [SourceText]) -> Set<String> {
        Set(files.filter { isSettings($0.path) && runsOutsideTransaction($0.text) }.map { $0.path.parentPath })
    }
}
