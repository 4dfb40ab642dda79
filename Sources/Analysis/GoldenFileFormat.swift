import Foundation
import PolicyModel

/// A golden file that cannot be read, with the line of the problem.
struct GoldenFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The golden file.
    var file: String
    /// The 1-based line.
    var line: Int
    /// A sentence saying what is wrong.
    var message: String

    var description: String { "\(file):\(line): \(message)" }
}

/// The text of a golden file.
///
/// A comment line saying how to regenerate the file, then the entries, separated by blank lines, each a header
/// line (`=== AWS001 fail 1: finding 2:3-2:20`, `=== AWS001 fail 1: fix "Set storage_encrypted to true" main.tf`)
/// and, for a fix, the fixed text with every line behind `| ` (`|` alone for an empty line) and
/// `\ no newline at end of text` after a text whose last line has no newline. Every line of a text is marked, so
/// no text (with `---`, `===` or blank lines) can be read as a header or a separator.
enum GoldenFileFormat {
    /// What starts a header line.
    static let headerMarker = "=== "
    /// What starts a line of text.
    static let textMarker = "|"
    /// The line after a text whose last line has no newline.
    static let noNewline = "\\ no newline at end of text"

    /// The golden file of `entries`, for the pack file `pack`, naming the command that regenerates it.
    static func render(_ entries: [GoldenEntry], pack: String, regenerate: String) -> String {
        var out = "# Generated from the rule examples of \(pack.fileName); do not edit, regenerate with: \(regenerate)\n"
        for entry in entries {
            out += "\n" + headerMarker + entry.header + "\n"
            if case .fix(_, _, let text) = entry.expectation {
                for line in textLines(text) { out += line + "\n" }
            }
        }
        return out
    }

    /// The marked lines of a text: `| line` for each line, and the no-newline line when the text ends without one.
    static func textLines(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var lines = split(text)
        let endsWithNewline = lines.last == ""
        if endsWithNewline { lines.removeLast() }
        return lines.map { $0.isEmpty ? textMarker : textMarker + " " + $0 } + (endsWithNewline ? [] : [noNewline])
    }

    /// The lines of a text split at `\n` only (a `\r` stays part of its line).
    static func split(_ text: String) -> [String] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(Substring($0)) }
    }

    /// Reads the entries of the golden file `file`.
    static func parse(_ text: String, file: String) throws(GoldenFileError) -> [GoldenEntry] {
        var entries: [GoldenEntry] = []
        // The fix entry whose text lines are being read, and those lines so far.
        var open: (entry: GoldenEntry, lines: [String])?
        func close(noNewline: Bool = false) {
            guard let (entry, lines) = open, case .fix(let title, let path, _) = entry.expectation else { return }
            let text = lines.map { $0 + "\n" }.joined()
            entries.append(
                GoldenEntry(
                    rule: entry.rule, example: entry.example,
                    expectation: .fix(title: title, file: path, text: noNewline ? String(text.dropLast()) : text)))
            open = nil
        }
        let lines = split(text)
        for (index, line) in lines.enumerated() {
            let number = index + 1
            if line.hasPrefix(headerMarker) {
                close()
                let entry = try header(String(line.dropFirst(headerMarker.count)), file: file, line: number)
                if case .fix = entry.expectation {
                    open = (entry, [])
                } else {
                    entries.append(entry)
                }
            } else if line == textMarker || line.hasPrefix(textMarker + " ") {
                guard open != nil else {
                    throw GoldenFileError(file: file, line: number, message: "a text line outside a fix entry")
                }
                open?.lines.append(String(line.dropFirst(textMarker.count + 1)))
            } else if line == noNewline {
                guard let current = open, !current.lines.isEmpty else {
                    throw GoldenFileError(file: file, line: number, message: "'\(noNewline)' does not follow a line of text")
                }
                close(noNewline: true)
            } else if line.isEmpty || line.hasPrefix("#") {
                close()
            } else {
                throw GoldenFileError(
                    file: file, line: number,
                    message: "a line that is not a header ('\(headerMarker)'), text ('\(textMarker) ') or comment ('#')")
            }
        }
        close()
        return entries
    }

    /// The entry a header line (without its marker) announces, its text not yet read.
    private static func header(_ header: String, file: String, line: Int) throws(GoldenFileError) -> GoldenEntry {
        let bad = GoldenFileError(
            file: file, line: line, message: "a header that is not 'RULE fail N: finding POSITION' or 'RULE fail N: fix \"TITLE\" FILE'")
        guard let colon = header.range(of: ": ") else { throw bad }
        let example = header[..<colon.lowerBound].split(separator: " ", omittingEmptySubsequences: false)
        guard example.count == 3, example[1] == "fail", let number = Int(example[2]), number >= 1 else { throw bad }
        let rule = String(example[0])
        let item = header[colon.upperBound...]
        if item.hasPrefix("finding "), item.count > "finding ".count {
            return GoldenEntry(rule: rule, example: number, expectation: .finding(location: String(item.dropFirst("finding ".count))))
        }
        guard item.hasPrefix("fix \""), let end = item.range(of: "\" ", options: .backwards),
            end.lowerBound > item.index(item.startIndex, offsetBy: 4),
            end.upperBound < item.endIndex
        else { throw bad }
        let title = String(item[item.index(item.startIndex, offsetBy: 5)..<end.lowerBound])
        return GoldenEntry(rule: rule, example: number, expectation: .fix(title: title, file: String(item[end.upperBound...]), text: ""))
    }
}
