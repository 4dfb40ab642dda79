import Foundation

/// Splits a byte stream into messages framed by `Content-Length` headers (the LSP base protocol).
///
/// Bytes may arrive in any pieces: a message split across reads, or several
/// in one read. A malformed header block is reported and skipped up to the
/// next header, so one bad frame does not stop the stream.
public struct MessageFramer: Sendable {
    private var buffer: [UInt8] = []
    /// How far the buffer was searched for the end of a header without finding it (a search resumes there).
    private var scanned = 0

    /// What the framer found.
    public enum Frame: Sendable, Hashable {
        case message(Data)
        case malformed(String)
    }

    /// The largest message body accepted (a larger `Content-Length` is reported, not buffered).
    public static let maxMessageBytes = 64 << 20

    public init() {}

    /// The longest header accepted: bytes that hold no header end within it are dropped.
    public static let maxHeaderBytes = 64 << 10

    /// Adds bytes and returns every complete frame.
    public mutating func append(_ bytes: [UInt8]) -> [Frame] {
        buffer += bytes
        var frames: [Frame] = []
        while let headerEnd = findHeaderEnd() {
            let header = String(decoding: buffer[0..<headerEnd], as: UTF8.self)
            var length: Int?
            var problem: String?
            for line in header.split(separator: "\r\n") {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2 else {
                    problem = "malformed header line '\(line)'"
                    continue
                }
                switch parts[0].lowercased() {
                case "content-length":
                    guard let n = Int(parts[1]), n >= 0 else {
                        problem = "invalid Content-Length '\(parts[1])'"
                        continue
                    }
                    guard n <= MessageFramer.maxMessageBytes else {
                        problem = "Content-Length \(n) is over the \(MessageFramer.maxMessageBytes >> 20) MiB a message may have"
                        continue
                    }
                    length = n
                case "content-type": break
                default: break
                }
            }
            guard let length, problem == nil else {
                // Bytes left over from a body longer than its Content-Length said: skip them up to the next header.
                if let next = headerStart(before: headerEnd), next > 0 {
                    buffer.removeFirst(next)
                    scanned = 0
                    frames.append(.malformed("skipped \(next) bytes that are not a message header"))
                    continue
                }
                buffer.removeFirst(headerEnd + 4)
                scanned = 0
                frames.append(.malformed(problem ?? "missing Content-Length header"))
                continue
            }
            guard buffer.count >= headerEnd + 4 + length else { break }
            frames.append(.message(Data(buffer[(headerEnd + 4)..<(headerEnd + 4 + length)])))
            buffer.removeFirst(headerEnd + 4 + length)
            scanned = 0
        }
        // Searched to the end without a header end: past the longest header, the bytes cannot start a message.
        if buffer.count > Self.maxHeaderBytes && scanned >= buffer.count {
            frames.append(.malformed("no end of a message header in \(buffer.count) bytes; they were dropped"))
            buffer.removeAll()
            scanned = 0
        }
        return frames
    }

    /// Where a `Content-Length` header starts inside the first `end` bytes, ignoring case.
    private func headerStart(before end: Int) -> Int? {
        let needle = Array("content-length".utf8)
        guard end >= needle.count else { return nil }
        for i in 0...(end - needle.count) {
            var j = 0
            while j < needle.count, buffer[i + j] | 0x20 == needle[j] | 0x20 { j += 1 }
            if j == needle.count { return i }
        }
        return nil
    }

    /// The offset of the first `\r\n\r\n`, searching only bytes not searched before (a header split across
    /// reads is found without scanning the whole buffer again).
    private mutating func findHeaderEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        var i = max(0, scanned - 3)
        while i <= buffer.count - 4 {
            if buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 { return i }
            i += 1
        }
        scanned = buffer.count
        return nil
    }

    /// A message body with its header.
    public static func frame(_ message: Message) -> Data {
        let body = JSONWriter.bytes(message.json)
        // One copy of the body: a document's diagnostics can be most of a megabyte.
        let header = "Content-Length: \(body.count)\r\n\r\n".utf8
        var data = Data(capacity: header.count + body.count)
        data.append(contentsOf: header)
        data.append(contentsOf: body)
        return data
    }
}
