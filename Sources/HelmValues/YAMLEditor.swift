import PolicyModel
import TextCore
import YAMLSyntax

/// Edits one YAML file by path while keeping its comments, indentation, key order and quoting.
///
/// Each operation returns the new text; the caller diffs old and new text
/// into a minimal edit.
struct YAMLEditor {
    let source: SourceText
    let root: YAMLNode?
    let renderer: YAMLRenderer

    init(_ source: SourceText) throws(FixWriteError) {
        try self.init(source, parsed: YAMLParser().parse(source))
    }

    /// An editor of `source`, whose parse is `yaml`.
    init(_ source: SourceText, parsed yaml: YAMLFile) throws(FixWriteError) {
        self.source = source
        if let error = yaml.diagnostics.first(where: { $0.kind == .syntaxError }) {
            throw FixWriteError("\(source.path) does not parse (\(error.message)); fix the syntax first")
        }
        root = yaml.root
        let index = source.lineIndex
        let indent = YAMLEditor.detectIndent(root) { index.utf8Position(of: $0).column }
        renderer = YAMLRenderer(indentUnit: indent ?? 2, newline: source.preferredNewline)
    }

    /// The most common indentation step of nested block mappings.
    static func detectIndent(_ root: YAMLNode?, column: (Int) -> Int) -> Int? {
        var counts: [Int: Int] = [:]
        func visit(_ node: YAMLNode) {
            guard case .mapping(let entries, .block) = node.content else {
                for item in node.items ?? [] { visit(item) }
                return
            }
            for e in entries where !e.isMerged {
                if case .mapping(let children, .block) = e.value.content, let child = children.first, !child.isMerged {
                    let step = column(child.key.range.start) - column(e.key.range.start)
                    if step > 0 && step <= 8 { counts[step, default: 0] += 1 }
                }
                visit(e.value)
            }
        }
        if let root { visit(root) }
        return counts.max { $0.value < $1.value }?.key
    }

    private func column(of offset: Int) -> Int { offset - source.lineIndex.lineStarts[source.lineIndex.line(containing: offset)] }

    private func lineEnd(of offset: Int) -> Int { source.lineIndex.contentRange(ofLine: source.lineIndex.line(containing: offset)).end }

    private func replace(_ range: SourceRange, with text: String) -> String {
        (try? TextEdit.apply([TextEdit(range: range, newText: text)], to: source.text)) ?? source.text
    }

    private func apply(_ edits: [TextEdit]) throws(FixWriteError) -> String {
        do {
            return try TextEdit.apply(edits, to: source.text)
        } catch {
            throw FixWriteError(error.description)
        }
    }

    /// Walks `path`; returns the deepest node reached, its key (if reached through one) and the steps consumed.
    private func walk(_ path: ValuePath) -> (node: YAMLNode?, key: YAMLNode?, depth: Int) {
        var node = root
        var key: YAMLNode?
        var depth = 0
        for component in path.components {
            guard let current = node else { break }
            switch component {
            case .key(let k):
                guard let e = current.entry(k), !e.isMerged else { return (current, key, depth) }
                node = e.value
                key = e.key
            case .index(let i):
                guard let items = current.items, i < items.count else { return (current, key, depth) }
                node = items[i]
                key = nil
            }
            depth += 1
        }
        return (node, key, depth)
    }

    /// Sets the value at `path`, creating missing maps.
    func set(_ path: ValuePath, to value: Value) throws(FixWriteError) -> String {
        let (found, key, depth) = walk(path)
        if depth == path.components.count, let node = found {
            return try replaceValue(node, key: key, with: value)
        }
        var rest = path.components.dropFirst(depth)
        var nested = value
        while let last = rest.popLast() {
            guard case .key(let k) = last else { throw FixWriteError("cannot create list item \(path) in \(source.path)") }
            nested = .map(ValueMap([(k, nested)]))
        }
        guard case .map(let additions) = nested else { throw FixWriteError("nothing to insert") }
        guard let parent = found else {
            // An empty document: write the keys at the top.
            let body = additions.entries.map { renderer.entry($0.key.stringValue ?? "", $0.value, indent: 0) }.joined(
                separator: renderer.newline)
            let sep = source.text.isEmpty || source.text.hasSuffix("\n") ? "" : renderer.newline
            return source.text + sep + body + renderer.newline
        }
        return try insert(additions, into: parent, key: key)
    }

    private func keyIndent(_ key: YAMLNode?) -> Int { key.map { column(of: $0.range.start) } ?? -renderer.indentUnit }

    private func insert(_ additions: ValueMap, into parent: YAMLNode, key: YAMLNode?) throws(FixWriteError) -> String {
        switch parent.content {
        case .mapping(let entries, .block) where !entries.isEmpty:
            let indent = column(of: entries.first(where: { !$0.isMerged })?.key.range.start ?? entries[0].key.range.start)
            let pad = String(repeating: " ", count: indent)
            let at = lineEnd(of: parent.range.end)
            let text = additions.entries.map { renderer.newline + pad + renderer.entry($0.key.stringValue ?? "", $0.value, indent: indent) }
                .joined()
            return try apply([.insert(text, at: at)])
        case .mapping(let entries, .flow):
            if entries.isEmpty, let key {
                return try blockAfterKey(key, replacing: parent, with: .map(additions))
            }
            let closing = parent.range.end - 1
            let text = additions.entries.map { "\($0.key.stringValue ?? ""): \(renderer.flow($0.value))" }.joined(separator: ", ")
            return try apply([.insert((entries.isEmpty ? "" : ", ") + text, at: closing)])
        case .scalar(let s) where s.value.isEmpty || ["~", "null", "Null", "NULL"].contains(s.value):
            guard let key else {
                let body = additions.entries.map { renderer.entry($0.key.stringValue ?? "", $0.value, indent: 0) }.joined(
                    separator: renderer.newline)
                return replace(parent.range, with: body)
            }
            return try blockAfterKey(key, replacing: parent, with: .map(additions))
        default:
            throw FixWriteError("cannot add keys under a \(parent.scalar != nil ? "scalar" : "list") in \(source.path)")
        }
    }

    /// Removes the inline value after `key` and writes `value` as a block on the following lines.
    private func blockAfterKey(_ key: YAMLNode, replacing node: YAMLNode, with value: Value) throws(FixWriteError) -> String {
        let indent = keyIndent(key) + renderer.indentUnit
        // Delete the old inline value and the spaces before it, keep any trailing comment.
        var start = node.range.start
        let bytes = source.bytes
        while start > key.range.end && (bytes[start - 1] == 0x20 || bytes[start - 1] == 0x09) { start -= 1 }
        let colon = start
        let lineEndOffset = lineEnd(of: key.range.start)
        var edits = [TextEdit.insert(renderer.block(value, indent: indent), at: max(lineEndOffset, node.range.end))]
        if node.range.end > colon { edits.append(TextEdit(range: SourceRange(start: colon, end: node.range.end), newText: "")) }
        return try apply(edits)
    }

    private func replaceValue(_ node: YAMLNode, key: YAMLNode?, with value: Value) throws(FixWriteError) -> String {
        if let alias = node.aliasRange {
            // Editing the anchor would change every other use of it: replace this use of the alias only.
            if let line = renderer.inline(value) { return replace(alias, with: line) }
            var aliasNode = node
            aliasNode.range = alias
            aliasNode.content = .scalar(YAMLScalar(value: "", style: .plain))
            guard let key else { throw FixWriteError("cannot replace the document root") }
            return try blockAfterKey(key, replacing: aliasNode, with: value)
        }
        if let line = renderer.inline(
            value, preferring: node.scalar.map(\.style).flatMap { [.singleQuoted, .doubleQuoted].contains($0) ? $0 : nil })
        {
            if node.isFlow || key == nil {
                return replace(node.range, with: line)
            }
            // A block collection replaced by a scalar: the value goes after the key.
            let from = key!.range.end
            var colon = from
            while colon < source.bytes.count && source.bytes[colon] != UInt8(ascii: ":") { colon += 1 }
            return replace(SourceRange(start: colon + 1, end: node.range.end), with: " " + line)
        }
        guard let key else { throw FixWriteError("cannot replace the document root") }
        if node.isFlow { return try blockAfterKey(key, replacing: node, with: value) }
        let indent = keyIndent(key) + renderer.indentUnit
        var colon = key.range.end
        while colon < source.bytes.count && source.bytes[colon] != UInt8(ascii: ":") { colon += 1 }
        let from = lineEnd(of: colon)
        return replace(SourceRange(start: from, end: max(from, node.range.end)), with: renderer.block(value, indent: indent))
    }

    /// Rewrites a plain scalar at `path` as a double-quoted string of the same characters (`1.10` → `"1.10"`).
    func quote(_ path: ValuePath) throws(FixWriteError) -> String {
        let (found, _, depth) = walk(path)
        guard depth == path.components.count, let node = found, let s = node.scalar else {
            throw FixWriteError("no scalar at \(path) in \(source.path)")
        }
        guard s.style == .plain else { return source.text }
        return replace(node.range, with: Value.quote(source.slice(node.range)))
    }

    /// Removes the key (or list item) at `path` with its whole lines.
    func remove(_ path: ValuePath) throws(FixWriteError) -> String {
        let (found, key, depth) = walk(path)
        guard depth == path.components.count, let node = found else { return source.text }
        let (parent, _, _) = walk(path.parent)
        let isFlowParent = parent?.isFlow ?? false
        let start = key?.range.start ?? node.range.start
        if isFlowParent {
            var end = node.range.end
            let bytes = source.bytes
            while end < bytes.count && (bytes[end] == 0x20) { end += 1 }
            if end < bytes.count && bytes[end] == UInt8(ascii: ",") {
                end += 1
                while end < bytes.count && bytes[end] == 0x20 { end += 1 }
                return replace(SourceRange(start: start, end: end), with: "")
            }
            var s = start
            while s > 0 && (bytes[s - 1] == 0x20) { s -= 1 }
            if s > 0 && bytes[s - 1] == UInt8(ascii: ",") { s -= 1 }
            return replace(SourceRange(start: s, end: node.range.end), with: "")
        }
        let index = source.lineIndex
        let firstLine = index.line(containing: start)
        let lineStart = index.lineStarts[firstLine]
        let before = source.slice(SourceRange(start: lineStart, end: start))
        guard before.allSatisfy({ $0 == " " || $0 == "\t" }) else {
            throw FixWriteError("cannot remove \(path): it shares its line with other content")
        }
        let lastLine = index.line(containing: max(node.range.end - (node.range.isEmpty ? 0 : 1), start))
        let end = lastLine + 1 < index.lineCount ? index.lineStarts[lastLine + 1] : source.bytes.count
        return replace(SourceRange(start: lineStart, end: end), with: "")
    }
}
