import HCLSyntax
import PolicyModel
import TextCore

/// Local module calls (`source = "./modules/db"` or `"../shared/db"`): the directory a call reads, and the
/// called modules' `.tf` files, which join the caller's unit as context (read, not judged), so the caller's
/// arguments can be followed into them. Registry and git sources are not fetched.
enum TerraformLocalModules {
    /// How deep calls are followed: the modules the unit calls (their own calls are judged where they are).
    static let maxDepth = 1

    /// The directory a local `source` names, relative to the calling module's directory; nil for any other
    /// source.
    static func directory(of source: String, from dir: String) -> String? {
        guard source.hasPrefix("./") || source.hasPrefix("../") else { return nil }
        var parts = dir == "." || dir.isEmpty ? [] : dir.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let absolute = dir.hasPrefix("/")
        for part in source.split(separator: "/").map(String.init) {
            switch part {
            case ".", "": continue
            case "..":
                if let last = parts.last, last != "..", !(absolute && parts.count == 1 && last.isEmpty) {
                    parts.removeLast()
                } else if !absolute {
                    parts.append("..")
                }
            default: parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return joined.isEmpty ? "." : joined
    }

    /// The local sources the module blocks of `files` call, with the directory each resolves to.
    static func calls(in files: [SourceText], dir: String) -> [String] {
        var out: [String] = []
        for file in files where file.path.hasSuffix(".tf") {
            // Through the process's cache: the lowering parses the same files next.
            for block in ParsedFileCache.shared.parse(file).body.blocks where block.type == "module" {
                guard let source = block.body.attribute("source"), case .template(let t) = source.expression.kind,
                    let literal = t.literal, let called = directory(of: literal, from: dir), !out.contains(called)
                else { continue }
                out.append(called)
            }
        }
        return out
    }

    /// The `.tf` files of the modules `files` call, and of the modules those call, up to `maxDepth`.
    static func contextFiles(
        calledBy files: [SourceText], dir: String, access: any FileAccess, result: inout DiscoveredUnits
    ) -> [SourceText] {
        var seen: Set<String> = [dir]
        var out: [SourceText] = []
        var frontier = [(dir, files)]
        for _ in 0..<maxDepth {
            var next: [(String, [SourceText])] = []
            for (callerDir, callerFiles) in frontier {
                for called in calls(in: callerFiles, dir: callerDir) where seen.insert(called).inserted {
                    let names = access.listing(of: called)?.files.filter { $0.hasSuffix(".tf") }.sorted() ?? []
                    let read = result.read(names.map { DirectoryListing.join(called, $0) }, with: access)
                    out += read
                    next.append((called, read))
                }
            }
            frontier = next
        }
        return out
    }
}
