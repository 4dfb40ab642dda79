import TextCore

/// A rule pack that cannot be loaded, with the file and range of the problem.
public struct RulePackError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Kind: String, Sendable, Hashable {
        case syntax, unknownKey, missingKey, wrongType, invalidValue, duplicateId, badExpression, unreadable
    }
    /// The kind.
    public var kind: Kind
    /// A sentence describing the problem.
    public var message: String
    /// The pack file.
    public var file: String
    /// Where in the file.
    public var range: SourceRange

    /// Creates the error.
    public init(_ kind: Kind, _ message: String, file: String, at range: SourceRange) {
        self.kind = kind
        self.message = message
        self.file = file
        self.range = range
    }

    public var description: String { message }
}
