import HCLSyntax
import PolicyModel
import TextCore

/// Turns fix plans into edits of `.tf` and `.tfvars` files, keeping the file's layout.
///
/// `set` replaces an attribute's value (or, when the value came from a
/// variable default or a tfvars line, that definition), or inserts a line
/// with the body's indentation and `=` alignment; missing intermediate keys
/// become nested blocks. `remove` deletes an attribute's or block's lines.
struct TerraformFixWriter {
    let language: TerraformLanguage

    func edits(for plan: FixPlan, subject: Subject, in unit: AnalysisUnit) throws(FixWriteError) -> [FileEdits] {
        var current = unit
        for op in plan.operations {
            current = try apply(op, subject: subject, in: current)
        }
        var out: [FileEdits] = []
        for (old, new) in zip(unit.files, current.files) where old.text != new.text {
            out.append(FileEdits(file: old.path, edits: [TextEdit.minimal(from: old.text, to: new.text)]))
        }
        return out
    }

    private func apply(_ op: FixOperation, subject: Subject, in unit: AnalysisUnit) throws(FixWriteError) -> AnalysisUnit {
        switch op {
        case .set(let path, let value):
            if let definition = subject.origins[path]?.definition {
                return try replace(definition.file, definition.range, with: HCLRenderer.expression(value), in: unit)
            }
            let (source, block) = try locate(subject, in: unit)
            let text = try HCLBodyEditor(source: source).set(path, to: value, in: block.body, blockRange: block.range)
            return unit.replacing(file: source.path, with: text)
        case .remove(let path):
            let (source, block) = try locate(subject, in: unit)
            let text = try HCLBodyEditor(source: source).remove(path, in: block.body)
            return unit.replacing(file: source.path, with: text)
        case .transform(let name):
            throw FixWriteError("terraform has no transform named '\(name)'")
        case .insertSibling(let type, let name, let value):
            let (source, block) = try locate(subject, in: unit)
            let file = ParsedFileCache.shared.parse(source)
            if file.body.blocks.contains(where: { $0.type == "resource" && $0.labels.map(\.value) == [type, name] }) {
                throw FixWriteError("resource \"\(type)\" \"\(name)\" already exists in \(source.path)")
            }
            guard case .map(let body) = value else { throw FixWriteError("a new resource needs a body") }
            let nl = source.preferredNewline
            let text =
                nl + nl + "resource \(HCLRenderer.quoted(type)) \(HCLRenderer.quoted(name)) {" + nl
                + HCLRenderer.body(body, indent: 2, newline: nl) + "}"
            do {
                return unit.replacing(file: source.path, with: try TextEdit.apply([.insert(text, at: block.range.end)], to: source.text))
            } catch {
                throw FixWriteError(error.description)
            }
        }
    }

    private func replace(_ file: String, _ range: SourceRange, with text: String, in unit: AnalysisUnit) throws(FixWriteError)
        -> AnalysisUnit
    {
        guard let source = unit.files.first(where: { $0.path == file }) else { throw FixWriteError("no file \(file) in the module") }
        do {
            return unit.replacing(file: file, with: try TextEdit.apply([TextEdit(range: range, newText: text)], to: source.text))
        } catch {
            throw FixWriteError(error.description)
        }
    }

    /// The subject's block in the current text of its file (re-parsed: earlier operations may have moved it).
    private func locate(_ subject: Subject, in unit: AnalysisUnit) throws(FixWriteError) -> (SourceText, HCLBlock) {
        guard let source = unit.files.first(where: { $0.path == subject.file }) else {
            throw FixWriteError("no file \(subject.file) in the module")
        }
        let file = ParsedFileCache.shared.parse(source)
        guard file.diagnostics.isEmpty else { throw FixWriteError("\(subject.file) does not parse; fix the syntax first") }
        for block in file.body.blocks {
            // An instance of a counted block (aws_instance.web[0]) is fixed in the block itself.
            if let (_, _, address) = language.identity(of: block), address == subject.address || subject.address.hasPrefix(address + "[") {
                return (source, block)
            }
        }
        throw FixWriteError("\(subject.address) is no longer in \(subject.file)")
    }
}

/// Edits inside one block body of one file.
struct HCLBodyEditor {
    let source: SourceText

    private var newline: String { source.preferredNewline }

    private func column(_ offset: Int) -> Int { source.lineIndex.utf8Position(of: offset).column }

    private func lineEnd(_ offset: Int) -> Int { source.lineIndex.contentRange(ofLine: source.lineIndex.line(containing: offset)).end }

    private func apply(_ edits: [TextEdit]) throws(FixWriteError) -> String {
        do {
            return try TextEdit.apply(edits, to: source.text)
        } catch {
            throw FixWriteError(error.description)
        }
    }

    func set(_ path: ValuePath, to value: Value, in body: HCLBody, blockRange: SourceRange) throws(FixWriteError) -> String {
        guard case .key(let name)? = path.components.first else {
            throw FixWriteError("a fix path must start with an attribute or block name")
        }
        let rest = ValuePath(Array(path.components.dropFirst()))
        if let attribute = body.attribute(name) {
            if rest.isRoot {
                return try apply([TextEdit(range: attribute.expression.range, newText: HCLRenderer.expression(value))])
            }
            return try setInObject(attribute.expression, rest, value)
        }
        var blocks = body.blocks.filter { $0.type == name }
        if !blocks.isEmpty {
            var remaining = rest
            if case .index(let i)? = rest.components.first {
                guard i < blocks.count else { throw FixWriteError("no \(name) block number \(i + 1)") }
                blocks = [blocks[i]]
                remaining = ValuePath(Array(rest.components.dropFirst()))
            }
            guard !remaining.isRoot else { throw FixWriteError("cannot replace the block \(name) with a value") }
            return try set(remaining, to: value, in: blocks[0].body, blockRange: blocks[0].range)
        }
        return try insert(path, value, into: body, blockRange: blockRange)
    }

    /// Sets a key inside an object literal (`tags = { ... }`).
    private func setInObject(_ e: HCLExpression, _ path: ValuePath, _ value: Value) throws(FixWriteError) -> String {
        guard case .object(let items) = e.kind, case .key(let k)? = path.components.first else {
            throw FixWriteError("cannot set \(path) inside a value that is not an object literal")
        }
        let rest = ValuePath(Array(path.components.dropFirst()))
        for item in items {
            let keyText = source.slice(item.key.range).trimmingCharacters(in: ["\""])
            guard keyText == k else { continue }
            if rest.isRoot { return try apply([TextEdit(range: item.value.range, newText: HCLRenderer.expression(value))]) }
            return try setInObject(item.value, rest, value)
        }
        var nested = value
        for c in rest.components.reversed() {
            guard case .key(let name) = c else { throw FixWriteError("cannot create list items") }
            nested = .map(ValueMap([(name, nested)]))
        }
        let entry = "\(HCLRenderer.key(k)) = \(HCLRenderer.expression(nested))"
        if let last = items.last {
            let multiline = source.lineIndex.line(containing: e.range.start) != source.lineIndex.line(containing: e.range.end)
            if multiline {
                let pad = String(repeating: " ", count: column(last.key.range.start))
                return try apply([.insert(newline + pad + entry, at: lineEnd(last.value.range.end))])
            }
            return try apply([.insert(", " + entry, at: last.value.range.end)])
        }
        return try apply([TextEdit(range: e.range, newText: "{ \(entry) }")])
    }

    /// Inserts `name = value` (or nested blocks for the intermediate keys of a longer path) into a body.
    private func insert(_ path: ValuePath, _ value: Value, into body: HCLBody, blockRange: SourceRange) throws(FixWriteError) -> String {
        let blockIndent = column(blockRange.start)
        let firstItem = body.items.first.map { item -> Int in
            switch item {
            case .attribute(let a): return a.nameRange.start
            case .block(let b): return b.typeRange.start
            }
        }
        let indent = firstItem.map(column) ?? blockIndent + 2
        let attributes = body.attributes
        var lines: [String] = []
        var components = path.components
        guard case .key(let last)? = components.popLast() else { throw FixWriteError("a fix path must end in a name") }
        var pad = indent
        for c in components {
            guard case .key(let name) = c else { throw FixWriteError("cannot create list items") }
            lines.append(String(repeating: " ", count: pad) + "\(name) {")
            pad += 2
        }
        let name = HCLRenderer.key(last)
        var realign: [TextEdit] = []
        var padded = name
        // Line the new `=` up with the attribute group above it, as terraform fmt does; when the
        // new name is the longest, the group is re-aligned to it.
        if components.isEmpty, let anchor = attributes.last {
            let group = alignedGroup(ending: anchor, in: attributes)
            let width = max(group.map { $0.name.utf8.count }.max() ?? 0, name.utf8.count)
            for a in group {
                guard let equals = equalsOffset(a) else { continue }
                let gap = String(repeating: " ", count: width - a.name.utf8.count + 1)
                if source.slice(SourceRange(start: a.nameRange.end, end: equals)) != gap {
                    realign.append(TextEdit(range: SourceRange(start: a.nameRange.end, end: equals), newText: gap))
                }
            }
            padded = name + String(repeating: " ", count: width - name.utf8.count)
        }
        lines.append(String(repeating: " ", count: pad) + "\(padded) = \(HCLRenderer.expression(value))")
        for _ in components {
            pad -= 2
            lines.append(String(repeating: " ", count: pad) + "}")
        }
        let text = lines.joined(separator: newline)
        if let anchor = attributes.last {
            return try apply(realign + [.insert(newline + text, at: lineEnd(anchor.range.end))])
        }
        // No attribute yet: open the body after `{`.
        let bodyLine = source.lineIndex.line(containing: body.range.start)
        let blockLine = source.lineIndex.line(containing: blockRange.start)
        let closeLine = source.lineIndex.line(containing: max(blockRange.start, blockRange.end - 1))
        if blockLine == closeLine {
            // `resource "x" "y" {}` becomes a multi-line block.
            let open = body.range.start
            return try apply([
                TextEdit(
                    range: SourceRange(start: open, end: max(open, blockRange.end - 1)),
                    newText: newline + text + newline + String(repeating: " ", count: blockIndent))
            ])
        }
        _ = bodyLine
        return try apply([.insert(newline + text, at: lineEnd(blockRange.start))])
    }

    /// The offset of the `=` after an attribute's name.
    private func equalsOffset(_ a: HCLAttribute) -> Int? {
        var i = a.nameRange.end
        while i < a.expression.range.start {
            if source.bytes[i] == UInt8(ascii: "=") { return i }
            i += 1
        }
        return nil
    }

    /// The single-line attributes on consecutive lines ending with `anchor` (terraform fmt's alignment group).
    private func alignedGroup(ending anchor: HCLAttribute, in attributes: [HCLAttribute]) -> [HCLAttribute] {
        let index = source.lineIndex
        var group: [HCLAttribute] = []
        var expectedLine = index.line(containing: anchor.range.end)
        for a in attributes.reversed() {
            let first = index.line(containing: a.range.start)
            let last = index.line(containing: a.range.end)
            guard first == last, last == expectedLine else { break }
            group.insert(a, at: 0)
            expectedLine = first - 1
        }
        return group
    }

    /// Removes an attribute or block (with its whole lines).
    func remove(_ path: ValuePath, in body: HCLBody) throws(FixWriteError) -> String {
        guard path.components.count == 1, case .key(let name)? = path.components.first else {
            throw FixWriteError("can only remove a top-level attribute or block of the subject")
        }
        let range: SourceRange
        if let a = body.attribute(name) {
            range = a.range
        } else if let b = body.blocks.first(where: { $0.type == name }) {
            range = b.range
        } else {
            return source.text
        }
        let index = source.lineIndex
        let first = index.line(containing: range.start)
        let last = index.line(containing: max(range.start, range.end - 1))
        let start = index.lineStarts[first]
        guard source.slice(SourceRange(start: start, end: range.start)).allSatisfy({ $0 == " " || $0 == "\t" }) else {
            throw FixWriteError("cannot remove \(name): it shares its line with other content")
        }
        let end = last + 1 < index.lineCount ? index.lineStarts[last + 1] : source.bytes.count
        return try apply([TextEdit(range: SourceRange(start: start, end: end), newText: "")])
    }
}
