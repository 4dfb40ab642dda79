/// One language-neutral fix operation.
public enum FixOperation: Sendable, Hashable {
    /// Set the value at a path (creating missing maps on the way).
    case set(ValuePath, Value)
    /// Remove the key or item at a path.
    case remove(ValuePath)
    /// A language's own named rewrite.
    case transform(String)
    /// Insert a new subject of `type` named `name` next to this one (a companion resource).
    case insertSibling(type: String, name: String, value: Value)
}

/// A structured fix a rule proposes; a language's writer turns it into text edits.
public struct FixPlan: Sendable, Hashable {
    /// The operations, applied in order.
    public var operations: [FixOperation]
    /// The rule's own title for this fix (when it offers alternatives), else nil.
    public var label: String?

    /// Creates a fix plan.
    public init(_ operations: [FixOperation], label: String? = nil) {
        self.operations = operations
        self.label = label
    }

    /// A title describing the plan, e.g. "Set image.tag to \"1.4.2\"".
    public var title: String {
        if let label { return label }
        return operations.map { op -> String in
            switch op {
            case .set(let path, let value): return "Set \(path) to \(value.canonical)"
            case .remove(let path): return "Remove \(path)"
            case .transform(let name): return "Apply \(name)"
            case .insertSibling(let type, let name, _): return "Add \(type) \"\(name)\""
            }
        }.joined(separator: "; ")
    }
}
