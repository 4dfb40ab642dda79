import TextCore

/// A parsed HCL file: its body, comments and syntax problems.
public struct HCLFile: Sendable {
    /// The source text.
    public let source: SourceText
    /// The top-level body.
    public var body: HCLBody
    /// Every comment (`#`, `//`, `/* */`), in order.
    public var comments: [HCLComment]
    /// Syntax errors; the parser recovers after each.
    public var diagnostics: [HCLDiagnostic]
    /// The parser's state as it began each top-level item, so a parse of an edited text can resume at the last
    /// item the edit left untouched (see ``HCLParser/parse(_:reusing:)``).
    var checkpoints: [HCLCheckpoint] = []
}

/// Where the top-level loop stood as it began an item: the cursor and how much it had collected.
struct HCLCheckpoint: Sendable {
    var position: Int
    var items: Int
    var diagnostics: Int
    var comments: Int
}

/// A comment with its range.
public struct HCLComment: Sendable, Hashable {
    /// The text after `#` or `//`, or between `/*` and `*/`.
    public var text: String
    /// The range of the whole comment.
    public var range: SourceRange
    /// Whether only whitespace precedes it on its line.
    public var ownLine: Bool
}

/// A syntax error with its range.
public struct HCLDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// A sentence describing the problem.
    public var message: String
    /// Where it is.
    public var range: SourceRange

    public var description: String { message }
}

/// A body: attributes and blocks in source order.
public struct HCLBody: Sendable {
    /// The items in order.
    public var items: [HCLBodyItem]
    /// The range of the body's content.
    public var range: SourceRange

    /// The attributes of the body.
    public var attributes: [HCLAttribute] {
        items.compactMap { if case .attribute(let a) = $0 { return a } else { return nil } }
    }

    /// The blocks of the body.
    public var blocks: [HCLBlock] {
        items.compactMap { if case .block(let b) = $0 { return b } else { return nil } }
    }

    /// The attribute named `name`, if any (the last one wins).
    public func attribute(_ name: String) -> HCLAttribute? { attributes.last { $0.name == name } }
}

/// An attribute or a block.
public enum HCLBodyItem: Sendable {
    case attribute(HCLAttribute)
    case block(HCLBlock)
}

/// `name = expression`.
public struct HCLAttribute: Sendable {
    /// The attribute name.
    public var name: String
    /// The range of the name.
    public var nameRange: SourceRange
    /// The value expression.
    public var expression: HCLExpression
    /// From the name to the end of the expression.
    public var range: SourceRange
}

/// A block label: a quoted string or a bare identifier.
public struct HCLLabel: Sendable, Hashable {
    /// The label's value.
    public var value: String
    /// Its range, including quotes.
    public var range: SourceRange
}

/// `type "label" ... { body }`.
public struct HCLBlock: Sendable {
    /// The block type.
    public var type: String
    /// The range of the type keyword.
    public var typeRange: SourceRange
    /// The labels.
    public var labels: [HCLLabel]
    /// The body.
    public var body: HCLBody
    /// The range of `{`.
    public var openBraceRange: SourceRange
    /// The range of `}` (empty at the end of the text when the block is unclosed).
    public var closeBraceRange: SourceRange
    /// From the type to the closing brace.
    public var range: SourceRange

    /// The range of the header: type and labels.
    public var headerRange: SourceRange { typeRange.union(labels.last?.range ?? typeRange) }
}

/// An expression with its range.
public struct HCLExpression: Sendable {
    /// The expression.
    public var kind: HCLExpressionKind
    /// Its range.
    public var range: SourceRange

    /// Creates an expression.
    public init(_ kind: HCLExpressionKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// One step of a traversal after a splat.
public enum HCLTraversalStep: Sendable {
    case attribute(String, SourceRange)
    case index(HCLExpression)
}

/// The kinds of HCL expression (hclsyntax specification, "Expressions").
public indirect enum HCLExpressionKind: Sendable {
    /// A number as written.
    case number(String)
    case bool(Bool)
    case null
    /// A quoted or heredoc template.
    case template(HCLTemplate)
    case variable(String)
    case getAttribute(HCLExpression, String, nameRange: SourceRange)
    case index(HCLExpression, HCLExpression)
    /// The legacy `.0` index.
    case legacyIndex(HCLExpression, Int)
    /// `.*` (attribute-only) or `[*]` (full) followed by traversal steps applied to each element.
    case splat(HCLExpression, full: Bool, steps: [HCLTraversalStep])
    /// A call; `expandFinal` is the `...` after the last argument.
    case call(String, nameRange: SourceRange, arguments: [HCLExpression], expandFinal: Bool)
    case tuple([HCLExpression])
    case object([HCLObjectItem])
    case forTuple(HCLForIntro, value: HCLExpression, condition: HCLExpression?)
    case forObject(HCLForIntro, key: HCLExpression, value: HCLExpression, group: Bool, condition: HCLExpression?)
    /// `-x` or `!x`.
    case unary(String, HCLExpression)
    case binary(String, HCLExpression, HCLExpression)
    case conditional(HCLExpression, HCLExpression, HCLExpression)
    case parenthesized(HCLExpression)
    /// What the parser put where an expression could not be read.
    case invalid
}

/// An object element: key and value.
public struct HCLObjectItem: Sendable {
    /// The key: a bare identifier becomes a `variable` expression here but means the literal name.
    public var key: HCLExpression
    /// Whether the key was a bare identifier (a literal name, not a variable).
    public var keyIsIdentifier: Bool
    /// The value.
    public var value: HCLExpression
}

/// `for k, v in collection :`.
public struct HCLForIntro: Sendable {
    /// The key variable, when two names are given.
    public var keyName: String?
    /// The value variable.
    public var valueName: String
    /// The collection.
    public var collection: HCLExpression

    /// Creates a for introduction.
    public init(keyName: String?, valueName: String, collection: HCLExpression) {
        self.keyName = keyName
        self.valueName = valueName
        self.collection = collection
    }
}

/// A template: literal text, interpolations and directives.
public struct HCLTemplate: Sendable {
    /// The parts in order (strip markers already applied to literals).
    public var parts: [HCLTemplatePart]
    /// Whether it was a heredoc.
    public var isHeredoc: Bool

    /// The literal string, if the template has no interpolations or directives.
    public var literal: String? {
        var out = ""
        for p in parts {
            guard case .literal(let s, _) = p else { return nil }
            out += s
        }
        return out
    }
}

/// A part of a template.
public indirect enum HCLTemplatePart: Sendable {
    case literal(String, SourceRange)
    case interpolation(HCLExpression)
    case ifDirective(condition: HCLExpression, then: [HCLTemplatePart], else: [HCLTemplatePart]?)
    case forDirective(keyName: String?, valueName: String, collection: HCLExpression, body: [HCLTemplatePart])
}
