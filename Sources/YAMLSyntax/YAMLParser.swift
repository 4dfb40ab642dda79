import CLibYAML
import TextCore

/// Parses YAML text with the system libyaml into ``YAMLNode`` trees with byte ranges.
///
/// The parser never throws: syntax errors, duplicate keys and over-long alias
/// expansions become ``YAMLDiagnostic`` values, and the documents read before
/// the first syntax error are kept. Aliases are resolved to copies of their
/// anchored node, bounded by ``maxAliasExpansion`` nodes per file so that a
/// "billion laughs" document fails fast instead of exhausting memory. Merge
/// keys (`<<`) are resolved into the mapping that holds them.
public struct YAMLParser: Sendable {
    /// The maximum number of nodes that alias expansion may add to one file.
    public var maxAliasExpansion: Int
    /// The maximum nesting depth of collections; deeper documents are rejected
    /// so that no recursive consumer of the tree can exhaust the stack.
    public var maxDepth: Int

    /// Creates a parser.
    public init(maxAliasExpansion: Int = 100_000, maxDepth: Int = 256) {
        self.maxAliasExpansion = maxAliasExpansion
        self.maxDepth = maxDepth
    }

    /// Parses `source` into documents, comments and diagnostics.
    public func parse(_ source: SourceText) -> YAMLFile {
        var builder = TreeBuilder(source: source, maxAliasExpansion: maxAliasExpansion, maxDepth: maxDepth)
        source.bytes.withUnsafeBufferPointer { buffer in
            builder.run(buffer)
        }
        let comments = YAMLCommentScanner.scan(source, excluding: builder.nonPlainScalarRanges)
        return YAMLFile(
            source: source, documents: builder.documents, comments: comments, diagnostics: builder.diagnostics,
            usesAnchors: builder.usesAnchors)
    }

    /// Parses a string (convenience for tests and rule packs).
    public func parse(_ text: String, path: String = "<string>") -> YAMLFile {
        parse(SourceText(path: path, text: text))
    }
}

/// Builds the node tree from libyaml events.
private struct TreeBuilder {
    let source: SourceText
    let maxAliasExpansion: Int
    let maxDepth: Int
    let offsets: ScalarOffsets
    var documents: [YAMLDocument] = []
    var diagnostics: [YAMLDiagnostic] = []
    var nonPlainScalarRanges: [SourceRange] = []
    /// Whether a node defined an anchor or an alias was read (merge keys need both).
    var usesAnchors = false

    private var stack: [Frame] = []
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var expanded = 0
    private var documentStart = 0
    private var documentRoot: (node: YAMLNode, size: Int)?

    private struct Frame {
        var isMapping: Bool
        var style: YAMLCollectionStyle
        var start: Int
        var anchor: String?
        var tag: String?
        var children: [(node: YAMLNode, size: Int)] = []
    }

    init(source: SourceText, maxAliasExpansion: Int, maxDepth: Int) {
        self.source = source
        self.maxAliasExpansion = maxAliasExpansion
        self.maxDepth = maxDepth
        self.offsets = ScalarOffsets(bytes: source.bytes)
    }

    mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            diagnostics.append(YAMLDiagnostic(kind: .syntaxError, message: "cannot initialize the YAML parser", range: .empty(at: 0)))
            return
        }
        defer { yaml_parser_delete(&parser) }
        if let base = buffer.baseAddress {
            yaml_parser_set_input_string(&parser, base, buffer.count)
        } else {
            var empty: UInt8 = 0
            yaml_parser_set_input_string(&parser, &empty, 0)
        }
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                reportSyntaxError(parser)
                return
            }
            let done = event.type == YAML_STREAM_END_EVENT
            let keepGoing = handle(event)
            yaml_event_delete(&event)
            if done || !keepGoing { return }
        }
    }

    private mutating func reportSyntaxError(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            message += " (\(context))"
        }
        let offset = offsets.byteOffset(ofScalarIndex: Int(parser.problem_mark.index))
        diagnostics.append(YAMLDiagnostic(kind: .syntaxError, message: message, range: rangeForError(at: offset)))
    }

    /// A one-character range at `offset`, or the end of the text.
    private func rangeForError(at offset: Int) -> SourceRange {
        let end = min(offset + 1, source.bytes.count)
        return SourceRange(start: min(offset, end), end: end)
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int? = nil) -> String? {
        guard let pointer else { return nil }
        if let length {
            return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
        }
        return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }

    /// Handles one event; returns false to stop parsing.
    private mutating func handle(_ event: yaml_event_t) -> Bool {
        let start = offsets.byteOffset(ofScalarIndex: Int(event.start_mark.index))
        let end = offsets.byteOffset(ofScalarIndex: Int(event.end_mark.index))
        if (event.type == YAML_SEQUENCE_START_EVENT || event.type == YAML_MAPPING_START_EVENT) && stack.count >= maxDepth {
            diagnostics.append(
                YAMLDiagnostic(
                    kind: .nestingLimit, message: "collections nest deeper than \(maxDepth) levels; the document is not read",
                    range: SourceRange(start: start, end: max(start, end))))
            return false
        }
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documentStart = start
            documentRoot = nil
            anchors = [:]
        case YAML_DOCUMENT_END_EVENT:
            documents.append(YAMLDocument(root: documentRoot?.node, range: SourceRange(start: documentStart, end: max(documentStart, end))))
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value = string(scalar.value, length: Int(scalar.length)) ?? ""
            let style: YAMLScalarStyle
            switch scalar.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let range = SourceRange(start: start, end: max(start, end))
            if style != .plain { nonPlainScalarRanges.append(range) }
            let node = YAMLNode(
                content: .scalar(YAMLScalar(value: value, style: style)), range: range,
                tag: string(scalar.tag), anchor: string(scalar.anchor))
            return add(node, size: 1)
        case YAML_ALIAS_EVENT:
            usesAnchors = true
            let name = string(event.data.alias.anchor) ?? ""
            let range = SourceRange(start: start, end: max(start, end))
            guard let target = anchors[name] else {
                diagnostics.append(
                    YAMLDiagnostic(kind: .unknownAlias, message: "alias *\(name) refers to no anchor defined before it", range: range))
                let placeholder = YAMLNode(
                    content: .scalar(YAMLScalar(value: "", style: .plain)), range: range, tag: "tag:yaml.org,2002:null")
                return add(placeholder, size: 1)
            }
            expanded += target.size
            if expanded > maxAliasExpansion {
                diagnostics.append(
                    YAMLDiagnostic(
                        kind: .aliasExpansionLimit,
                        message:
                            "alias expansion exceeds \(maxAliasExpansion) nodes (a recursive or exponential alias structure); the document is not read",
                        range: range))
                return false
            }
            var copy = target.node
            copy.anchor = nil
            copy.aliasRange = range
            return add(copy, size: target.size)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            stack.append(
                Frame(
                    isMapping: false, style: data.style == YAML_FLOW_SEQUENCE_STYLE ? .flow : .block, start: start,
                    anchor: string(data.anchor), tag: string(data.tag)))
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            stack.append(
                Frame(
                    isMapping: true, style: data.style == YAML_FLOW_MAPPING_STYLE ? .flow : .block, start: start,
                    anchor: string(data.anchor), tag: string(data.tag)))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return true }
            let endOffset: Int
            if frame.style == .flow {
                endOffset = end
            } else {
                endOffset = frame.children.last.map { $0.node.range.end } ?? frame.start
            }
            let range = SourceRange(start: frame.start, end: max(frame.start, endOffset))
            let size = 1 + frame.children.reduce(0) { $0 + $1.size }
            let content: YAMLNode.Content
            if frame.isMapping {
                content = .mapping(buildEntries(frame.children.map(\.node)), frame.style)
            } else {
                content = .sequence(frame.children.map(\.node), frame.style)
            }
            return add(YAMLNode(content: content, range: range, tag: frame.tag, anchor: frame.anchor), size: size)
        default:
            break
        }
        return true
    }

    private mutating func add(_ node: YAMLNode, size: Int) -> Bool {
        if let anchor = node.anchor {
            anchors[anchor] = (node, size)
            usesAnchors = true
        }
        if stack.isEmpty {
            documentRoot = (node, size)
        } else {
            stack[stack.count - 1].children.append((node, size))
        }
        return true
    }

    /// Pairs keys with values, reports duplicate keys and resolves merge keys.
    private mutating func buildEntries(_ children: [YAMLNode]) -> [YAMLMappingEntry] {
        var explicit: [YAMLMappingEntry] = []
        var mergeSources: [(index: Int, nodes: [YAMLNode])] = []
        var seen: [String: SourceRange] = [:]
        var i = 0
        while i + 1 < children.count {
            let key = children[i]
            let value = children[i + 1]
            i += 2
            if let s = key.scalar, s.style == .plain, s.value == "<<", key.tag == nil || key.tag == "tag:yaml.org,2002:merge" {
                let nodes = value.items ?? [value]
                mergeSources.append((explicit.count, nodes.filter { $0.entries != nil }))
                continue
            }
            if let name = key.scalar?.value {
                if let first = seen[name] {
                    let line = source.lineIndex.line(containing: first.start) + 1
                    diagnostics.append(
                        YAMLDiagnostic(
                            kind: .duplicateKey, message: "duplicate key \"\(name)\" (first defined on line \(line)); the last one wins",
                            range: key.range))
                }
                seen[name] = key.range
            }
            explicit.append(YAMLMappingEntry(key: key, value: value))
        }
        guard !mergeSources.isEmpty else { return explicit }
        // Explicit keys win over merged ones; among merged sources the earlier one wins.
        var taken = Set(explicit.compactMap { $0.key.scalar?.value })
        var result: [YAMLMappingEntry] = []
        var inserted: [Int: [YAMLMappingEntry]] = [:]
        for source in mergeSources {
            for node in source.nodes {
                for entry in node.entries ?? [] {
                    guard let name = entry.key.scalar?.value, !taken.contains(name) else { continue }
                    taken.insert(name)
                    var merged = entry
                    merged.isMerged = true
                    inserted[source.index, default: []].append(merged)
                }
            }
        }
        for (index, entry) in explicit.enumerated() {
            result.append(contentsOf: inserted[index] ?? [])
            result.append(entry)
        }
        result.append(contentsOf: inserted[explicit.count] ?? [])
        return result
    }
}

/// Maps libyaml's mark indexes (counted in Unicode scalars) to UTF-8 byte offsets.
struct ScalarOffsets {
    private let table: [Int]?
    private let byteCount: Int

    init(bytes: [UInt8]) {
        byteCount = bytes.count
        guard bytes.contains(where: { $0 >= 0x80 }) else {
            table = nil
            return
        }
        var t: [Int] = []
        t.reserveCapacity(bytes.count + 1)
        for (i, b) in bytes.enumerated() where (b & 0xC0) != 0x80 {
            t.append(i)
        }
        t.append(bytes.count)
        table = t
    }

    func byteOffset(ofScalarIndex index: Int) -> Int {
        guard let table else { return max(0, min(index, byteCount)) }
        return table[max(0, min(index, table.count - 1))]
    }
}
