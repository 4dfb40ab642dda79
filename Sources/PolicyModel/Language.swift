import Foundation
import TextCore

/// A diagnostic a language reports about a file it could not read completely.
public struct SyntaxDiagnostic: Sendable, Hashable {
    /// The file.
    public var file: String
    /// Where the problem is.
    public var range: SourceRange
    /// A sentence describing the problem.
    public var message: String
    /// How serious it is.
    public var severity: Severity

    /// Creates a syntax diagnostic.
    public init(file: String, range: SourceRange, message: String, severity: Severity = .error) {
        self.file = file
        self.range = range
        self.message = message
        self.severity = severity
    }
}

/// A suppression comment found in a file, in the language's comment syntax.
public struct SuppressionComment: Sendable, Hashable {
    /// The file.
    public var file: String
    /// The range of the whole comment.
    public var range: SourceRange
    /// The comment's text after the comment marker.
    public var text: String
    /// The line the comment applies to (zero-based): the next non-comment line for an own-line comment, else its own line.
    public var targetLine: Int

    /// Creates a suppression comment.
    public init(file: String, range: SourceRange, text: String, targetLine: Int) {
        self.file = file
        self.range = range
        self.text = text
        self.targetLine = targetLine
    }
}

extension SuppressionComment {
    /// Whether a comment's text contains a marker of some suppression syntax
    /// (goldpath's, checkov's, tfsec's, trivy's, squawk's); most comments are
    /// prose, and a byte scan rules them out cheaply: the C library's `memchr`
    /// finds each `:` and `-`, the byte that follows every marker's tool name,
    /// and only there are the names around it compared.
    public static func mayBeSuppression(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            markers.contains { separator, names in
                guard let base = bytes.baseAddress else { return false }
                var from = 0
                while from < bytes.count, let hit = memchr(base + from, Int32(separator), bytes.count - from) {
                    let at = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base
                    if names.contains(where: { matches(bytes, $0.tool, endingAt: at) && matches(bytes, $0.rest, startingAt: at) }) {
                        return true
                    }
                    from = at + 1
                }
                return false
            }
        }
    }

    /// The markers by the byte after the tool's name: the name before it and the rest from it
    /// (`goldpath:ignore`, `checkov:skip=`, `tfsec:ignore:`, `trivy:ignore:`, `squawk-ignore`).
    private static let markers: [(separator: UInt8, names: [(tool: [UInt8], rest: [UInt8])])] = [
        (
            UInt8(ascii: ":"),
            [("goldpath", ":ignore"), ("checkov", ":skip="), ("tfsec", ":ignore:"), ("trivy", ":ignore:")].map {
                (Array($0.0.utf8), Array($0.1.utf8))
            }
        ),
        (UInt8(ascii: "-"), [(Array("squawk".utf8), Array("-ignore".utf8))]),
    ]

    /// Whether `bytes` holds `part` just before `end`.
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ part: [UInt8], endingAt end: Int) -> Bool {
        end >= part.count && part.indices.allSatisfy { bytes[end - part.count + $0] == part[$0] }
    }

    /// Whether `bytes` holds `part` from `start` on.
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ part: [UInt8], startingAt start: Int) -> Bool {
        bytes.count - start >= part.count && part.indices.allSatisfy { bytes[start + $0] == part[$0] }
    }
}

extension SuppressionComment {
    /// The suppression candidates among a file's comments, each aimed at its target line: its own line for
    /// an end-of-line comment, else the next line that is neither a comment nor blank.
    public static func targeting(
        _ comments: [(text: String, range: SourceRange, ownLine: Bool)], in source: SourceText, file: String
    ) -> [SuppressionComment] {
        let candidates = comments.filter { mayBeSuppression($0.text) }
        guard !candidates.isEmpty else { return [] }
        let index = source.lineIndex
        let commentLines = Set(comments.filter(\.ownLine).map { index.line(containing: $0.range.start) })
        return candidates.map { c in
            var target = index.line(containing: c.range.start)
            if c.ownLine {
                repeat {
                    target += 1
                } while target < index.lineCount - 1
                    && (commentLines.contains(target) || source.lineText(target).allSatisfy { $0 == " " || $0 == "\t" })
            }
            return SuppressionComment(file: file, range: c.range, text: c.text, targetLine: target)
        }
    }
}

/// Files that are analysed together: a chart's values files, a Terraform module, a migrations folder.
public struct AnalysisUnit: Sendable {
    /// The language id.
    public var language: String
    /// A name for the unit (the chart or module directory).
    public var name: String
    /// The files judged, in precedence order (later files override earlier ones).
    public var files: [SourceText]
    /// Context files that are read but not judged (Chart.yaml).
    public var contextFiles: [SourceText]
    /// Paths in the unit's folder that exist but are not read (a migrations folder's down and later
    /// migrations), so that a fix creating a file picks a free name in the folder's own numbering.
    public var existingPaths: [String]

    /// Creates a unit.
    public init(language: String, name: String, files: [SourceText], contextFiles: [SourceText] = [], existingPaths: [String] = []) {
        self.language = language
        self.name = name
        self.files = files
        self.contextFiles = contextFiles
        self.existingPaths = existingPaths
    }

    /// Whether the unit holds, reads or knows of a file at `path`.
    public func knows(_ path: String) -> Bool {
        files.contains { $0.path == path } || contextFiles.contains { $0.path == path } || existingPaths.contains(path)
    }

    /// Whether both units hold the same files, context files and known paths, with the same texts.
    public func sameFiles(as other: AnalysisUnit) -> Bool {
        func same(_ a: [SourceText], _ b: [SourceText]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { $0.path == $1.path && $0.text == $1.text }
        }
        return language == other.language && name == other.name && same(files, other.files)
            && same(contextFiles, other.contextFiles) && existingPaths == other.existingPaths
    }

    /// The unit with one file's text replaced.
    public func replacing(file: String, with text: String) -> AnalysisUnit {
        var copy = self
        copy.files = files.map { $0.path == file ? SourceText(path: file, text: text) : $0 }
        return copy
    }

    /// The unit with `text` as the file at `path`: replacing the file when the unit holds it, else added last.
    public func overlaying(file path: String, with text: String) -> AnalysisUnit {
        if files.contains(where: { $0.path == path }) { return replacing(file: path, with: text) }
        var copy = self
        copy.files.append(SourceText(path: path, text: text))
        return copy
    }
}

/// What a language produces from a unit.
public struct LoweredUnit: Sendable {
    /// The subjects, in file order.
    public var subjects: [Subject]
    /// Problems reading the files.
    public var diagnostics: [SyntaxDiagnostic]
    /// Suppression comments found in the files.
    public var comments: [SuppressionComment]

    /// Creates a lowered unit.
    public init(subjects: [Subject], diagnostics: [SyntaxDiagnostic], comments: [SuppressionComment]) {
        self.subjects = subjects
        self.diagnostics = diagnostics
        self.comments = comments
    }
}

/// Why a language cannot write a fix.
public struct FixWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A sentence saying why.
    public var message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// A file language: one descriptor of everything goldpath knows about it — which files it reads and how
/// they form units, how it lowers them into subjects, how it writes fixes, its comment syntax, and how an
/// editor, a rule example or a draft reaches it.
///
/// The engine knows no language; a language knows no rule. Every layer reads the languages from one list
/// (`Languages.all` in `Analysis`), so a new language is a target, one line in that list and a pack.
public protocol Language: Sendable {
    /// The id rule packs use in `language:` (`helm-values`, `terraform`, `sql-migration`).
    var id: String { get }
    /// The comment prefix suppressions are written with (`#` or `--`).
    var commentPrefix: String { get }
    /// What the language's files are, for people and agents: `Terraform (.tf, .tfvars)`.
    var fileKinds: String { get }
    /// Glob patterns of the files the language reads, for the editor's file watchers.
    var watchedGlobs: [String] { get }
    /// Directory names discovery never enters on this language's behalf (Helm's `templates`).
    var skippedDirectories: Set<String> { get }
    /// The character between a key and its value on a line (`=` or `:`), for completion; nil when the
    /// language has no such lines.
    var keyValueSeparator: Character? { get }

    /// Whether a file name is one of this language's by convention (drafts, editors, watchers).
    func isSourceFile(named name: String) -> Bool
    /// Whether a file the user named directly is read by this language (default: ``isSourceFile(named:)``).
    func acceptsNamedFile(_ path: String) -> Bool
    /// Groups the named directories' and files' contents into units.
    func discover(_ request: DiscoveryRequest, access: any FileAccess) -> DiscoveredUnits
    /// The unit of a draft (an unsaved buffer, an agent's content) at `path`: the module, chart or
    /// migrations folder on disk around it with the draft overlaid, or the draft alone.
    /// `filename` is relative to `root`.
    func draftUnit(content: String, filename: String, root: String, access: any FileAccess) -> AnalysisUnit
    /// The unit a rule-pack example's text forms.
    func exampleUnit(_ text: String) -> AnalysisUnit
    /// A string value written as this language's literal (completion of allowed values).
    func literal(_ text: String) -> String
    /// The other tools whose suppression comments this language's files may carry, honoured through the
    /// rules' `aliases` (goldpath's own `goldpath:ignore` is always read).
    var suppressionDialects: [SuppressionDialect] { get }
    /// Whether a file-wide suppression of another tool that names no rule (squawk's `squawk-ignore-file`)
    /// covers a rule known by `aliases`.
    func fileWideSuppressionCovers(aliases: [String]) -> Bool

    /// Lowers a unit into subjects; never throws, problems become diagnostics.
    func lower(_ unit: AnalysisUnit) -> LoweredUnit
    /// Whether lowering a unit again hands back the subjects of its unchanged parts as they were (Terraform lowers
    /// only the blocks an edit changed): the engine then remembers its judgements, to reuse them for subjects judged
    /// again unchanged. Where an edit changes every subject after it (their places), remembering costs more than
    /// it saves.
    var reusesUnchangedSubjects: Bool { get }
    /// Turns a fix plan for `subject` into text edits in the unit's files.
    func edits(for plan: FixPlan, subject: Subject, atPath: ValuePath?, in unit: AnalysisUnit) throws(FixWriteError) -> [FileEdits]
    /// The part of a unit a fix in `file` can affect, which is all a fix verification needs to re-check
    /// (the whole unit unless the language knows better: a migration affects only itself and later ones).
    func scope(_ unit: AnalysisUnit, toFile file: String) -> AnalysisUnit
    /// The unit with a file a fix creates: judged, read as context, or left out when it plays no part in
    /// the analysis (a down migration). By default it is judged.
    func adding(createdFile file: SourceText, to unit: AnalysisUnit) -> AnalysisUnit
}

/// Another tool's suppression comment syntax.
public enum SuppressionDialect: String, Sendable, CaseIterable {
    /// `checkov:skip=ID[:reason]`.
    case checkov
    /// `tfsec:ignore:ID`.
    case tfsec
    /// `trivy:ignore:ID`.
    case trivy
    /// `squawk-ignore ID[, ID]` and `squawk-ignore-file [ID, ...]`.
    case squawk
}

extension Language {
    public func scope(_ unit: AnalysisUnit, toFile file: String) -> AnalysisUnit { unit }
    public func adding(createdFile file: SourceText, to unit: AnalysisUnit) -> AnalysisUnit {
        unit.overlaying(file: file.path, with: file.text)
    }
    public var skippedDirectories: Set<String> { [] }
    public func acceptsNamedFile(_ path: String) -> Bool { isSourceFile(named: path.fileName) }
    public func fileWideSuppressionCovers(aliases: [String]) -> Bool { false }
    public var reusesUnchangedSubjects: Bool { false }
}
