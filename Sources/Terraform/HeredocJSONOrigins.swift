import HCLSyntax
import PolicyModel
import TextCore
import YAMLSyntax

/// Where the keys and items of a JSON document written in a heredoc (`policy = <<EOF {...} EOF`) are, so a rule
/// over the decoded document (`policy.Statement[0].Action`) points at the line that holds it.
///
/// The heredoc's bytes are read from the file as written (indentation is only whitespace to JSON), each `${…}`
/// interpolation is blanked to the same length so offsets stay the file's, and the text is read with libyaml
/// (JSON is YAML's flow style), whose node ranges then map straight back into the file.
enum HeredocJSONOrigins {
    /// Origins under `path` for the JSON heredoc `expression` of `source`; empty when it is not JSON.
    static func origins(of expression: HCLExpression, in source: SourceText, at path: ValuePath) -> [ValuePath: Origin] {
        guard case .template(let template) = expression.kind, template.isHeredoc,
            !template.parts.contains(where: {
                if case .literal = $0 { return false } else if case .interpolation = $0 { return false } else { return true }
            })
        else { return [:] }
        let bytes = Array(source.text.utf8)
        let range = expression.range
        guard range.end <= bytes.count, let newline = bytes[range.start..<range.end].firstIndex(of: 0x0A) else { return [:] }
        var contentEnd = range.end
        while contentEnd > newline + 1 && bytes[contentEnd - 1] != 0x0A { contentEnd -= 1 }
        let start = newline + 1
        guard start < contentEnd else { return [:] }
        var content = Array(bytes[start..<contentEnd])
        guard blankInterpolations(&content), let first = content.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        else { return [:] }
        let parsed = YAMLParser().parse(String(decoding: content, as: UTF8.self), path: source.path)
        guard parsed.diagnostics.isEmpty, let root = parsed.root else { return [:] }
        var out: [ValuePath: Origin] = [:]
        record(root, at: path, shift: start, file: source.path, into: &out)
        return out
    }

    /// Replaces each `${…}` with `x`s of the same length; false when a `%{` directive makes the text no JSON.
    private static func blankInterpolations(_ text: inout [UInt8]) -> Bool {
        var i = 0
        while i + 1 < text.count {
            if text[i] == UInt8(ascii: "%") && text[i + 1] == UInt8(ascii: "{") { return false }
            guard text[i] == UInt8(ascii: "$") && text[i + 1] == UInt8(ascii: "{") else {
                i += 1
                continue
            }
            var depth = 0
            var j = i + 1
            while j < text.count {
                if text[j] == UInt8(ascii: "{") { depth += 1 }
                if text[j] == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 { break }
                }
                j += 1
            }
            guard j < text.count else { return false }
            for k in i...j where text[k] != 0x0A { text[k] = UInt8(ascii: "x") }
            i = j + 1
        }
        return true
    }

    private static func record(_ node: YAMLNode, at path: ValuePath, shift: Int, file: String, into out: inout [ValuePath: Origin]) {
        if let entries = node.entries {
            for entry in entries {
                guard let key = entry.key.scalar?.value else { continue }
                let p = path.appending(key: key)
                out[p] = Origin(file: file, range: entry.value.range.moved(by: shift), keyRange: entry.key.range.moved(by: shift))
                record(entry.value, at: p, shift: shift, file: file, into: &out)
            }
        } else if let items = node.items {
            for (i, item) in items.enumerated() {
                let p = path.appending(.index(i))
                out[p] = Origin(file: file, range: item.range.moved(by: shift))
                record(item, at: p, shift: shift, file: file, into: &out)
            }
        }
    }
}
