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
        // Only a file with a line that starts a module block is parsed here, through the process's cache (the
        // lowering parses the same files next): discovery runs on one thread, the lowering on all of them.
        for file in files where file.path.hasSuffix(".tf") && mayCallModules(file) {
            for block in ParsedFileCache.shared.parse(file).body.blocks where block.type == "module" {
                guard let source = block.body.attribute("source"), case .template(let t) = source.expression.kind,
                    let literal = t.literal, let called = directory(of: literal, from: dir), !out.contains(called)
                else { continue }
                out.append(called)
            }
        }
        return out
    }

    /// Parses, on every core, the files of `files` that `calls(in:dir:)` parses, into the process's cache.
    static func parseCallers(_ files: [SourceText]) {
        let callers = files.filter { $0.path.hasSuffix(".tf") && mayCallModules($0) }
        guard callers.count > 1 else { return }
        _ = callers.concurrentMap { ParsedFileCache.shared.parse($0).body.blocks.count }
    }

    /// Whether `file` holds the word `module` followed by a blank, a quote or a brace, as every module block's
    /// header does (a reference, `module.db.id`, does not): a file without it calls no module. Comments and
    /// strings may hold it too; such a file is only parsed sooner.
    static func mayCallModules(_ file: SourceText) -> Bool {
        let word = Array("module".utf8)
        return file.bytes.withUnsafeBufferPointer { b in
            guard b.count > word.count else { return false }
            for i in 0..<(b.count - word.count) where b[i] == word[0] {
                guard i == 0 || !isIdentifierByte(b[i - 1]), Array(b[i..<(i + word.count)]) == word else { continue }
                switch b[i + word.count] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\""), UInt8(ascii: "{"): return true
                default: continue
                }
            }
            return false
        }
    }

    /// Whether a byte can continue an HCL identifier (so `module` after it is part of a longer word).
    private static func isIdentifierByte(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c >= 0x80
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
