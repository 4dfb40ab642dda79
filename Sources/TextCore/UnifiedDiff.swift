/// Unified diffs of two texts, as `diff -u` prints them.
public enum UnifiedDiff {
    /// The unified diff of `old` and `new` with `context` lines around each change; empty when equal.
    public static func make(old: String, new: String, oldName: String, newName: String, context: Int = 3) -> String {
        if old == new { return "" }
        let a = lines(old)
        let b = lines(new)
        let ops = diff(a, b)
        var out = "--- \(oldName)\n+++ \(newName)\n"
        var i = 0
        while i < ops.count {
            guard let firstChange = ops[i...].firstIndex(where: { $0.kind != .same }) else { break }
            let start = max(i, firstChange - context)
            var end = firstChange
            var lastChange = firstChange
            while end < ops.count {
                if ops[end].kind != .same { lastChange = end }
                if end - lastChange > 2 * context { break }
                end += 1
            }
            end = min(ops.count, lastChange + context + 1)
            let hunk = ops[start..<end]
            let oldStart = (hunk.first?.oldIndex ?? 0) + 1
            let newStart = (hunk.first?.newIndex ?? 0) + 1
            let oldCount = hunk.filter { $0.kind != .insert }.count
            let newCount = hunk.filter { $0.kind != .delete }.count
            out += "@@ -\(oldCount == 0 ? oldStart - 1 : oldStart),\(oldCount) +\(newCount == 0 ? newStart - 1 : newStart),\(newCount) @@\n"
            for op in hunk {
                switch op.kind {
                case .same: out += " " + op.text
                case .delete: out += "-" + op.text
                case .insert: out += "+" + op.text
                }
                if !op.text.hasSuffix("\n") { out += "\n\\ No newline at end of file\n" }
            }
            i = end
        }
        return out
    }

    struct Op {
        enum Kind { case same, delete, insert }
        var kind: Kind
        var text: String
        var oldIndex: Int
        var newIndex: Int
    }

    static func lines(_ s: String) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in s {
            current.append(ch)
            if ch == "\n" || ch == "\r\n" {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// A line diff by longest common subsequence, after trimming the common prefix and suffix.
    static func diff(_ a: [String], _ b: [String]) -> [Op] {
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let am = Array(a[prefix..<(a.count - suffix)])
        let bm = Array(b[prefix..<(b.count - suffix)])
        var ops: [Op] = (0..<prefix).map { Op(kind: .same, text: a[$0], oldIndex: $0, newIndex: $0) }
        let n = am.count
        let m = bm.count
        if n * m <= 4_000_000 {
            var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lcs[i][j] = am[i] == bm[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
                }
            }
            var i = 0
            var j = 0
            while i < n || j < m {
                if i < n && j < m && am[i] == bm[j] {
                    ops.append(Op(kind: .same, text: am[i], oldIndex: prefix + i, newIndex: prefix + j))
                    i += 1
                    j += 1
                } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
                    ops.append(Op(kind: .delete, text: am[i], oldIndex: prefix + i, newIndex: prefix + j))
                    i += 1
                } else {
                    ops.append(Op(kind: .insert, text: bm[j], oldIndex: prefix + i, newIndex: prefix + j))
                    j += 1
                }
            }
        } else {
            ops += am.enumerated().map { Op(kind: .delete, text: $0.element, oldIndex: prefix + $0.offset, newIndex: prefix) }
            ops += bm.enumerated().map { Op(kind: .insert, text: $0.element, oldIndex: prefix + n, newIndex: prefix + $0.offset) }
        }
        ops += (0..<suffix).map { k in
            Op(kind: .same, text: a[a.count - suffix + k], oldIndex: a.count - suffix + k, newIndex: b.count - suffix + k)
        }
        return ops
    }
}
