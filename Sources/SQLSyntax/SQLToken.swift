import TextCore

/// One lexical token of PostgreSQL's SQL dialect (plus psql's meta-commands and template placeholders).
public struct SQLToken: Sendable, Hashable {
    /// What kind of token.
    public enum Kind: Sendable, Hashable {
        /// An unquoted identifier or keyword; `value` is lower-cased.
        case word
        /// A `"quoted identifier"` (or `U&"..."`); `value` is unescaped, case kept.
        case quotedIdentifier
        /// A string constant (`'...'`, `E'...'`, `U&'...'`, `B'...'`, `X'...'`, `N'...'`); `value` is its content.
        case string
        /// A dollar-quoted string `$tag$...$tag$`; `value` is its content.
        case dollarString
        /// A numeric constant.
        case number
        /// A positional parameter `$1`.
        case parameter
        /// An operator (`=`, `::`, `<>`, `||`, ...).
        case op
        /// `(`, `)`, `[`, `]`, `,`, `;`, `.`, `:`.
        case punctuation
        /// `-- ...` to the end of the line.
        case lineComment
        /// `/* ... */`, nested.
        case blockComment
        /// A psql meta-command (`\set`, `\gset`, `\.`) to the end of its line.
        case psqlMeta
        /// A template placeholder such as `{{ .Schema }}`, or a psql variable `:name`, `:'name'`.
        case placeholder
        /// The data lines of `COPY ... FROM stdin`, up to `\.`.
        case copyData
    }

    /// The kind.
    public var kind: Kind
    /// The normalised text (see the kinds).
    public var value: String
    /// The bytes it covers.
    public var range: SourceRange

    /// Creates a token.
    public init(kind: Kind, value: String, range: SourceRange) {
        self.kind = kind
        self.value = value
        self.range = range
    }

    /// Whether this is the unquoted word `w` (lower case).
    public func isWord(_ w: String) -> Bool { kind == .word && value == w }

    /// Whether this is the punctuation or operator `p`.
    public func isPunct(_ p: String) -> Bool { (kind == .punctuation || kind == .op) && value == p }

    /// Whether the token is a comment.
    public var isComment: Bool { kind == .lineComment || kind == .blockComment }

    /// Whether the token names something (a word or a quoted identifier).
    public var isIdentifier: Bool { kind == .word || kind == .quotedIdentifier }
}

/// A problem the lexer found (an unterminated string or comment); the text is still tokenised to its end.
public struct SQLSyntaxError: Sendable, Hashable {
    /// Where.
    public var range: SourceRange
    /// What.
    public var message: String

    /// Creates an error.
    public init(range: SourceRange, message: String) {
        self.range = range
        self.message = message
    }
}
