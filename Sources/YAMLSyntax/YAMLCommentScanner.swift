import TextCore

/// Finds `#` comments in YAML text, which libyaml does not report.
///
/// A `#` starts a comment at the start of a line or after whitespace, unless
/// it lies inside a quoted or block scalar (whose ranges the parser supplies).
public enum YAMLCommentScanner {
    /// Returns the comments of `source`, skipping `#` inside the `excluding` ranges.
    public static func scan(_ source: SourceText, excluding: [SourceRange]) -> [YAMLComment] {
        let excluded = excluding.sorted { $0.start < $1.start }
        let lines = source.lineIndex
        var comments: [YAMLComment] = []
        var e = 0
        // By pointer: a values file is read once per lowering and re-check, and bitnami's are mostly comments.
        source.bytes.withUnsafeBufferPointer { bytes in
            for line in 0..<lines.lineCount {
                let content = lines.contentRange(ofLine: line)
                var i = content.start
                var onlySpaceBefore = true
                while i < content.end {
                    let b = bytes[i]
                    if b == UInt8(ascii: "#") && (i == content.start || bytes[i - 1] == 0x20 || bytes[i - 1] == 0x09) {
                        while e < excluded.count && excluded[e].end <= i { e += 1 }
                        var inside = false
                        var k = e
                        while k < excluded.count && excluded[k].start <= i {
                            if excluded[k].contains(offset: i) {
                                inside = true
                                break
                            }
                            k += 1
                        }
                        if !inside {
                            let range = SourceRange(start: i, end: content.end)
                            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 1)..<content.end]), as: UTF8.self)
                            comments.append(YAMLComment(text: text, range: range, ownLine: onlySpaceBefore))
                            break
                        }
                    }
                    if b != 0x20 && b != 0x09 { onlySpaceBefore = false }
                    i += 1
                }
            }
        }
        return comments
    }
}
