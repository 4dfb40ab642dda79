import Analysis
import Foundation
import JSONRPC

/// An open document: its text and version, as the client last sent them.
struct OpenDocument: Sendable {
    var uri: String
    var path: String
    var version: Int
    var text: String
}

/// A unit report, valid for one document version and one workspace generation.
struct CachedReport: Sendable {
    var version: Int
    var generation: Int
    var report: UnitReport
}

/// Conversions between `file://` URIs and paths.
enum DocumentURI {
    static func path(_ uri: String) -> String {
        guard let url = URL(string: uri), url.isFileURL else { return uri }
        return url.path
    }

    static func uri(_ path: String) -> String { URL(fileURLWithPath: path).absoluteString }
}

/// LSP positions in the negotiated encoding (UTF-16 by default, UTF-8 when the client offers it).
struct PositionCodec: Sendable {
    var utf8: Bool

    func offset(_ position: JSONPosition, in index: LineIndex) -> Int {
        let p = LineColumn(line: position.line, column: position.character)
        return utf8 ? index.offset(utf8: p) : index.offset(utf16: p)
    }

    func position(_ offset: Int, in index: LineIndex) -> JSONPosition {
        let p = utf8 ? index.utf8Position(of: offset) : index.utf16Position(of: offset)
        return JSONPosition(line: p.line, character: p.column)
    }

    func range(_ r: SourceRange, in index: LineIndex) -> JSONRange {
        JSONRange(start: position(r.start, in: index), end: position(r.end, in: index))
    }
}

struct JSONPosition: Codable, Sendable, Hashable {
    var line: Int
    var character: Int

    /// As a JSON object, built directly (a JSONEncoder round trip per diagnostic was a quarter of an edit's time).
    var json: JSON { .object(["line": .number(Double(line)), "character": .number(Double(character))]) }
}

struct JSONRange: Codable, Sendable, Hashable {
    var start: JSONPosition
    var end: JSONPosition

    /// As a JSON object, built directly.
    var json: JSON { .object(["start": start.json, "end": end.json]) }

    /// Reads `{start: {line, character}, end: {...}}` without a decoder round trip; nil when malformed.
    init?(_ json: JSON?) {
        guard let s = json?["start"], let e = json?["end"], let sl = s["line"]?.int, let sc = s["character"]?.int, let el = e["line"]?.int,
            let ec = e["character"]?.int, sl >= 0, sc >= 0, el >= 0, ec >= 0
        else { return nil }
        start = JSONPosition(line: sl, character: sc)
        end = JSONPosition(line: el, character: ec)
    }

    init(start: JSONPosition, end: JSONPosition) {
        self.start = start
        self.end = end
    }
}

/// Applies an LSP content change (full, or ranged) to a text.
enum ContentChange {
    static func apply(range: JSONRange?, text: String, to current: String, codec: PositionCodec) -> String {
        guard let range else { return text }
        let source = SourceText(path: "", text: current)
        let start = codec.offset(range.start, in: source.lineIndex)
        let end = max(start, codec.offset(range.end, in: source.lineIndex))
        return (try? TextEdit.apply([TextEdit(range: SourceRange(start: start, end: end), newText: text)], to: current)) ?? current
    }
}

/// The ids of requests the client cancelled (`$/cancelRequest`) before the server ran them.
///
/// The transport records a cancellation as soon as it reads it, while the
/// server may still be busy with an earlier message; the server answers a
/// cancelled request with RequestCancelled instead of running it.
public final class CancelledRequests: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: Set<JSON> = []

    /// Records that the client cancelled the request `id`.
    public func cancel(_ id: JSON) { lock.withLock { _ = ids.insert(id) } }
    /// Whether the request `id` was cancelled.
    public func contains(_ id: JSON) -> Bool { lock.withLock { ids.contains(id) } }
    /// Forgets `id` once its request was answered.
    public func forget(_ id: JSON) { lock.withLock { _ = ids.remove(id) } }
}
