import Foundation

/// The hover's markdown as plain text: emphasis marks and code backticks dropped (a lone `*`, as in a glob or
/// an expression, stays), code fences removed with their content indented, a horizontal rule as a blank line.
enum PlainText {
    private static let strong = try! NSRegularExpression(pattern: #"\*\*(\S(?:.*?\S)?)\*\*"#)
    private static let emphasis = try! NSRegularExpression(pattern: #"(?<![\w*])\*(\S(?:[^*]*?\S)?)\*(?![\w*])"#)
    private static let code = try! NSRegularExpression(pattern: #"`([^`]*)`"#)

    static func fromMarkdown(_ markdown: String) -> String {
        var lines: [String] = []
        var inFence = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") {
                inFence.toggle()
            } else if inFence {
                lines.append("    " + line)
            } else if line == "---" {
                lines.append("")
            } else {
                var text = line
                for pattern in [code, strong, emphasis] {
                    text = pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1")
                }
                lines.append(text)
            }
        }
        return lines.joined(separator: "\n")
    }
}
