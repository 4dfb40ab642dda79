import TextCore

extension YAMLParser {
    /// Parses `source`, an edited version of the text `base` was parsed from, reading again only the top-level entries
    /// the edit touches: the same result as `parse(source)`, at a fraction of the cost when one key of a large values
    /// file changed (a fix's re-check, an editor's keystroke).
    ///
    /// The entries of a root block mapping whose keys start their lines are independent of one another when the text
    /// uses no anchors: each one's text, from its key's line to the next key's line, reads the same on its own. So the
    /// entries around the changed bytes are parsed on their own and put in place of the old ones, and everything after
    /// them moves by the change in length. Whenever that reasoning does not apply, the whole text is parsed: `base`
    /// had problems, more than one document, anchors or another root; the edit reaches before the first key; the
    /// entries read on their own have problems, anchors, or a key that another entry also has.
    public func parse(_ source: SourceText, editing base: YAMLFile) -> YAMLFile {
        reparse(source, editing: base) ?? parse(source)
    }

    /// The spliced parse, or nil where only a whole parse is sure to be right.
    func reparse(_ source: SourceText, editing base: YAMLFile) -> YAMLFile? {
        guard base.diagnostics.isEmpty, !base.usesAnchors, base.documents.count == 1, let document = base.documents.first,
            let root = document.root, case .mapping(let entries, .block) = root.content, root.tag == nil, root.anchor == nil
        else { return nil }
        let old = base.source.bytes
        let new = source.bytes
        let (prefix, suffix) = Self.commonEnds(old, new)
        let change = Change(prefix: prefix, oldEnd: old.count - suffix, delta: new.count - old.count, old: old, new: new)
        guard let firstKey = entries.first?.key.range.start, Self.column(of: firstKey, in: old) == 0,
            let spliced = splice(entries, column: 0, mapping: root.range, end: old.count, change: change, path: source.path)
        else { return nil }
        var newRoot = root
        newRoot.content = .mapping(spliced.entries, .block)
        newRoot.range = spliced.range
        let documentStart = document.range.start < firstKey ? document.range.start : spliced.range.start
        let documentEnd = spliced.reachesEnd ? spliced.documentEnd : document.range.end + change.delta
        let newDocument = YAMLDocument(root: newRoot, range: SourceRange(start: documentStart, end: max(documentStart, documentEnd)))
        var comments = base.comments.filter { $0.range.start < spliced.segmentStart }
        comments += spliced.comments
        comments += base.comments.filter { $0.range.start >= spliced.oldSegmentEnd }.map { $0.moved(by: change.delta) }
        return YAMLFile(source: source, documents: [newDocument], comments: comments, diagnostics: [], usesAnchors: false)
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

    /// The lengths of the longest common prefix and, of what follows it, the longest common suffix.
    static func commonEnds(_ a: [UInt8], _ b: [UInt8]) -> (prefix: Int, suffix: Int) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                let limit = min(a.count, b.count)
                var prefix = 0
                while prefix < limit && a[prefix] == b[prefix] { prefix += 1 }
                var suffix = 0
                while suffix < limit - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
                return (prefix, suffix)
            }
        }
    }
}

extension SourceRange {
    /// The range `delta` bytes later.
    fileprivate func moved(by delta: Int) -> SourceRange { SourceRange(start: start + delta, end: end + delta) }
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
