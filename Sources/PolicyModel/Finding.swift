import TextCore

/// What produced a finding.
public enum FindingKind: String, Sendable, Hashable, Codable {
    /// A golden-path rule is not met.
    case rule
    /// No golden path covers the subject (first of a kind).
    case needsReview
    /// A suppression comment is malformed, expired or unused.
    case suppression
    /// The file could not be read completely.
    case syntax
    /// A value a rule needs cannot be known statically.
    case cannotVerify
}

/// A location related to a finding, such as the base file a value is merged from.
public struct RelatedLocation: Sendable, Hashable {
    /// The file.
    public var file: String
    /// The range in the file.
    public var range: SourceRange
    /// What the location is.
    public var message: String

    /// Creates a related location.
    public init(file: String, range: SourceRange, message: String) {
        self.file = file
        self.range = range
        self.message = message
    }
}

/// One result of analysis: a rule not met, a first-of-a-kind subject, a bad suppression or a syntax error.
public struct Finding: Sendable, Hashable {
    /// The rule id (`K8S001`), or a built-in id such as `needs-review` or `syntax-error`.
    public var ruleId: String
    /// The golden path the rule belongs to, if any.
    public var goldenPath: String?
    /// What produced the finding.
    public var kind: FindingKind
    /// How serious it is.
    public var severity: Severity
    /// The message shown to the user.
    public var message: String
    /// The file the finding points into.
    public var file: String
    /// The exact range it points at.
    public var range: SourceRange
    /// The subject's address, if it concerns a subject.
    public var subjectAddress: String?
    /// The subject's type, if it concerns a subject.
    public var subjectType: String?
    /// A hash that identifies the finding across line shifts.
    public var fingerprint: String
    /// A fix that was applied, re-checked and verified (set by the engine's verifier).
    public var fix: VerifiedFix?
    /// Related locations (value origins, base files).
    public var related: [RelatedLocation]

    /// Creates a finding.
    public init(
        ruleId: String, goldenPath: String? = nil, kind: FindingKind = .rule, severity: Severity, message: String,
        file: String, range: SourceRange, subjectAddress: String? = nil, subjectType: String? = nil,
        fingerprint: String = "", fix: VerifiedFix? = nil, related: [RelatedLocation] = []
    ) {
        self.ruleId = ruleId
        self.goldenPath = goldenPath
        self.kind = kind
        self.severity = severity
        self.message = message
        self.file = file
        self.range = range
        self.subjectAddress = subjectAddress
        self.subjectType = subjectType
        self.fingerprint = fingerprint
        self.fix = fix
        self.related = related
    }

    /// The identity a fix verification compares: the rule and the subject, not the position.
    public var identity: String {
        // Joined by hand: string interpolation costs several times more, and re-checks compare thousands.
        let place = subjectAddress ?? file
        var identity = ""
        identity.reserveCapacity(ruleId.utf8.count + 1 + place.utf8.count)
        identity += ruleId
        identity += "@"
        identity += place
        return identity
    }
}

/// Edits for one file.
public struct FileEdits: Sendable, Hashable {
    /// The file to edit.
    public var file: String
    /// Non-overlapping edits, in terms of the file's current text.
    public var edits: [TextEdit]
    /// Whether the fix creates the file: it does not exist yet, and the edits insert its whole text.
    public var creates: Bool
    /// For a created file: the file its statements were moved from, so that a finding on a moved statement
    /// is the same finding in its new place (its subject address names the new file).
    public var movedFrom: String?

    /// Creates file edits.
    public init(file: String, edits: [TextEdit], creates: Bool = false, movedFrom: String? = nil) {
        self.file = file
        self.edits = edits
        self.creates = creates
        self.movedFrom = movedFrom
    }

    /// A new file holding `text`.
    public static func newFile(_ path: String, _ text: String, movedFrom: String? = nil) -> FileEdits {
        FileEdits(file: path, edits: [TextEdit(range: .empty(at: 0), newText: text)], creates: true, movedFrom: movedFrom)
    }

    /// A created file's text.
    public var createdText: String? { creates ? edits.map(\.newText).joined() : nil }
}

/// A fix whose edits were applied, re-analysed and seen to clear the finding without adding one.
public struct VerifiedFix: Sendable, Hashable {
    /// A short title ("Set securityContext.runAsNonRoot to true").
    public var title: String
    /// The edits, grouped by file.
    public var edits: [FileEdits]

    /// Creates a verified fix.
    public init(title: String, edits: [FileEdits]) {
        self.title = title
        self.edits = edits
    }
}
