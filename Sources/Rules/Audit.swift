import Foundation

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
