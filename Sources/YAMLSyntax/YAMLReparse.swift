import TextCore

extension YAMLParser {
    /// Parses `source`, an edited version of the text `base` was parsed from, reading again only the mapping entries
    /// the edit touches: the same result as `parse(source)`, at a fraction of the cost when a few keys of a large values
    /// file changed (a fix's re-check, an editor's keystroke).
    ///
    /// The entries of a block mapping whose keys start their lines are independent of one another when the text uses
    /// no anchors: each one's text, from its key's line to the next key's line, reads the same on its own. So for each
    /// place the texts differ (see `LineHunks`), the entries around it are parsed on their own (the innermost mapping's
    /// where the place lies within one entry's nested mapping) and put in place of the old ones, and everything after
    /// them moves by the change in length. Whenever that reasoning does not apply, the whole text is parsed: `base`
    /// had problems, more than one document, anchors or another root; an edit reaches before the first key; the
    /// entries read on their own have problems, anchors, or a key that another entry also has.
    public func parse(_ source: SourceText, editing base: YAMLFile) -> YAMLFile {
        reparse(source, editing: base) ?? parse(source)
    }

    /// The spliced parse, or nil where only a whole parse is sure to be right. The places the texts differ are read
    /// again one after the other, the last first, so the offsets of those before stay as they were.
    func reparse(_ source: SourceText, editing base: YAMLFile) -> YAMLFile? {
        guard base.diagnostics.isEmpty, !base.usesAnchors, base.documents.count == 1, var document = base.documents.first,
            let hunks = LineHunks.between(base.source.bytes, source.bytes, limit: Self.maxHunks)
        else { return nil }
        var comments = base.comments
        var current = base.source.bytes
        let new = source.bytes
        for (k, hunk) in hunks.enumerated().reversed() {
            // The text with this hunk and those after it applied.
            let next = k == 0 ? new : Array(current[..<hunk.old.lowerBound]) + new[hunk.new.lowerBound...]
            let change = Change(
                prefix: hunk.old.lowerBound, oldEnd: hunk.old.upperBound, delta: hunk.new.count - hunk.old.count, old: current, new: next)
            guard let step = spliceDocument(document, comments: comments, change: change, path: source.path) else { return nil }
            (document, comments) = step
            current = next
        }
        return YAMLFile(source: source, documents: [document], comments: comments, diagnostics: [], usesAnchors: false)
    }

    /// The most places of an edit read again one by one; past it the whole text is parsed.
    static let maxHunks = 16

    /// The document and comments of `change.new`, given those of `change.old`.
    func spliceDocument(_ document: YAMLDocument, comments: [YAMLComment], change: Change, path: String) -> (YAMLDocument, [YAMLComment])? {
        guard let root = document.root, case .mapping(let entries, .block) = root.content, root.tag == nil, root.anchor == nil,
            let firstKey = entries.first?.key.range.start,
            let spliced = splice(entries, column: 0, mapping: root.range, end: change.old.count, change: change, path: path)
        else { return nil }
        var newRoot = root
        newRoot.content = .mapping(spliced.entries, .block)
        newRoot.range = spliced.range
        let documentStart = document.range.start < firstKey ? document.range.start : spliced.range.start
        let documentEnd = spliced.reachesEnd ? spliced.documentEnd : document.range.end + change.delta
        let newDocument = YAMLDocument(root: newRoot, range: SourceRange(start: documentStart, end: max(documentStart, documentEnd)))
        var newComments = comments.filter { $0.range.start < spliced.segmentStart }
        newComments += spliced.comments
        newComments += comments.filter { $0.range.start >= spliced.oldSegmentEnd }.map { $0.moved(by: change.delta) }
        return (newDocument, newComments)
    }

    /// An edit: the old text and the new, the first byte that differs, where the changed old bytes end, and the
    /// change in length.
    struct Change {
        let prefix: Int
        let oldEnd: Int
        let delta: Int
        let old: [UInt8]
        let new: [UInt8]
    }

    /// A block mapping's entries with the changed ones read again.
    struct Spliced {
        var entries: [YAMLMappingEntry]
        /// The mapping's new range.
        var range: SourceRange
        /// Whether the text read again runs to the end of the file, and where its document then ends.
        var reachesEnd: Bool
        var documentEnd: Int
        /// The old text read again, and the comments found in its new text.
        var segmentStart: Int
        var oldSegmentEnd: Int
        var comments: [YAMLComment]
    }

    /// Reads again the entries of a block mapping (keys starting their lines at `column`, its last entry's text ending
    /// at `end`) that the change touches: within one entry whose value is a block mapping, that mapping's entries;
    /// otherwise the touched entries' text on its own. Nil when neither reads as the whole parse would.
    func splice(_ entries: [YAMLMappingEntry], column: Int, mapping: SourceRange, end: Int, change: Change, path: String) -> Spliced? {
        let old = change.old
        let new = change.new
        guard !entries.isEmpty else { return nil }
        // Each entry's span runs from the start of its key's line to the start of the next key's line (the last to `end`).
        var starts: [Int] = []
        starts.reserveCapacity(entries.count)
        for entry in entries {
            let key = entry.key.range.start
            guard Self.column(of: key, in: old) == column else { return nil }
            starts.append(key - column)
        }
        guard change.prefix >= starts[0] else { return nil }
        // The entry the change starts in; a change at the start of a span may continue the entry before it.
        var first = starts.lastIndex { $0 <= change.prefix } ?? 0
        if first > 0 && starts[first] == change.prefix { first -= 1 }
        let last = max(first, starts.lastIndex { $0 < max(change.oldEnd, change.prefix + 1) } ?? first)
        let oldSegmentEnd = last + 1 < starts.count ? starts[last + 1] : end
        let reachesEnd = last == entries.count - 1
        if first == last, let inner = nested(entries[first], end: oldSegmentEnd, change: change, path: path) {
            var spliced = inner
            var replaced = entries[first]
            replaced.value.content = .mapping(inner.entries, .block)
            replaced.value.range = inner.range
            var all = Array(entries[..<first])
            all.append(replaced)
            all += entries[(last + 1)...].map { $0.moved(by: change.delta) }
            spliced.entries = all
            spliced.range = SourceRange(start: mapping.start, end: reachesEnd ? inner.range.end : mapping.end + change.delta)
            spliced.reachesEnd = reachesEnd && inner.reachesEnd
            return spliced
        }
        let segmentStart = starts[first]
        let newSegmentEnd = oldSegmentEnd + change.delta
        // The next entry's key must still start its line.
        guard newSegmentEnd > segmentStart, oldSegmentEnd >= change.oldEnd,
            newSegmentEnd == new.count || new[newSegmentEnd - 1] == UInt8(ascii: "\n")
        else { return nil }
        let segment = SourceText(path: path, text: String(decoding: new[segmentStart..<newSegmentEnd], as: UTF8.self))
        let part = parse(segment)
        guard part.diagnostics.isEmpty, !part.usesAnchors, part.documents.count == 1, let partDocument = part.documents.first,
            let partRoot = partDocument.root, case .mapping(let partEntries, .block) = partRoot.content, !partEntries.isEmpty,
            partRoot.tag == nil, partRoot.anchor == nil
        else { return nil }
        // A key the new entries share with an entry outside them is a duplicate the whole parse reports.
        var outside = Set<String>()
        for (k, entry) in entries.enumerated() where k < first || k > last {
            guard let name = entry.key.scalar?.value else { return nil }
            outside.insert(name)
        }
        // The new entries' keys start their lines at the column of the keys around them, the first on the first line: a
        // blank line before it would be read with the entry before (a block scalar takes trailing blank lines).
        guard partEntries[0].key.range.start == column else { return nil }
        let partBytes = segment.bytes
        for entry in partEntries {
            guard let name = entry.key.scalar?.value, !outside.contains(name),
                Self.column(of: entry.key.range.start, in: partBytes) == column
            else { return nil }
        }
        var all = Array(entries[..<first])
        all.reserveCapacity(entries.count - (last - first + 1) + partEntries.count)
        all += partEntries.map { $0.moved(by: segmentStart) }
        all += entries[(last + 1)...].map { $0.moved(by: change.delta) }
        let start = first == 0 ? partRoot.range.start + segmentStart : mapping.start
        let newEnd = reachesEnd ? partRoot.range.end + segmentStart : mapping.end + change.delta
        return Spliced(
            entries: all, range: SourceRange(start: start, end: max(start, newEnd)), reachesEnd: reachesEnd,
            documentEnd: partDocument.range.end + segmentStart, segmentStart: segmentStart, oldSegmentEnd: oldSegmentEnd,
            comments: part.comments.map { $0.moved(by: segmentStart) })
    }

    /// The change read again within one entry's value, when that is a block mapping whose keys start their lines
    /// further right than the entry's own key and the change lies among them.
    private func nested(_ entry: YAMLMappingEntry, end: Int, change: Change, path: String) -> Spliced? {
        let value = entry.value
        guard case .mapping(let children, .block) = value.content, let firstKey = children.first?.key.range.start,
            value.tag == nil, value.anchor == nil, let column = Self.column(of: firstKey, in: change.old),
            let own = Self.column(of: entry.key.range.start, in: change.old), column > own, change.prefix > firstKey - column
        else { return nil }
        return splice(children, column: column, mapping: value.range, end: end, change: change, path: path)
    }

    /// The column of a byte preceded on its line by spaces only, or nil when something else precedes it.
    static func column(of offset: Int, in bytes: [UInt8]) -> Int? {
        var i = offset
        while i > 0 && bytes[i - 1] == 0x20 { i -= 1 }
        guard i == 0 || bytes[i - 1] == UInt8(ascii: "\n") else { return nil }
        return offset - i
    }
}

extension YAMLNode {
    /// The node with every range in it `delta` bytes later.
    fileprivate func moved(by delta: Int) -> YAMLNode {
        var node = self
        node.range = range.moved(by: delta)
        node.aliasRange = aliasRange?.moved(by: delta)
        switch content {
        case .scalar: break
        case .mapping(let entries, let style): node.content = .mapping(entries.map { $0.moved(by: delta) }, style)
        case .sequence(let items, let style): node.content = .sequence(items.map { $0.moved(by: delta) }, style)
        }
        return node
    }
}

extension YAMLMappingEntry {
    /// The entry with every range in it `delta` bytes later.
    fileprivate func moved(by delta: Int) -> YAMLMappingEntry {
        YAMLMappingEntry(key: key.moved(by: delta), value: value.moved(by: delta), isMerged: isMerged)
    }
}

extension YAMLComment {
    /// The comment `delta` bytes later.
    fileprivate func moved(by delta: Int) -> YAMLComment {
        var comment = self
        comment.range = range.moved(by: delta)
        return comment
    }
}
