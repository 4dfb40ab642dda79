import Foundation

/// A signed statement of the audit trail's head (row number, hash, time), meant to be kept outside the store — a CI
/// artifact, a commit — so that `audit verify --checkpoint` can tell a truncated, rechained, replaced or emptied store.
public struct AuditCheckpoint: Sendable, Equatable {
    /// The number of the last row at the time (0 for an empty trail).
    public var seq: Int64
    /// That row's hash.
    public var hash: String
    /// When the checkpoint was taken (ISO 8601, UTC).
    public var time: String
    /// The name of the key that signed it, the key (base64) and the signature (base64).
    public var signer: String
    /// The signing public key, base64.
    public var key: String
    /// The signature of `signedMessage`, base64.
    public var signature: String

    /// The bytes the signer signs.
    public var signedMessage: String { "goldpath-audit-checkpoint-v1\n\(seq)\n\(hash)\n\(time)" }

    /// A checkpoint of the head `seq`/`hash`, signed with `key` now.
    public static func sign(seq: Int64, hash: String, key: ReviewerKey, time: String? = nil) -> AuditCheckpoint {
        var c = AuditCheckpoint(
            seq: seq, hash: hash, time: time ?? DecisionStore.now(), signer: key.name, key: key.publicKey, signature: "")
        c.signature = key.sign(c.signedMessage)
        return c
    }

    /// The checkpoint file's text.
    public var text: String {
        "goldpath audit checkpoint v1\nrow: \(seq)\nhash: \(hash)\ntime: \(time)\nsigner: \(signer)\nkey: \(key)\nsignature: \(signature)\n"
    }

    /// Reads a checkpoint file's text.
    public static func parse(_ text: String, file: String) throws(SigningError) -> AuditCheckpoint {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.first == "goldpath audit checkpoint v1" else {
            throw SigningError(file: file, line: 1, "not a goldpath audit checkpoint (goldpath audit checkpoint writes one)")
        }
        var fields: [String: String] = [:]
        for (index, line) in lines.enumerated().dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw SigningError(file: file, line: index + 1, "expected 'field: value'") }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        for name in ["row", "hash", "time", "signer", "key", "signature"] where fields[name] == nil {
            throw SigningError(file: file, "the checkpoint has no '\(name):'")
        }
        guard let seq = Int64(fields["row"] ?? ""), seq >= 0 else { throw SigningError(file: file, "the checkpoint's row is not a number") }
        return AuditCheckpoint(
            seq: seq, hash: fields["hash"] ?? "", time: fields["time"] ?? "", signer: fields["signer"] ?? "", key: fields["key"] ?? "",
            signature: fields["signature"] ?? "")
    }

    /// Whether a trusted key signed it.
    public func verdict(_ trust: TrustedKeys) -> SignatureVerdict {
        trust.verify(message: signedMessage, signature: signature, publicKey: key, name: signer)
    }
}
