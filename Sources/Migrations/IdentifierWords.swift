/// An identifier as lowercase words joined by `_`, whatever its spelling: `customer_email`, `customerEmail`,
/// `"CustomerEmail"`, `APIToken` and `api-token` all read `customer_email` / `api_token`, so one name
/// pattern (a data-classification rule's `pii_pattern`) matches them all.
enum IdentifierWords {
    static func snake(_ name: String) -> String {
        let chars = Array(name)
        var words: [String] = []
        var current = ""
        func flush() {
            if !current.isEmpty { words.append(current.lowercased()) }
            current = ""
        }
        for (i, c) in chars.enumerated() {
            if c == "_" || c == "-" || c == " " || c == "." || c == "\"" {
                flush()
                continue
            }
            if c.isUppercase, let last = current.last {
                let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase
                // A word starts at an upper-case letter after a lower-case one or a digit (customerEmail), or at the
                // last capital of an acronym followed by lower case (APIToken → API, Token).
                if last.isLowercase || last.isNumber || (last.isUppercase && nextIsLower) { flush() }
            }
            current.append(c)
        }
        flush()
        return words.joined(separator: "_")
    }
}
