import PolicyModel
import TextCore

/// Computes finding fingerprints that survive line shifts.
///
/// A fingerprint hashes the rule id, the subject's address and the canonical
/// form of the value the rule points at, so moving a block, adding lines
/// above it or editing an unrelated attribute keeps it, while changing the
/// offending value makes a new finding.
public enum Fingerprint {
    /// The fingerprint of a finding of `ruleId` on `subject` at `path`.
    public static func of(ruleId: String, subject: Subject, path: ValuePath?) -> String {
        let content = path.flatMap { subject.value.value(at: $0) }?.canonical ?? ""
        return hashed("\(ruleId)\u{0}\(subject.address)\u{0}\(path?.description ?? "")\u{0}\(content)")
    }

    /// The first 32 hex digits of the SHA-256 of `input`; a short input's are remembered for the process, since
    /// a fix's re-check finds most of its unit's findings again.
    static func hashed(_ input: String) -> String {
        guard input.utf8.count <= 512 else { return String(SHA256.hex(input).prefix(32)) }
        return known.value(input) { String(SHA256.hex(input).prefix(32)) }
    }

    /// Fingerprints by their input.
    private static let known = LockedCache<String, String>(limit: 16384)

    /// The fingerprint of a finding that concerns a file, not a subject.
    public static func of(ruleId: String, file: String, text: String) -> String {
        hashed("\(ruleId)\u{0}\(file)\u{0}\(text)")
    }
}
