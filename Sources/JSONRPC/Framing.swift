import Foundation

/// Splits a byte stream into messages framed by `Content-Length` headers (the LSP base protocol).
///
/// Bytes may arrive in any pieces: a message split across reads, or several
/// in one read. A malformed header block is reported and skipped up to the
/// next header, so one bad frame does not stop the stream.
public struct MessageFramer: Sendable {
    private var buffer: [UInt8] = []

    /// What the framer found.
    public enum Frame: Sendable, Hashable {
        case message(Data)
        case malformed(String)
    }

    /// The largest message body accepted (a larger `Content-Length` is reported, not buffered).
    public static let maxMessageBytes = 64 << 20

    public init() {}

    /// Adds bytes and returns every complete frame.
    public mutating func append(_ bytes: [UInt8]) -> [Frame] {
        buffer += bytes
        var frames: [Frame] = []
        while let headerEnd = find([13, 10, 13, 10]) {
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
                    frames.append(.malformed("skipped \(next) bytes that are not a message header"))
                    continue
                }
                buffer.removeFirst(headerEnd + 4)
                frames.append(.malformed(problem ?? "missing Content-Length header"))
                continue
            }
            guard buffer.count >= headerEnd + 4 + length else { break }
            frames.append(.message(Data(buffer[(headerEnd + 4)..<(headerEnd + 4 + length)])))
            buffer.removeFirst(headerEnd + 4 + length)
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

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        for i in 0...(buffer.count - pattern.count) where buffer[i] == pattern[0] {
            if Array(buffer[i..<(i + pattern.count)]) == pattern { return i }
        }
        return nil
    }

    /// A message body with its header.
    public static func frame(_ message: Message) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let body = (try? encoder.encode(message.json)) ?? Data()
        return Data("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }
}
