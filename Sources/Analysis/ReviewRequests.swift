import Foundation
import TextCore

/// A request for a human review of a first-of-a-kind change.
public struct ReviewRequest: Codable, Sendable, Hashable {
    /// A stable id derived from the subject and its content (`RR-1a2b3c4d`).
    public var id: String
    /// The subject's type (`resource.aws_kinesis_stream`).
    public var subjectType: String
    /// The subject's address.
    public var subject: String
    /// The file.
    public var file: String
    /// The normalized-content fingerprint of the subject.
    public var fingerprint: String
    /// The subject's source text.
    public var snippet: String
    /// Who asked.
    public var requester: String
    /// Why the change is needed.
    public var justification: String
    /// When (ISO 8601).
    public var time: String
    /// `pending` until a human decides.
    public var status: String
}

/// Pending review requests, kept as JSON lines until the SQLite decisions store replaces it.
///
/// A second request for the same subject and content is merged into the open
/// one (same id) instead of creating a duplicate.
public struct ReviewRequestStore: Sendable {
    /// The file the requests are kept in.
    public let path: String
    private let lock = NSLock()

    /// Creates a store at `path`.
    public init(path: String) { self.path = path }

    /// Every request recorded.
    public func all() -> [ReviewRequest] {
        JSONLines.read(path).compactMap { try? JSONDecoder().decode(ReviewRequest.self, from: $0) }
    }

    /// Records a request, or returns the open one for the same subject and content with `merged` true.
    public func request(
        subjectType: String, subject: String, file: String, fingerprint: String, snippet: String, requester: String, justification: String
    ) -> (request: ReviewRequest, merged: Bool) {
        lock.lock()
        defer { lock.unlock() }
        let id = "RR-" + String(SHA256.hex("\(subject)\u{0}\(fingerprint)").prefix(8))
        if let open = all().first(where: { $0.id == id && $0.status == "pending" }) { return (open, true) }
        let formatter = ISO8601DateFormatter()
        let request = ReviewRequest(
            id: id, subjectType: subjectType, subject: subject, file: file, fingerprint: fingerprint, snippet: snippet,
            requester: requester, justification: justification, time: formatter.string(from: Date()), status: "pending")
        if let data = try? JSONEncoder().encode(request) { JSONLines.append(data, to: path) }
        return (request, false)
    }
}
