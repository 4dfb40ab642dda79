import Crypto
import Foundation

/// Whether a signature makes a record trustworthy, and if not, why not.
public enum SignatureVerdict: Sendable, Equatable {
    /// Signed by a trusted key of the name it claims.
    case trusted
    /// No signature at all.
    case unsigned
    /// The signature does not verify: the record was changed after signing, or the signature was made up.
    case badSignature
    /// The signature verifies, but the trust file does not list this key for the name the record claims.
    case untrustedKey(name: String)

    /// A phrase for reports: "it is not signed", "its signature does not verify", …
    public var reason: String {
        switch self {
        case .trusted: "it is signed by a trusted reviewer"
        case .unsigned: "it is not signed"
        case .badSignature: "its signature does not verify (changed after signing, or forged)"
        case .untrustedKey(let name): "it is signed by a key the trust file does not list for \(name)"
        }
    }
}

/// The reviewers' public keys that goldpath trusts, read from a trust file outside the repository.
///
/// One key per line, `NAME ed25519 BASE64`, as `goldpath review keygen` prints it; `#` starts a comment. A name
/// may have several keys (a new one before the old one is retired).
public struct TrustedKeys: Sendable {
    /// The file the keys came from (or a description, for keys given in code).
    public let source: String
    /// Public keys (raw 32 bytes, base64) by reviewer name.
    public let keys: [String: Set<String>]

    /// Keys given directly (tests, an empty set).
    public init(source: String, keys: [String: Set<String>]) {
        self.source = source
        self.keys = keys
    }

    /// No trusted key: nothing verifies.
    public static let none = TrustedKeys(source: "no trust file", keys: [:])

    /// Whether `name` is a reviewer name (letters, digits and `_ . @ -`).
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 100
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_.@-".unicodeScalars.contains($0)
            }
    }

    /// Reads a trust file.
    public static func load(_ path: String) throws(SigningError) -> TrustedKeys {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SigningError(file: path, "cannot read the trust file")
        }
        return try parse(text, file: path)
    }

    /// Parses a trust file's text.
    public static func parse(_ text: String, file: String) throws(SigningError) -> TrustedKeys {
        var keys: [String: Set<String>] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 3 else {
                throw SigningError(file: file, line: index + 1, "expected 'NAME ed25519 PUBLIC-KEY' (as goldpath review keygen prints it)")
            }
            let name = String(fields[0])
            guard isValidName(name) else { throw SigningError(file: file, line: index + 1, "'\(name)' is not a reviewer name") }
            guard fields[1] == "ed25519" else {
                throw SigningError(file: file, line: index + 1, "unknown key type '\(fields[1])' (goldpath uses ed25519)")
            }
            guard let raw = Data(base64Encoded: String(fields[2])), (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil
            else {
                throw SigningError(file: file, line: index + 1, "the public key must be 32 bytes in base64")
            }
            keys[name, default: []].insert(raw.base64EncodedString())
        }
        return TrustedKeys(source: file, keys: keys)
    }

    /// Where the trust file is looked for: `explicit` (`--trust`), else `GOLDPATH_TRUST`, else `trusted-reviewers` in
    /// goldpath's user configuration directory. Never the repository: a change under review could rewrite it.
    public static func defaultPath(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit { return explicit }
        if let env = environment["GOLDPATH_TRUST"], !env.isEmpty { return env }
        return ReviewerKey.userConfigDirectory(environment) + "/trusted-reviewers"
    }

    /// The trust in force: the file `defaultPath` names, or no trusted key when that file was not named
    /// explicitly and does not exist. A trust file that was named but cannot be read or parsed is an error.
    public static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(SigningError)
        -> TrustedKeys
    {
        let path = defaultPath(explicit: explicit, environment: environment)
        let named = explicit != nil || !(environment["GOLDPATH_TRUST"] ?? "").isEmpty
        if !named && !FileManager.default.fileExists(atPath: path) { return .none }
        return try load(path)
    }

    /// Checks that `signature` (base64) is `publicKey`'s signature of `message` and that the key is trusted for `name`.
    public func verify(message: String, signature: String?, publicKey: String?, name: String) -> SignatureVerdict {
        guard let signature, !signature.isEmpty, let publicKey else { return .unsigned }
        guard let raw = Data(base64Encoded: publicKey), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw),
            let bytes = Data(base64Encoded: signature), key.isValidSignature(bytes, for: Data(message.utf8))
        else { return .badSignature }
        return keys[name]?.contains(raw.base64EncodedString()) == true ? .trusted : .untrustedKey(name: name)
    }
}
