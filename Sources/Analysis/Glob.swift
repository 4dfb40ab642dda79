/// Glob matching for config patterns: `*` within a path segment, `**` across segments, `?` one character.
public enum Glob {
    /// Whether `path` (slash-separated, relative) matches `pattern`.
    public static func matches(_ pattern: String, _ path: String) -> Bool {
        let p = Array(pattern.utf8)
        let s = Array(path.utf8)
        return match(p[...], s[...])
    }

    private static func match(_ p: ArraySlice<UInt8>, _ s: ArraySlice<UInt8>) -> Bool {
        var p = p
        var s = s
        while let c = p.first {
            if c == UInt8(ascii: "*") {
                if p.dropFirst().first == UInt8(ascii: "*") {
                    var rest = p.dropFirst(2)
                    if rest.first == UInt8(ascii: "/") { rest = rest.dropFirst() }
                    var t = s
                    while true {
                        if match(rest, t) { return true }
                        guard !t.isEmpty else { return false }
                        t = t.dropFirst()
                    }
                }
                let rest = p.dropFirst()
                var t = s
                while true {
                    if match(rest, t) { return true }
                    guard let f = t.first, f != UInt8(ascii: "/") else { return false }
                    t = t.dropFirst()
                }
            }
            guard let f = s.first else { return false }
            if c != UInt8(ascii: "?") && c != f { return false }
            if c == UInt8(ascii: "?") && f == UInt8(ascii: "/") { return false }
            p = p.dropFirst()
            s = s.dropFirst()
        }
        return s.isEmpty
    }
}
