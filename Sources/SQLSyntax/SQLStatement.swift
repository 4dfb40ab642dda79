import TextCore

/// A value in a parsed statement's details, with the range of the text it came from.
public struct SQLField: Sendable, Hashable {
    /// The value.
    public var value: SQLValue
    /// Where it was written (empty at the statement's start for facts not written, such as `false` flags).
    public var range: SourceRange

    /// Creates a field.
    public init(_ value: SQLValue, _ range: SourceRange) {
        self.value = value
        self.range = range
    }
}

/// The values a parsed statement's details hold.
public enum SQLValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case list([SQLField])
    case object(SQLObject)

    /// The string, if this is one.
    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The object, if this is one.
    public var object: SQLObject? { if case .object(let o) = self { return o } else { return nil } }
    /// The list, if this is one.
    public var list: [SQLField]? { if case .list(let l) = self { return l } else { return nil } }
    /// The boolean, if this is one.
    public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
}

/// Named fields in the order they were set.
public struct SQLObject: Sendable, Hashable {
    /// The fields.
    public private(set) var fields: [(key: String, field: SQLField)] = []

    /// Creates an empty object.
    public init() {}

    /// The field named `key`.
    public subscript(key: String) -> SQLField? {
        get { fields.first { $0.key == key }?.field }
        set {
            if let i = fields.firstIndex(where: { $0.key == key }) {
                if let newValue { fields[i].field = newValue } else { fields.remove(at: i) }
            } else if let newValue {
                fields.append((key, newValue))
            }
        }
    }

    /// Sets `key` to a value written at `range`.
    public mutating func set(_ key: String, _ value: SQLValue, _ range: SourceRange) { self[key] = SQLField(value, range) }

    public static func == (a: SQLObject, b: SQLObject) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.key == $1.key && $0.field == $1.field }
    }

    public func hash(into hasher: inout Hasher) {
        for (k, f) in fields {
            hasher.combine(k)
            hasher.combine(f)
        }
    }
}

/// One statement: its kind, its details and where it is.
public struct SQLStatement: Sendable, Hashable {
    /// The kind, e.g. `create_table`, `alter_table`, `create_index`, `drop_table`, `set`, `begin`, `update`,
    /// `unknown` for a statement the parser does not know.
    public var kind: String
    /// The statement's text, from its first token to its last (the `;` excluded).
    public var range: SourceRange
    /// The `;` that ends it, if any.
    public var terminator: SourceRange?
    /// The parsed details (`table`, `columns`, `concurrently`, ...); see the parser for each kind.
    public var details: SQLObject
    /// The statement's tokens, comments excluded.
    public var tokens: [SQLToken]
    /// The comments directly above the statement (for suppressions and dbmate/goose directives).
    public var leadingComments: [SQLToken]
    /// Why the statement is `unknown` or only partly understood.
    public var problem: String?

    /// Creates a statement.
    public init(
        kind: String, range: SourceRange, terminator: SourceRange?, details: SQLObject, tokens: [SQLToken], leadingComments: [SQLToken],
        problem: String? = nil
    ) {
        self.kind = kind
        self.range = range
        self.terminator = terminator
        self.details = details
        self.tokens = tokens
        self.leadingComments = leadingComments
        self.problem = problem
    }
}

/// A parsed file: its statements, comments and lexical problems.
public struct SQLFile: Sendable {
    /// The statements in order.
    public var statements: [SQLStatement]
    /// Every comment, in order.
    public var comments: [SQLToken]
    /// Unterminated strings and comments.
    public var errors: [SQLSyntaxError]
    /// The statements PostgreSQL's grammar rejects; filled in by `checkingGrammar`.
    public var grammarErrors: [SQLGrammarError] = []

    /// The file with `grammarErrors` filled in from PostgreSQL's own parser.
    public func checkingGrammar(_ bytes: [UInt8]) -> SQLFile {
        var copy = self
        copy.grammarErrors = PostgresGrammar.errors(in: self, bytes: bytes)
        return copy
    }
}
