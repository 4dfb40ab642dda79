import TextCore

/// A path that could not be read, with the reason.
public struct DiscoveryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path.
    public var path: String
    /// Why.
    public var message: String
    /// Whether the path was left out on purpose (a file named on the command line that no language reads, as
    /// pre-commit passes every changed file) rather than unreadable.
    public var skipped: Bool

    /// Creates the error.
    public init(path: String, message: String, skipped: Bool = false) {
        self.path = path
        self.message = message
        self.skipped = skipped
    }

    public var description: String { "\(path): \(message)" }
}

/// One directory as discovery saw it: the names of its files and subdirectories, exclusions applied.
public struct DirectoryListing: Sendable, Hashable {
    /// The directory's path, as discovery reached it from a path the user named.
    public var path: String
    /// The names of its regular files, sorted.
    public var files: [String]
    /// The names of its subdirectories, sorted (symbolic links to directories are left out).
    public var directories: [String]

    /// Creates a listing.
    public init(path: String, files: [String], directories: [String]) {
        self.path = path
        self.files = files
        self.directories = directories
    }

    /// The path of an entry of this directory.
    public func join(_ name: String) -> String { DirectoryListing.join(path, name) }

    /// `dir/name`, without a leading `./`.
    public static func join(_ dir: String, _ name: String) -> String {
        dir == "." || dir.isEmpty ? name : (dir.hasSuffix("/") ? dir + name : dir + "/" + name)
    }
}

/// A directory the user named, with every directory below it that discovery entered.
public struct WalkedTree: Sendable {
    /// The directory the user named.
    public var root: String
    /// The root's listing first, then the directories below it in depth-first name order.
    public var directories: [DirectoryListing]

    /// Creates a walked tree.
    public init(root: String, directories: [DirectoryListing]) {
        self.root = root
        self.directories = directories
    }
}

/// What discovery asks a language to group into units.
public struct DiscoveryRequest: Sendable {
    /// The directories the user named, walked.
    public var trees: [WalkedTree]
    /// The files the user named directly that this language accepts (``Language/acceptsNamedFile(_:)``).
    public var namedFiles: [String]
    /// Files under the named directories that match the config's `files:` patterns for this language.
    public var patternFiles: [String]

    /// Creates a request.
    public init(trees: [WalkedTree], namedFiles: [String], patternFiles: [String]) {
        self.trees = trees
        self.namedFiles = namedFiles
        self.patternFiles = patternFiles
    }
}

/// The units a language found, and the files it could not read.
public struct DiscoveredUnits: Sendable {
    /// The units.
    public var units: [AnalysisUnit]
    /// The files that could not be read.
    public var errors: [DiscoveryError]

    /// Creates a result.
    public init(units: [AnalysisUnit] = [], errors: [DiscoveryError] = []) {
        self.units = units
        self.errors = errors
    }

    /// Reads `paths` through `access`: the texts read, every failure recorded in `errors`.
    public mutating func read(_ paths: [String], with access: any FileAccess) -> [SourceText] {
        var texts: [SourceText] = []
        for path in paths {
            do throws(DiscoveryError) {
                texts.append(try access.read(path))
            } catch {
                errors.append(error)
            }
        }
        return texts
    }
}

/// The file system as discovery and languages see it, with the config's exclusions applied.
public protocol FileAccess: Sendable {
    /// The directory's listing with excluded entries left out, or nil when it cannot be read.
    func listing(of directory: String) -> DirectoryListing?
    /// Whether the config excludes the path.
    func isExcluded(_ path: String) -> Bool
    /// Whether a file exists at the path.
    func fileExists(_ path: String) -> Bool
    /// Reads a UTF-8 text file.
    func read(_ path: String) throws(DiscoveryError) -> SourceText
}

extension String {
    /// The last component of a slash-separated path.
    public var fileName: String {
        guard let slash = utf8.lastIndex(of: UInt8(ascii: "/")) else { return self }
        return String(self[index(after: slash)...])
    }

    /// The directory part of a slash-separated path: `.` for a bare name, `/` for a file at the root.
    public var parentPath: String {
        guard let slash = lastIndex(of: "/") else { return "." }
        return slash == startIndex ? "/" : String(self[..<slash])
    }

    /// The directory part of a draft's relative file name, empty for a bare name (a draft unit's name).
    public var draftParentPath: String { contains("/") ? parentPath : "" }
}
