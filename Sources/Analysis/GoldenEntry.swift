/// One expectation a golden file holds for a fail example of a rule: where a finding of the rule sits, or
/// the text a fix alternative leaves in one file.
struct GoldenEntry: Hashable, Sendable {
    /// What the entry expects.
    enum Expectation: Hashable, Sendable {
        /// A finding of the rule at `location`: `line:column-line:column` (1-based, columns in code points),
        /// after the file's name when the example forms several files.
        case finding(location: String)
        /// The whole text of `file` after the fix titled `title` is applied to the example.
        case fix(title: String, file: String, text: String)
    }

    /// The rule id.
    var rule: String
    /// The fail example's 1-based number.
    var example: Int
    /// What is expected.
    var expectation: Expectation

    /// The fail example the entry belongs to, as headers and failures name it: `fail 1`.
    var exampleName: String { "fail \(example)" }

    /// The header line without its `=== ` marker: `AWS001 fail 1: finding 2:3-2:20` or
    /// `AWS001 fail 1: fix "Set storage_encrypted to true" main.tf`.
    var header: String {
        switch expectation {
        case .finding(let location): return "\(rule) \(exampleName): finding \(location)"
        case .fix(let title, let file, _): return "\(rule) \(exampleName): fix \"\(title)\" \(file)"
        }
    }
}
