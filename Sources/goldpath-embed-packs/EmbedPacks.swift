import Foundation

// Writes the Swift source of `BuiltinPacks` from a rulepacks directory: every `<pack>/**/*.yaml`, in path
// order, with its pack name (the directory under rulepacks), its path and its text as a raw string.
// Run by the EmbedRulePacks build-tool plugin: goldpath-embed-packs RULEPACKS_DIR OUTPUT.swift
// (A type with `main`, not top-level code, so the tool also builds where executables are compiled as libraries,
// as under `swift build --sanitize=fuzzer`.)

#if FUZZING
    /// `scripts/fuzz` links every executable it builds with libFuzzer, whose `main` calls this; the tool is built
    /// there only because the package's plugin needs it, and is never run.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { 0 }
#else
    @main
    extension EmbedPacks {}
#endif

enum EmbedPacks {
    /// A raw string literal that holds `text` whatever it contains: more `#` than the longest run in the text,
    /// so neither a closing delimiter nor an interpolation can occur inside it.
    static func rawLiteral(_ text: String) -> String {
        var longest = 0
        var run = 0
        for c in text {
            run = c == "#" ? run + 1 : 0
            longest = max(longest, run)
        }
        let hashes = String(repeating: "#", count: longest + 1)
        return "\(hashes)\"\"\"\n\(text)\n\"\"\"\(hashes)"
    }

    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count == 3 else {
            FileHandle.standardError.write(Data("usage: goldpath-embed-packs RULEPACKS_DIR OUTPUT.swift\n".utf8))
            exit(2)
        }
        let root = URL(fileURLWithPath: arguments[1]).standardizedFileURL
        var files: [String] = []
        if let walk = FileManager.default.enumerator(atPath: root.path) {
            for case let relative as String in walk where relative.hasSuffix(".yaml") && relative.contains("/") { files.append(relative) }
        }

        var out = """
            // Generated at build time by goldpath-embed-packs (the EmbedRulePacks plugin) from rulepacks/.

            /// The rule packs compiled into the binary.
            public enum BuiltinPacks {
                /// Each pack file's pack name (its directory under rulepacks), its path and its text.
                public static let all: [(name: String, path: String, text: String)] = [

            """
        for relative in files.sorted() {
            let url = root.appendingPathComponent(relative)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                FileHandle.standardError.write(Data("error: cannot read \(url.path) as UTF-8\n".utf8))
                exit(1)
            }
            let pack = String(relative.split(separator: "/")[0])
            let trimmed = String(text.reversed().drop { $0 == "\n" || $0 == "\r" }.reversed())
            out += "        (\"\(pack)\", \"rulepacks/\(relative)\", \(rawLiteral(trimmed))),\n"
        }
        out += "    ]\n}\n"
        do {
            try out.write(toFile: arguments[2], atomically: true, encoding: .utf8)
        } catch {
            FileHandle.standardError.write(Data("error: cannot write \(arguments[2]): \(error.localizedDescription)\n".utf8))
            exit(1)
        }
    }
}
