import Foundation
import PolicyModel
import TextCore

/// Finds the files goldpath judges under the given paths and lets each language group them into units.
///
/// Directories are walked once (skipping tool and VCS folders, the config's exclusions and symbolic
/// links to directories); files named directly go to the first language that accepts them; the config's
/// `files:` patterns are matched against paths relative to each directory given. Which files form a
/// unit is the languages' knowledge (``Language/discover(_:access:)``), not discovery's.
public struct FileDiscovery: Sendable {
    /// Glob patterns of paths to skip.
    public var exclude: [String]
    /// Extra glob patterns per language id (config `files:`), matched against paths relative to each directory given.
    public var patterns: [String: [String]]
    /// The languages, in the order a named file is offered to them.
    public var languages: [any Language]
    /// Directory names never entered, whatever the language.
    public static let skippedDirectories: Set<String> = [".git", ".build", "node_modules", ".terraform", ".goldpath", ".venv"]

    /// Real paths every file read must lie in, or nil.
    public var confinement: [String]?

    /// Creates a discovery.
    public init(
        exclude: [String] = [], patterns: [String: [String]] = [:], languages: [any Language] = Languages.all(),
        confinement: [String]? = nil
    ) {
        self.exclude = exclude
        self.patterns = patterns
        self.languages = languages
        self.confinement = confinement
    }

    /// The file system with this discovery's exclusions.
    public var access: any FileAccess { DiskAccess(exclude: exclude, confinement: confinement) }

    /// Units under `paths` (files or directories), and the paths that could not be read.
    public func units(for paths: [String]) -> (units: [AnalysisUnit], errors: [DiscoveryError]) {
        let access = DiskAccess(exclude: exclude, confinement: confinement, reads: ReadFiles())
        let skipped = FileDiscovery.skippedDirectories.union(languages.flatMap(\.skippedDirectories))
        var trees: [WalkedTree] = []
        var named: [String: [String]] = [:]
        var matched: [String: [String]] = [:]
        var errors: [DiscoveryError] = []
        for path in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                errors.append(DiscoveryError(path: path, message: "no such file or directory"))
                continue
            }
            if isDir.boolValue {
                let tree = walk(path, skipping: skipped, access: access, errors: &errors)
                trees.append(tree)
                for (language, globs) in patterns where !globs.isEmpty {
                    matched[language, default: []] += patternMatches(globs, in: tree)
                }
            } else if let language = languages.first(where: { $0.acceptsNamedFile(path) }) {
                named[language.id, default: []].append(path)
            } else {
                errors.append(
                    DiscoveryError(
                        path: path, message: "not a file goldpath checks (\(languages.map(\.id).joined(separator: ", ")))", skipped: true))
            }
        }
        var units: [AnalysisUnit] = []
        for language in languages {
            let request = DiscoveryRequest(trees: trees, namedFiles: named[language.id] ?? [], patternFiles: matched[language.id] ?? [])
            let found = language.discover(request, access: access)
            units += found.units
            errors += found.errors
        }
        return (units, errors)
    }

    /// Every directory under `root` that discovery enters, depth first in name order.
    /// A directory that cannot be listed is an error with its path (its files would be missed in silence), and
    /// Terraform's JSON syntax (`*.tf.json`), which goldpath does not read, is named as skipped.
    func walk(_ root: String, skipping: Set<String>, access: DiskAccess, errors: inout [DiscoveryError]) -> WalkedTree {
        var listings: [DirectoryListing] = []
        var stack = [root]
        while let dir = stack.popLast() {
            guard let listing = access.listing(of: dir) else {
                errors.append(DiscoveryError(path: dir, message: "cannot read the directory: \(DiskAccess.reason(dir))"))
                continue
            }
            for name in listing.files where name.hasSuffix(".tf.json") {
                errors.append(
                    DiscoveryError(
                        path: listing.join(name), message: "Terraform JSON syntax (.tf.json) is not read by goldpath", skipped: true))
            }
            // A named directory that is itself excluded is still searched: its entries may not be.
            if dir != root || !access.isExcluded(dir) { listings.append(listing) }
            for name in listing.directories.reversed() where !skipping.contains(name) { stack.append(listing.join(name)) }
        }
        return WalkedTree(root: root, directories: listings)
    }

    /// The files of a walked tree whose path relative to its root matches one of `globs`, sorted.
    func patternMatches(_ globs: [String], in tree: WalkedTree) -> [String] {
        let prefix = tree.root.hasSuffix("/") ? tree.root : tree.root + "/"
        var out: [String] = []
        for dir in tree.directories {
            for name in dir.files {
                let path = dir.join(name)
                let relative = path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
                if globs.contains(where: { Glob.matches($0, relative) }) { out.append(path) }
            }
        }
        return out.sorted()
    }
}

/// The disk, with the config's exclusions.
struct DiskAccess: FileAccess {
    let exclude: [String]
    var confinement: [String]? = nil
    /// The files this access read already, when it serves one discovery: a module that many others call is then
    /// one text in memory, not one per caller.
    var reads: ReadFiles? = nil

    /// The largest file read (a generated file larger than this is not configuration a person edits).
    static let maxFileBytes = 32 << 20

    /// Why `path` cannot be opened, as one plain sentence (the system's, e.g. "Permission denied").
    static func reason(_ path: String) -> String {
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        if fd >= 0 {
            close(fd)
            return "it cannot be read"
        }
        return String(cString: strerror(errno))
    }

    func isExcluded(_ path: String) -> Bool {
        let normalized = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        return exclude.contains { Glob.matches($0, normalized) }
    }

    func listing(of directory: String) -> DirectoryListing? {
        guard let stream = opendir(directory) else { return nil }
        defer { closedir(stream) }
        // The kind of each entry comes with its name; only a symbolic link (or a file system that does not say)
        // costs a `stat`. A link to a file is read as the file; a link to a directory is not followed out of the tree.
        var entries: [(name: String, isDirectory: Bool)] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != "." && name != ".." else { continue }
            let kind = Int32(entry.pointee.d_type)
            if kind == Int32(DT_DIR) || kind == Int32(DT_REG) {
                entries.append((name, kind == Int32(DT_DIR)))
                continue
            }
            // A link, or an entry of unknown kind: what it leads to decides, and a directory counts only when no link
            // leads to it.
            let path = DirectoryListing.join(directory, name)
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if info.st_mode & S_IFMT != S_IFDIR {
                entries.append((name, false))
            } else if kind != Int32(DT_LNK), lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFLNK {
                entries.append((name, true))
            }
        }
        var files: [String] = []
        var directories: [String] = []
        for entry in entries.sorted(by: { $0.name < $1.name }) where !isExcluded(DirectoryListing.join(directory, entry.name)) {
            if entry.isDirectory { directories.append(entry.name) } else { files.append(entry.name) }
        }
        return DirectoryListing(path: directory, files: files, directories: directories)
    }

    func fileExists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    func read(_ path: String) throws(DiscoveryError) -> SourceText {
        if let known = reads?.file(at: path) { return known }
        let file = try readFromDisk(path)
        reads?.keep(file)
        return file
    }

    private func readFromDisk(_ path: String) throws(DiscoveryError) -> SourceText {
        if let confinement {
            guard let resolved = realpath(path, nil) else { throw DiscoveryError(path: path, message: "no such file") }
            let real = String(cString: resolved)
            free(resolved)
            guard confinement.contains(where: { real == $0 || real.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) else {
                throw DiscoveryError(path: path, message: "leads outside the workspace roots through a symbolic link; not read")
            }
        }
        // Only regular files, and not huge ones: a FIFO would block the run and /dev/zero never ends.
        var info = stat()
        guard stat(path, &info) == 0 else { throw DiscoveryError(path: path, message: "cannot read: \(DiskAccess.reason(path))") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw DiscoveryError(path: path, message: "not a regular file; not read") }
        guard info.st_size <= DiskAccess.maxFileBytes else {
            throw DiscoveryError(
                path: path, message: "\(info.st_size >> 20) MiB is over the \(DiskAccess.maxFileBytes >> 20) MiB a file may have; not read")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DiscoveryError(path: path, message: "cannot read: \(DiskAccess.reason(path))")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw DiscoveryError(path: path, message: "not UTF-8 text") }
        return SourceText(path: path, text: text)
    }
}

/// The files one discovery read, by path (a failed read is not kept, so it is tried and reported again).
final class ReadFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var files: [String: SourceText] = [:]

    func file(at path: String) -> SourceText? { lock.withLock { files[path] } }

    func keep(_ file: SourceText) { lock.withLock { files[file.path] = file } }
}
