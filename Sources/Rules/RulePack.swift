import CEL
import PolicyModel
import TextCore

/// A loaded rule pack: golden paths and the rules each subject must satisfy.
public struct RulePack: Sendable {
    /// The pack's name (`pack:`).
    public var name: String
    /// Where the pack was loaded from (a path, or `builtin:<name>`).
    public var source: String
    /// A description of the pack.
    public var description: String?
    /// The golden paths.
    public var goldenPaths: [GoldenPath]
    /// Whether the pack was generated from reviewers' decisions (its rules have no examples).
    public var learned: Bool = false
}

/// The conditions under which a kind of change is routinely approved.
public struct GoldenPath: Sendable {
    /// A unique id.
    public var id: String
    /// A one-line title.
    public var title: String
    /// The language whose subjects it judges.
    public var language: String
    /// Subject types it selects; a trailing `*` matches a prefix.
    public var select: [String]
    /// An optional scope condition.
    public var when: CompiledExpression?
    /// Default parameters, overridable in the config.
    public var params: [String: Value]
    /// The rules.
    public var rules: [Rule]
    /// A fully compliant example, checked to conform to every rule.
    public var example: String?
    /// The pack it belongs to.
    public var pack: String
    /// A baseline applies on top of other golden paths (mandatory tags, say) and does not by
    /// itself make a subject routine: a subject only baselines select is still first of a kind.
    public var baseline: Bool
    /// In a learned pack, the human decision the golden path was generated from.
    public var decision: LearnedDecision? = nil

    /// Whether the golden path selects subjects of `type` in `language`.
    public func selects(type: String, language: String) -> Bool {
        guard language == self.language else { return false }
        return select.contains { pattern in
            pattern.hasSuffix("*") ? type.hasPrefix(String(pattern.dropLast())) : type == pattern
        }
    }
}

/// The human decision a learned golden path records (`decision:` in a learned pack), so an exported
/// pack read back by `goldpath review import` keeps who decided and when.
public struct LearnedDecision: Sendable, Equatable {
    /// `approve` or `deny`.
    public var kind: String
    /// The review request it decided (`RR-3`).
    public var request: String
    /// Who decided.
    public var reviewer: String
    /// When, as ISO 8601 UTC.
    public var time: String
    /// The decided subject's address, as signed.
    public var subject: String? = nil
    /// The fingerprint of the requested change, as signed.
    public var fingerprint: String? = nil
    /// The approval's condition exactly as the reviewer gave it (absent: approved without one).
    public var condition: String? = nil
    /// The reviewer's reason exactly as signed.
    public var reason: String? = nil
    /// The reviewer's Ed25519 signature of the decision (base64), and the public key that made it.
    public var signature: String? = nil
    /// The public key (base64) that made `signature`.
    public var key: String? = nil

    /// A decision record.
    public init(kind: String, request: String, reviewer: String, time: String) {
        self.kind = kind
        self.request = request
        self.reviewer = reviewer
        self.time = time
    }
}

/// One rule of a golden path.
public final class Rule: Sendable {
    /// A unique id (`K8S001`).
    public let id: String
    /// A one-line title.
    public let title: String
    /// The default severity.
    public let severity: Severity
    /// A condition under which the rule applies.
    public let when: CompiledExpression?
    /// The condition that must hold.
    public let require: CompiledExpression
    /// Where to report, relative to the subject.
    public let at: ValuePath?
    /// Further places to report (`at: [a, b]`): the finding goes to the first of `at` and these that is written,
    /// else to `at`.
    public let alsoAt: [ValuePath]
    /// Places computed for each subject (`ports[{{ self.ports.indexOf(...) }}].containerPort`), tried first; one whose
    /// interpolation fails is skipped.
    public let atTemplates: [MessageTemplate]
    /// The message; `{{ expr }}` parts are CEL evaluated against the subject.
    public let message: MessageTemplate
    /// Why the rule exists.
    public let rationale: String?
    /// A link to the rule's documentation.
    public let docs: String?
    /// The structured fixes, preferred first; several when the golden path allows more than one compliant form.
    public let fixes: [FixTemplate]
    /// The preferred fix, if any is safe.
    public var fix: FixTemplate? { fixes.first }
    /// Whether the rule's verdict may depend on other subjects than the one judged: its `when` or `require`
    /// calls `related()`.
    public var readsOtherSubjects: Bool { (when?.program.calls("related") ?? false) || require.program.calls("related") }
    /// Whether an inline suppression may silence it.
    public let suppressible: Bool
    /// Ids of the same check in other tools, honoured in their suppression comments.
    public let aliases: [String]
    /// Values allowed at `at` (offered as completions).
    public let allowedValues: [Value]
    /// Executable examples.
    public let examples: RuleExamples
    /// The golden path's id.
    public let goldenPath: String
    /// Where the rule is defined, for error messages.
    public let location: PackLocation

    /// Creates a rule (the loader reads them from packs; a rule never changes once made, and is shared).
    public init(
        id: String, title: String, severity: Severity, when: CompiledExpression?, require: CompiledExpression, at: ValuePath?,
        alsoAt: [ValuePath] = [], atTemplates: [MessageTemplate] = [], message: MessageTemplate, rationale: String?, docs: String?,
        fixes: [FixTemplate], suppressible: Bool, aliases: [String], allowedValues: [Value], examples: RuleExamples,
        goldenPath: String, location: PackLocation
    ) {
        self.id = id
        self.title = title
        self.severity = severity
        self.when = when
        self.require = require
        self.at = at
        self.alsoAt = alsoAt
        self.atTemplates = atTemplates
        self.message = message
        self.rationale = rationale
        self.docs = docs
        self.fixes = fixes
        self.suppressible = suppressible
        self.aliases = aliases
        self.allowedValues = allowedValues
        self.examples = examples
        self.goldenPath = goldenPath
        self.location = location
    }
}

/// The pass/fail examples of a rule.
public struct RuleExamples: Sendable {
    /// Examples that must raise the rule.
    public var fail: [RuleExample]
    /// Examples that must not raise the rule.
    public var pass: [RuleExample]
}

/// One executable example: source text and the golden-path parameters it runs with.
public struct RuleExample: Sendable {
    /// The example's text (a values file, a Terraform file).
    public var text: String
    /// Parameter overrides for this example (for rules that only apply when a platform sets a parameter).
    public var params: [String: Value]
    /// For a fail example: the fix alternatives (0 first) that must verify on it, the others must not; nil: all must.
    public var fixes: [Int]?

    /// Creates an example.
    public init(text: String, params: [String: Value] = [:], fixes: [Int]? = nil) {
        self.text = text
        self.params = params
        self.fixes = fixes
    }
}

/// A file and range inside a rule pack.
public struct PackLocation: Sendable, Hashable {
    /// The pack file.
    public var file: String
    /// The range.
    public var range: SourceRange
}

/// A compiled CEL expression with the place it was written.
public struct CompiledExpression: Sendable {
    /// The program.
    public var program: CELProgram
    /// Where it was written.
    public var location: PackLocation
}

/// A message with `{{ expr }}` interpolations.
public struct MessageTemplate: Sendable {
    /// Literal text and expression parts, in order.
    public enum Part: Sendable {
        case text(String)
        case expression(CELProgram)
    }
    /// The parts.
    public var parts: [Part]
    /// The template as written.
    public var raw: String
}

/// A fix as written in a pack: literal values and values computed by CEL.
public struct FixTemplate: Sendable {
    /// One operation.
    public enum Operation: Sendable {
        case set(ValuePath, Value)
        case setExpression(ValuePath, CELProgram)
        case remove(ValuePath)
        /// A named rewrite; its argument may interpolate `{{ expr }}` (`table_classification_comment:{{ self.classification }}`).
        case transform(MessageTemplate)
        /// A companion subject of `type`, named like this one, with a body computed by CEL.
        case insertSibling(type: String, body: CELProgram)
    }
    /// The operations in order.
    public var operations: [Operation]
    /// A title naming this alternative (`fix: [{title: ..., ...}, ...]`); nil derives one from the operations.
    public var title: String?

    /// Creates a fix template.
    public init(operations: [Operation], title: String? = nil) {
        self.operations = operations
        self.title = title
    }
}
