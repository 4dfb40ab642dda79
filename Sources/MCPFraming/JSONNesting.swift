/// How deeply a JSON text nests arrays and objects, found by a byte scan that does not parse.
package enum JSONNesting {
    /// Whether `bytes` open more than `limit` arrays or objects at once.
    ///
    /// `[` and `{` count outside strings only; a string ends at an unescaped `"`. The scan stops at
    /// the first bracket over the limit, so it reads at most the line once. Stray closing brackets do
    /// not make room for deeper nesting (the count never goes below zero); such a text is not JSON anyway.
    package static func exceeds(_ bytes: UnsafeRawBufferPointer, limit: Int) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
            default:
                break
            }
        }
        return false
    }
}
