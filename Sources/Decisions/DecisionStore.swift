import Foundation
import GRDB
import PolicyModel
import Rules
import TextCore

/// A problem with the decisions store, with the path it concerns.
public struct DecisionStoreError: Error, Sendable, CustomStringConvertible {
    /// A sentence describing it.
    public var message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// The SQLite store of review requests, decisions, waivers and the hash-chained audit log.
///
/// One file (default `.goldpath/goldpath.db`) is shared by the CLI, the MCP
/// server and the language server: WAL journal, a busy timeout and immediate
/// write transactions let several processes write at once without losing a row.
public struct DecisionStore: Sendable {
    let db: DatabaseQueue
    /// The database file.
    public let path: String
    /// The key that signs the audit rows this process appends for events other than decisions (a CI or service
    /// key, from `--key` or `GOLDPATH_KEY`); nil: those rows are unsigned. A decision's row is signed by its reviewer.
    public var signer: ReviewerKey?

    /// Opens (creating if needed) the store at `path`; an unreadable or corrupt file is an error.
    public init(path: String) throws(DecisionStoreError) {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            var config = Configuration()
            config.busyMode = .timeout(30)
            config.prepareDatabase { db in
                // WAL lets readers and one writer work at once across processes.
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            db = try DatabaseQueue(path: path, configuration: config)
            // Processes that open a new store at the same moment race to migrate it; the loser sees
            // the winner's tables, waits and migrates again (a no-op once the winner committed). On a loaded
            // machine the winner may take seconds, so losers keep trying for as long as the busy timeout.
            let deadline = Date().addingTimeInterval(30)
            var attempt = 0
            while true {
                do {
                    try DecisionStore.migrator.migrate(db)
                    break
                } catch {
                    attempt += 1
                    if Date() > deadline { throw error }
                    Thread.sleep(forTimeInterval: min(0.5, 0.05 * Double(attempt)))
                }
            }
        } catch {
            throw DecisionStoreError("cannot open the decisions store \(path): \(error)")
        }
    }

    /// Opens an in-memory store (tests).
    public init() throws(DecisionStoreError) {
        path = ":memory:"
        do {
            db = try DatabaseQueue()
            try DecisionStore.migrator.migrate(db)
        } catch {
            throw DecisionStoreError("cannot create an in-memory store: \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-review-requests") { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS review_request (
                      id TEXT PRIMARY KEY, language TEXT NOT NULL, subject_type TEXT NOT NULL, subject TEXT NOT NULL,
                      file TEXT NOT NULL, fingerprint TEXT NOT NULL, snippet TEXT NOT NULL, requester TEXT NOT NULL,
                      justification TEXT NOT NULL, time TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending');
                    """)
        }
        m.registerMigration("v1-decisions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS decision (
                      id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL CHECK (kind IN ('approve', 'deny', 'waive')),
                      request_id TEXT, language TEXT, subject_type TEXT, subject TEXT, fingerprint TEXT, rule_id TEXT,
                      condition TEXT, reason TEXT NOT NULL, reviewer TEXT NOT NULL, until TEXT, time TEXT NOT NULL);
                    """)
        }
        m.registerMigration("v1-audit") { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS audit_log (
                      seq INTEGER PRIMARY KEY, time TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                      subject TEXT NOT NULL, outcome TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
                    CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    """)
        }
        m.registerMigration("v2-signatures") { db in
            // A decision carries its reviewer's Ed25519 signature and public key; an audit row the signature of
            // whoever appended it.
            try db.execute(
                sql: """
                    ALTER TABLE decision ADD COLUMN signature TEXT;
                    ALTER TABLE decision ADD COLUMN public_key TEXT;
                    ALTER TABLE audit_log ADD COLUMN signer TEXT;
                    ALTER TABLE audit_log ADD COLUMN public_key TEXT;
                    ALTER TABLE audit_log ADD COLUMN signature TEXT;
                    """)
        }
        return m
    }

    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }
}
