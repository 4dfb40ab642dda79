import Foundation

/// Confines file access to the workspace roots.
///
/// Paths are resolved against the first root, normalised, and their symlinks
/// followed; anything that ends up outside every root is refused, so `..`,
/// absolute paths elsewhere and symlinks that lead out cannot be read.
struct Sandbox: Sendable {
    /// The roots, as real paths.
    let roots: [String]

    init(roots: [String]) {
        self.roots = roots.map { Sandbox.realPath($0) ?? (($0 as NSString).standardizingPath) }
    }

    /// The first root, where relative paths are resolved.
    var primary: String { roots.first ?? FileManager.default.currentDirectoryPath }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether `path` (a real path) lies inside a root.
    func contains(_ path: String) -> Bool {
        roots.contains { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
    }

    /// The real path of an existing file or folder named by `field`, or an error naming the field.
    func resolve(_ path: String, field: String) throws(ToolError) -> String {
        guard !path.isEmpty else { throw ToolError("field '\(field)' is empty") }
        let joined = path.hasPrefix("/") ? path : (primary as NSString).appendingPathComponent(path)
        let normalized = Sandbox.lexicallyNormalized(joined)
        guard contains(normalized) else {
            throw ToolError("field '\(field)': \(path) is outside the workspace roots (\(roots.joined(separator: ", ")))")
        }
        guard let real = Sandbox.realPath(normalized) else { throw ToolError("field '\(field)': no such file or folder: \(path)") }
        guard contains(real) else {
            throw ToolError("field '\(field)': \(path) leads outside the workspace roots through a symbolic link")
        }
        return real
    }

    /// Checks a file name used for unsaved content: relative, inside the roots once joined, no `..` out.
    func checkFilename(_ name: String, field: String) throws(ToolError) -> String {
        guard !name.isEmpty, !name.hasPrefix("/") else {
            throw ToolError("field '\(field)' must be a relative file name such as main.tf or charts/api/values.yaml")
        }
        let normalized = Sandbox.lexicallyNormalized((primary as NSString).appendingPathComponent(name))
        guard contains(normalized) else { throw ToolError("field '\(field)': \(name) is outside the workspace roots") }
        // The directory may exist; if it does, it must not lead out through a symbolic link.
        let dir = (normalized as NSString).deletingLastPathComponent
        if let real = Sandbox.realPath(dir), !contains(real) {
            throw ToolError("field '\(field)': \(name) leads outside the workspace roots through a symbolic link")
        }
        return normalized
    }

    /// Removes `.` and resolves `..` by text alone (symbolic links are checked separately, on the real path).
    static func lexicallyNormalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `path` relative to the root that holds it, for output.
    func display(_ path: String) -> String {
        for root in roots {
            let prefix = root.hasSuffix("/") ? root : root + "/"
            if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
        }
        return path
    }
}
