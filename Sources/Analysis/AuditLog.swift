import Foundation
import TextCore

/// One audited event: a CI verdict, an MCP tool call, a review request or a decision.
public struct AuditEvent: Codable, Sendable, Hashable {
    /// When it happened (ISO 8601, UTC).
    public var time: String
    /// Who did it (`mcp:<client>`, `cli:<user>`).
    public var actor: String
    /// What was done (`mcp.check`, `review.request`).
    public var action: String
    /// What it concerned (a path, a subject address, a rule id).
    public var subject: String
    /// How it ended (`ok: 3 findings`, `error: ...`).
    public var outcome: String

    /// Creates an event stamped now.
    public init(actor: String, action: String, subject: String, outcome: String, time: Date = Date()) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        self.time = formatter.string(from: time)
        self.actor = actor
        self.action = action
        self.subject = subject
        self.outcome = outcome
    }
}

/// The engine's audit interface: every front end records through it.
public protocol AuditLog: Sendable {
    /// Records an event; a log that cannot write says so on standard error and never fails the caller.
    func record(_ event: AuditEvent)
}

/// An audit log that appends JSON lines to a file (until the SQLite decisions store replaces it).
public struct JSONLinesAuditLog: AuditLog {
    /// The file written to.
    public let path: String
    private let lock = NSLock()

    /// Creates a log writing to `path` (its directory is created on first write).
    public init(path: String) { self.path = path }

    public func record(_ event: AuditEvent) {
        guard let data = try? JSONEncoder().encode(event) else { return }
        lock.lock()
        defer { lock.unlock() }
        JSONLines.append(data, to: path)
    }
}

/// Appending JSON lines to a file, creating it and its directory when missing.
enum JSONLines {
    static func append(_ line: Data, to path: String) {
        let fm = FileManager.default
        let dir = (path as NSString).deletingLastPathComponent
        do {
            if !dir.isEmpty { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            if !fm.fileExists(atPath: path) { fm.createFile(atPath: path, contents: nil) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line + Data("\n".utf8))
        } catch {
            FileHandle.standardError.write(Data("goldpath: cannot write \(path): \(error.localizedDescription)\n".utf8))
        }
    }

    static func read(_ path: String) -> [Data] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map { Data($0.utf8) }
    }
}

extension NSLock: @retroactive @unchecked Sendable {}
