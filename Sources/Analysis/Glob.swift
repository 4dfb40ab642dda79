/// Glob matching for config patterns: `*` within a path segment, `**` across segments, `?` one character.
///
/// Matching remembers the (pattern, path) positions it has already failed from, so a pattern such as
/// `**/**/**/…/x` costs at most pattern length × path length steps instead of backtracking exponentially.
public enum Glob {
    /// Whether `path` (slash-separated, relative) matches `pattern`.
    public static func matches(_ pattern: String, _ path: String) -> Bool {
        var matcher = Matcher(p: Array(pattern.utf8), s: Array(path.utf8))
        return matcher.match(0, 0)
    }

    private struct Matcher {
        let p: [UInt8]
        let s: [UInt8]
        var failed = Set<Int>()

        mutating func match(_ pi: Int, _ si: Int) -> Bool {
            let key = pi * (s.count + 1) + si
            if failed.contains(key) { return false }
            let result = matchUncached(pi, si)
            if !result { failed.insert(key) }
            return result
        }

        private mutating func matchUncached(_ start: Int, _ from: Int) -> Bool {
            var pi = start
            var si = from
            while pi < p.count {
                let c = p[pi]
                if c == UInt8(ascii: "*") {
                    if pi + 1 < p.count && p[pi + 1] == UInt8(ascii: "*") {
                        var rest = pi + 2
                        if rest < p.count && p[rest] == UInt8(ascii: "/") { rest += 1 }
                        var t = si
                        while true {
                            if match(rest, t) { return true }
                            guard t < s.count else { return false }
                            t += 1
                        }
                    }
                    var t = si
                    while true {
                        if match(pi + 1, t) { return true }
                        guard t < s.count, s[t] != UInt8(ascii: "/") else { return false }
                        t += 1
                    }
                }
                guard si < s.count else { return false }
                let f = s[si]
                if c != UInt8(ascii: "?") && c != f { return false }
                if c == UInt8(ascii: "?") && f == UInt8(ascii: "/") { return false }
                pi += 1
                si += 1
            }
            return si == s.count
        }
    }
}
