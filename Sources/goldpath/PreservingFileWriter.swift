import Foundation

/// Writes a fixed file back keeping what the fix does not mean to change: its mode, owner and group, a UTF-8 byte
/// order mark, hard links (a file with several names is rewritten in place, so every name sees the fix) and
/// symbolic links (the link's target is edited when it lies inside `root`; a link out of it is refused).
struct PreservingFileWriter {
    /// The folder a link may point into: the working directory.
    var root: String = FileManager.default.currentDirectoryPath

    /// Why a file was not written.
    struct Refusal: Error {
        var message: String
    }

    /// Writes `text` over the existing file at `path`.
    func write(_ text: String, over path: String) throws {
        let fm = FileManager.default
        var target = path
        if (try? fm.destinationOfSymbolicLink(atPath: path)) != nil {
            target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            let base = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
            guard target.hasPrefix(base.hasSuffix("/") ? base : base + "/") else {
                throw Refusal(message: "is a link to \(target), outside \(base); not changed (fix the file it points to)")
            }
        }
        let attributes = try fm.attributesOfItem(atPath: target)
        let original = try Data(contentsOf: URL(fileURLWithPath: target))
        var data = Data(text.utf8)
        let bom = Data([0xEF, 0xBB, 0xBF])
        if original.starts(with: bom) && !data.starts(with: bom) { data = bom + data }
        if let links = attributes[.referenceCount] as? Int, links > 1 {
            // Rewriting in place keeps the inode every name shares (an atomic replace would split them).
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: target))
            defer { try? handle.close() }
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: data)
            return
        }
        try data.write(to: URL(fileURLWithPath: target), options: .atomic)
        var keep: [FileAttributeKey: Any] = [:]
        for key in [FileAttributeKey.posixPermissions, .ownerAccountID, .groupOwnerAccountID] { keep[key] = attributes[key] }
        do {
            try fm.setAttributes(keep, ofItemAtPath: target)
        } catch {
            // Not the owner: the mode at least.
            try? fm.setAttributes([.posixPermissions: attributes[.posixPermissions] as Any], ofItemAtPath: target)
        }
    }
}
