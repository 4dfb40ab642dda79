import PolicyModel
import TextCore

/// A CEL expression that does not parse or does not check, with the range in the expression text.
public struct CELCompileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A sentence describing the problem.
    public var message: String
    /// The range in the expression's text (UTF-8 byte offsets).
    public var range: SourceRange

    /// Creates the error.
    public init(_ message: String, at range: SourceRange) {
        self.message = message
        self.range = range
    }

    public var description: String { "\(message) at offset \(range.start)" }
}

/// A runtime error of CEL evaluation (no such key, no matching overload, overflow, cost limit).
public struct CELEvalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of runtime error.
    public enum Kind: String, Sendable, Hashable {
        case noSuchKey, noSuchOverload, overflow, divideByZero, invalidArgument, costLimitExceeded, unknownIdentifier
    }
    /// The kind.
    public var kind: Kind
    /// A sentence describing the problem.
    public var message: String
    /// Where in the expression it happened.
    public var range: SourceRange

    /// Creates the error.
    public init(_ kind: Kind, _ message: String, at range: SourceRange) {
        self.kind = kind
        self.message = message
        self.range = range
    }

    public var description: String { message }
}
