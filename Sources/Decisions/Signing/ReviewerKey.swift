import Crypto
import Foundation

/// A reviewer's Ed25519 signing key and the name it signs as.
///
/// The key file is text: `name: alice` and `ed25519-private: BASE64` (the 32-byte seed). `goldpath review keygen`
/// writes it with mode 0600 outside the repository; a file that others may read is refused, as ssh refuses one.
public struct ReviewerKey: Sendable {
    /// The name every decision signed with this key carries as its reviewer.
    public let name: String
    /// The 32-byte seed (a `Curve25519.Signing.PrivateKey` is not `Sendable`; it is rebuilt from this when used).
    let seed: Data

    var privateKey: Curve25519.Signing.PrivateKey {
        // The seed was validated when the key was made or read.
        (try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)) ?? Curve25519.Signing.PrivateKey()
    }

    /// A new random key for `name`.
    public static func generate(name: String) throws(SigningError) -> ReviewerKey {
        guard TrustedKeys.isValidName(name) else {
            throw SigningError(file: "--name", "a reviewer name may hold letters, digits and _ . @ - only, not '\(name)'")
        }
        return ReviewerKey(name: name, seed: Curve25519.Signing.PrivateKey().rawRepresentation)
    }

    /// The public key, base64, as a trust file lists it.
    public var publicKey: String { privateKey.publicKey.rawRepresentation.base64EncodedString() }

    /// The line that trusts this key in a trust file.
    public var trustLine: String { "\(name) ed25519 \(publicKey)" }

    /// The Ed25519 signature of `message`, base64.
    public func sign(_ message: String) -> String {
        // Signing with a valid key over bytes in memory does not fail in practice; an empty signature never verifies.
        ((try? privateKey.signature(for: Data(message.utf8))) ?? Data()).base64EncodedString()
    }

    /// The key file's text.
    public var fileText: String {
        """
        # goldpath reviewer key: keep it private (mode 0600) and outside every repository.
        name: \(name)
        ed25519-private: \(privateKey.rawRepresentation.base64EncodedString())

        """
    }

    /// Writes the key file with mode 0600; refuses to overwrite an existing file.
    public func write(to path: String) throws(SigningError) {
        let fm = FileManager.default
        guard !fm.fileExists(atPath: path) else { throw SigningError(file: path, "a file exists there; not overwritten") }
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty {
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw SigningError(file: directory, "cannot create the directory: \(error.localizedDescription)")
        }
        guard fm.createFile(atPath: path, contents: Data(fileText.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw SigningError(file: path, "cannot write the key file")
        }
    }

    /// Reads a key file; a file readable by its group or others, or one that is not a key, is an error.
    public static func load(_ path: String) throws(SigningError) -> ReviewerKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw SigningError(file: path, "no reviewer key here (create one with goldpath review keygen)")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw SigningError(
                file: path,
                "the key file may be read by others (mode \(String(info.st_mode & 0o777, radix: 8))); make it private with chmod 600")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SigningError(file: path, "cannot read the key file")
        }
        var name: String?
        var seed: Data?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw SigningError(file: path, line: index + 1, "expected 'name: …' or 'ed25519-private: …'")
            }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch line[..<colon] {
            case "name":
                guard TrustedKeys.isValidName(value) else {
                    throw SigningError(file: path, line: index + 1, "'\(value)' is not a reviewer name")
                }
                name = value
            case "ed25519-private":
                guard let data = Data(base64Encoded: value), data.count == 32 else {
                    throw SigningError(file: path, line: index + 1, "the private key must be 32 bytes in base64")
                }
                seed = data
            default:
                throw SigningError(file: path, line: index + 1, "unknown field '\(line[..<colon])'")
            }
        }
        guard let name else { throw SigningError(file: path, "the key file has no 'name:'") }
        guard let seed, (try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)) != nil else {
            throw SigningError(file: path, "the key file has no 'ed25519-private:'")
        }
        return ReviewerKey(name: name, seed: seed)
    }

    /// Where the key is looked for: `explicit` (`--key`), else `GOLDPATH_KEY`, else `reviewer.key` in goldpath's
    /// user configuration directory (`$XDG_CONFIG_HOME/goldpath`, default `~/.config/goldpath`).
    public static func defaultPath(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit { return explicit }
        if let env = environment["GOLDPATH_KEY"], !env.isEmpty { return env }
        return userConfigDirectory(environment) + "/reviewer.key"
    }

    /// goldpath's per-user configuration directory: outside every repository.
    public static func userConfigDirectory(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/goldpath" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/goldpath"
    }
}
