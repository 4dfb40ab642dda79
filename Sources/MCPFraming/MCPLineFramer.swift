import Foundation

/// Splits the bytes of the MCP stdio transport into messages, one per line, and refuses lines that are
/// too long, nested too deeply, not JSON or not JSON-RPC messages before anything decodes them.
///
/// Bytes may arrive in any pieces. Each byte is searched for the newline once, when it arrives: only
/// the current line is kept, never a buffer that is searched again. A line over `maxLineBytes` is
/// dropped while it streams in (its bytes are counted, not kept) and refused when its newline arrives.
/// Empty lines are skipped and a trailing `\r` is removed.
package struct MCPLineFramer: Sendable {
    /// What the framer makes of a line.
    package enum Output: Sendable, Hashable {
        /// A JSON-RPC message (an object or a batch) for the server, without its line end.
        case message(Data)
        /// A refused line; the transport answers it with `LineRejection.answer`.
        case rejected(LineRejection)
    }

    /// The default longest line: 4 MiB, room for the server's 1,000,000-byte `content` argument with its JSON
    /// escapes (a quote, backslash or line end takes two bytes) and the rest of the message.
    package static let defaultMaxLineBytes = 4 << 20
    /// The default deepest nesting of arrays and objects.
    package static let defaultMaxNesting = 64

    /// The longest line kept, in bytes without the newline.
    package let maxLineBytes: Int
    /// The deepest nesting of arrays and objects passed on.
    package let maxNesting: Int

    /// The bytes of the current line so far (empty while an overlong line is dropped).
    private var line: [UInt8] = []
    /// The size of the current line once it is over the limit; its bytes are no longer kept.
    private var droppedBytes: Int?

    /// How many bytes of the current line are kept (none while an overlong line is dropped).
    package var keptBytes: Int { line.count }

    /// Creates a framer with the given limits.
    package init(maxLineBytes: Int = defaultMaxLineBytes, maxNesting: Int = defaultMaxNesting) {
        self.maxLineBytes = maxLineBytes
        self.maxNesting = maxNesting
    }

    /// Adds bytes as they were read and returns what each line they complete holds, in order.
    package mutating func append(_ chunk: some ContiguousBytes) -> [Output] {
        chunk.withUnsafeBytes { bytes in
            var outputs: [Output] = []
            var start = 0
            while start < bytes.count {
                let rest = UnsafeRawBufferPointer(rebasing: bytes[start...])
                guard let newline = Self.firstNewline(in: rest) else {
                    take(rest)
                    break
                }
                take(UnsafeRawBufferPointer(rebasing: rest[..<newline]))
                if let output = endLine() { outputs.append(output) }
                start += newline + 1
            }
            return outputs
        }
    }

    /// Ends the input: a last line without a newline is handled like any other.
    package mutating func finish() -> [Output] {
        guard droppedBytes != nil || !line.isEmpty, let output = endLine() else { return [] }
        return [output]
    }

    /// Adds a piece of the current line, or counts it when the line is over the limit.
    private mutating func take(_ piece: UnsafeRawBufferPointer) {
        if let dropped = droppedBytes {
            droppedBytes = dropped + piece.count
        } else if line.count + piece.count > maxLineBytes {
            droppedBytes = line.count + piece.count
            line = []
        } else {
            line.append(contentsOf: piece)
        }
    }

    /// Handles the current line and starts the next.
    private mutating func endLine() -> Output? {
        defer {
            droppedBytes = nil
            line.removeAll(keepingCapacity: line.count <= 1 << 16)
        }
        if let dropped = droppedBytes {
            return .rejected(.tooLong(bytes: dropped, limit: maxLineBytes))
        }
        var end = line.count
        if end > 0 && line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return line.withUnsafeBytes { bytes in
            Self.screen(UnsafeRawBufferPointer(rebasing: bytes[..<end]), maxNesting: maxNesting)
        }
    }

    /// What one line (without its line end) holds: nothing when it is blank, else a message or a refusal.
    package static func screen(_ text: UnsafeRawBufferPointer, maxNesting: Int) -> Output? {
        guard text.contains(where: { !isJSONWhitespace($0) }) else { return nil }
        if JSONNesting.exceeds(text, limit: maxNesting) { return .rejected(.tooDeep(limit: maxNesting)) }
        let data = Data(text)
        guard let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return .rejected(.notJSON)
        }
        if let batch = json as? [Any] {
            return batch.isEmpty ? .rejected(.invalidRequest("an empty batch", id: .null)) : .message(data)
        }
        guard json is [String: Any], let envelope = try? JSONDecoder().decode(JSONRPCEnvelope.self, from: data) else {
            return .rejected(.invalidRequest("a message is a JSON object or array", id: .null))
        }
        if let problem = envelope.problem { return .rejected(problem) }
        return .message(data)
    }

    /// The offset of the first `\n` in `bytes` (memchr: fast in any build).
    package static func firstNewline(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, let found = memchr(base, Int32(UInt8(ascii: "\n")), bytes.count) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }

    /// Whether `byte` is JSON whitespace (space, tab, line feed, carriage return).
    package static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
