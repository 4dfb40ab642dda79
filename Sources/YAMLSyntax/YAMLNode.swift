import TextCore

/// How a scalar was written; fixes keep the style of the text they replace.
public enum YAMLScalarStyle: String, Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// Whether a collection was written in block or flow (`{}` / `[]`) style.
public enum YAMLCollectionStyle: String, Sendable, Hashable {
    case block, flow
}

/// One node of a YAML document with the byte range of its text.
public struct YAMLNode: Sendable, Hashable {
    /// The node's content.
    public enum Content: Sendable, Hashable {
        case scalar(YAMLScalar)
        case mapping([YAMLMappingEntry], YAMLCollectionStyle)
        case sequence([YAMLNode], YAMLCollectionStyle)
    }

    /// The node's content.
    public var content: Content
    /// The range of the node's own text; for an alias, the range of the anchored node.
    public var range: SourceRange
    /// The explicit tag (`!!str`, `!Custom`), if any.
    public var tag: String?
    /// The anchor name defined on this node, if any.
    public var anchor: String?
    /// The range of the alias (`*name`) this node was reached through, if it was.
    public var aliasRange: SourceRange?

    /// Creates a node.
    public init(content: Content, range: SourceRange, tag: String? = nil, anchor: String? = nil) {
        self.content = content
        self.range = range
        self.tag = tag
        self.anchor = anchor
    }

    /// The scalar, if this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    /// The mapping entries, if this node is a mapping.
    public var entries: [YAMLMappingEntry]? {
        if case .mapping(let e, _) = content { return e }
        return nil
    }

    /// The sequence items, if this node is a sequence.
    public var items: [YAMLNode]? {
        if case .sequence(let i, _) = content { return i }
        return nil
    }

    /// The entry whose key is the scalar `key`, if this node is a mapping holding one (the last wins).
    public func entry(_ key: String) -> YAMLMappingEntry? {
        entries?.last { $0.key.scalar?.value == key }
    }

    /// The value stored under `key` in a mapping.
    public subscript(key: String) -> YAMLNode? { entry(key)?.value }

    /// Whether the node is a flow collection or a scalar (it fits on one line).
    public var isFlow: Bool {
        switch content {
        case .scalar: return true
        case .mapping(_, let s), .sequence(_, let s): return s == .flow
        }
    }
}

/// A scalar value as written.
public struct YAMLScalar: Sendable, Hashable {
    /// The scalar's value after unescaping and folding.
    public var value: String
    /// How it was written.
    public var style: YAMLScalarStyle

    /// Creates a scalar.
    public init(value: String, style: YAMLScalarStyle) {
        self.value = value
        self.style = style
    }
}

/// A key and its value in a mapping.
public struct YAMLMappingEntry: Sendable, Hashable {
    /// The key node (usually a plain scalar).
    public var key: YAMLNode
    /// The value node.
    public var value: YAMLNode
    /// Whether the entry came from a merge key (`<<: *base`) rather than being written here.
    public var isMerged: Bool

    /// Creates an entry.
    public init(key: YAMLNode, value: YAMLNode, isMerged: Bool = false) {
        self.key = key
        self.value = value
        self.isMerged = isMerged
    }
}

/// One document of a (possibly multi-document) YAML stream.
public struct YAMLDocument: Sendable, Hashable {
    /// The root node; `nil` for an empty document.
    public var root: YAMLNode?
    /// The range of the whole document.
    public var range: SourceRange
}

/// A problem found while reading YAML.
public struct YAMLDiagnostic: Sendable, Hashable, Error, CustomStringConvertible {
    /// How serious the problem is.
    public enum Kind: String, Sendable, Hashable {
        case syntaxError, duplicateKey, aliasExpansionLimit, unknownAlias, nestingLimit
    }
    /// The kind of problem.
    public var kind: Kind
    /// A sentence describing the problem.
    public var message: String
    /// Where it is.
    public var range: SourceRange

    /// Creates a diagnostic.
    public init(kind: Kind, message: String, range: SourceRange) {
        self.kind = kind
        self.message = message
        self.range = range
    }

    public var description: String { message }
}

/// A `#` comment found by ``YAMLCommentScanner``.
public struct YAMLComment: Sendable, Hashable {
    /// The comment text after `#`, without the line terminator.
    public var text: String
    /// The range from `#` to the end of the line.
    public var range: SourceRange
    /// Whether only whitespace precedes the comment on its line.
    public var ownLine: Bool
}

/// The result of parsing a YAML file: documents, comments and problems.
public struct YAMLFile: Sendable {
    /// The source text.
    public let source: SourceText
    /// The documents read before any syntax error.
    public var documents: [YAMLDocument]
    /// Comments, which libyaml does not report.
    public var comments: [YAMLComment]
    /// Syntax errors, duplicate keys and alias problems.
    public var diagnostics: [YAMLDiagnostic]
    /// Whether the text defines an anchor or uses an alias: its parts are then not read on their own.
    public var usesAnchors: Bool

    /// The root of the first document.
    public var root: YAMLNode? { documents.first?.root }
}
