import PolicyModel
import TextCore

/// A node of a parsed CEL expression with its range in the expression text.
public struct CELNode: Sendable {
    /// The expression.
    public var expr: CELExpr
    /// Where it is in the expression text.
    public var range: SourceRange
}

/// The comprehension macros.
public enum CELMacro: String, Sendable {
    case all, exists
    case existsOne = "exists_one"
    case map, filter
}

/// A CEL expression.
public indirect enum CELExpr: Sendable {
    case literal(Value)
    case ident(String)
    /// Field selection; `testOnly` is the `has(e.f)` macro.
    case select(CELNode, String, testOnly: Bool)
    case index(CELNode, CELNode)
    /// A global call (`size(x)`) or a receiver call (`x.startsWith(y)`).
    case call(target: CELNode?, function: String, args: [CELNode])
    case list([CELNode])
    case map([(key: CELNode, value: CELNode)])
    case conditional(CELNode, CELNode, CELNode)
    case not(CELNode)
    case negate(CELNode)
    case and(CELNode, CELNode)
    case or(CELNode, CELNode)
    /// A binary operator: `== != < <= > >= in + - * / %`.
    case binary(String, CELNode, CELNode)
    /// A comprehension macro: range, iteration variable, optional filter (for 3-argument map), body.
    case comprehension(CELMacro, range: CELNode, variable: String, filter: CELNode?, body: CELNode)
}
