import Foundation
import SQLSyntax
import TextCore

/// Parsed files (with PostgreSQL's verdict on their grammar), the latest version of each path: re-checking a
/// unit after a fix re-parses only the file the fix changed, and a check keeps one parse per file (a fix's
/// edited text replaces the file's parse; the plans that read the text on disk were made before). Each `MigrationsLanguage` value owns one, so it
/// lives as long as the workspace that holds the language.
final class ParseCache: @unchecked Sendable {
    private let files = RecentVersions<String, SQLFile>(depth: 1)

    func parse(_ source: SourceText) -> SQLFile {
        files.value(source.path, text: source.text) { SQLParser.parse(source.bytes).checkingGrammar(source.bytes) }
    }
}
