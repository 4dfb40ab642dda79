import TextCore

/// Where a value was written: a file and the byte ranges of its value and key.
public struct Origin: Sendable, Hashable {
    /// The file the value was written in.
    public var file: String
    /// The range of the value's text.
    public var range: SourceRange
    /// The range of the key that holds the value, for map entries.
    public var keyRange: SourceRange?
    /// Where the value was defined when it flows from elsewhere (a variable default, a tfvars
    /// line, a local): findings name it as related information and fixes edit it.
    public var definition: Definition?

    /// Creates an origin.
    public init(file: String, range: SourceRange, keyRange: SourceRange? = nil, definition: Definition? = nil) {
        self.file = file
        self.range = range
        self.keyRange = keyRange
        self.definition = definition
    }

    /// The place a value was defined, with a description such as `the default of variable "db_encrypted"`.
    public struct Definition: Sendable, Hashable {
        /// The file.
        public var file: String
        /// The range of the defining value.
        public var range: SourceRange
        /// What it is.
        public var description: String

        /// Creates a definition.
        public init(file: String, range: SourceRange, description: String) {
            self.file = file
            self.range = range
            self.description = description
        }
    }
}

/// A unit a golden path judges: a resource, a workload, a statement.
///
/// `value` is what CEL sees as `self`. `origins` records where each path's
/// value was written, so a finding can point at the exact token, and a fix
/// can edit the file the value came from.
public struct Subject: Sendable {
    /// The subject type, e.g. `helm.workload` or `resource.aws_db_instance`.
    public var type: String
    /// A short name, e.g. `worker` or `db`.
    public var name: String
    /// A stable address unique within the workspace, e.g. `charts/api:worker`.
    public var address: String
    /// The language id that produced the subject.
    public var language: String
    /// The file that holds the subject's header.
    public var file: String
    /// The range of the subject's header (where subject-level findings go).
    public var headerRange: SourceRange
    /// The subject's value (`self` in CEL).
    public var value: Value
    /// Where the value at each path was written.
    public var origins: [ValuePath: Origin]
    /// The path of the subject inside its file's document, for fixes that insert keys.
    public var path: ValuePath
    /// Extra context visible to CEL as `subject.<name>` (for example `chart`).
    public var context: [String: Value]
    /// Parts of `value` read from elsewhere in the document than under `path` (a Helm chart's
    /// `containerSecurityContext` seen as `securityContext`): a key of `value` and the document path it is read from.
    public var documentPaths: [ValuePath: ValuePath] = [:]
    /// Document paths under the subject that it is not read from: its value stays the same whatever is written
    /// there (a Helm chart whose templates render no `resources` for a container ignores the container's
    /// `resources` key in the values). A fix that writes only there cannot clear a finding of the subject.
    public var unreadPaths: [ValuePath] = []
    /// For a finding whose value was written in another file than the subject's header: why that
    /// header matters, shown there as related information (Helm: the override merged over the base).
    public var crossFileNote: String?

    /// Creates a subject.
    public init(
        type: String, name: String, address: String, language: String, file: String, headerRange: SourceRange,
        value: Value, origins: [ValuePath: Origin] = [:], path: ValuePath = .root, context: [String: Value] = [:],
        crossFileNote: String? = nil
    ) {
        self.type = type
        self.name = name
        self.address = address
        self.language = language
        self.file = file
        self.headerRange = headerRange
        self.value = value
        self.origins = origins
        self.path = path
        self.context = context
        self.crossFileNote = crossFileNote
    }

    /// Where a path of `value` is written in the subject's document: under the part's document path when
    /// it is read from elsewhere, else under `path`.
    public func documentPath(of relative: ValuePath) -> ValuePath {
        for n in stride(from: relative.components.count, through: 1, by: -1) {
            let prefix = ValuePath(Array(relative.components.prefix(n)))
            if let mounted = documentPaths[prefix] { return mounted.appending(ValuePath(Array(relative.components.dropFirst(n)))) }
        }
        return path.appending(relative)
    }

    /// Whether a value written at `relative` leaves the subject as it was: its document path lies under one of
    /// `unreadPaths`.
    public func ignoresWrite(at relative: ValuePath) -> Bool {
        guard !unreadPaths.isEmpty else { return false }
        let written = documentPath(of: relative)
        return unreadPaths.contains { written.hasPrefix($0) }
    }

    /// Whether the subject lies in `file` or any of its values was written there: a finding of it can be located in
    /// `file` (a called module's subject is judged in the calling file only when the call set one of its values).
    public func isLocated(in file: String) -> Bool {
        self.file == file || origins.values.contains { $0.file == file }
    }

    /// The origin of `path`, or of its nearest ancestor that was written, and whether it was exact.
    public func locate(_ path: ValuePath) -> (origin: Origin, exact: Bool) {
        var p = path
        var exact = true
        while !p.isRoot {
            if let o = origins[p] { return (o, exact) }
            p = p.parent
            exact = false
        }
        return (origins[.root] ?? Origin(file: file, range: headerRange), path.isRoot)
    }
}
