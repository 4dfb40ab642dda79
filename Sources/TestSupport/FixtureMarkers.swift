import TextCore

/// An expected finding read from a caret marker in a fixture.
public struct ExpectedMarker: Hashable, Sendable, CustomStringConvertible {
    /// The rule id.
    public var ruleId: String
    /// The severity word.
    public var severity: String
    /// The byte range the carets cover in the stripped text.
    public var range: SourceRange

    /// Creates a marker.
    public init(ruleId: String, severity: String, range: SourceRange) {
        self.ruleId = ruleId
        self.severity = severity
        self.range = range
    }

    public var description: String { "\(severity) \(ruleId) @\(range)" }
}

/// Reads fixtures whose expected findings sit under the code they point at:
///
/// ```yaml
/// image:
///   tag: latest
/// # ^^^ error K8S001
/// ```
///
/// A marker line is a comment (or, for a token in column 1, a bare line)
/// whose carets cover the same columns of the line above it; it is removed
/// from the text.
public enum FixtureMarkers {
    /// The fixture without marker lines, and the expectations.
    public static func parse(_ fixture: String, commentPrefix: String = "#") -> (text: String, markers: [ExpectedMarker]) {
        var kept: [String] = []
        var markers: [ExpectedMarker] = []
        var offsets: [Int] = []
        var offset = 0
        for line in fixture.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix(commentPrefix) || trimmed.hasPrefix("^"), let caret = line.firstIndex(of: "^"), let previous = kept.last {
                let afterPrefix = trimmed.hasPrefix("^") ? trimmed : trimmed.dropFirst(commentPrefix.count).drop { $0 == " " }
                if afterPrefix.first == "^" {
                    let column = line.utf8.distance(from: line.utf8.startIndex, to: caret.samePosition(in: line.utf8)!)
                    let carets = line[caret...].prefix { $0 == "^" }.count
                    let words = line[caret...].drop { $0 == "^" }.split(separator: " ").map(String.init)
                    let start = offsets.last! + min(column, previous.utf8.count)
                    markers.append(
                        ExpectedMarker(
                            ruleId: words.count > 1 ? words[1] : "", severity: words.first ?? "",
                            range: SourceRange(start: start, end: start + carets)))
                    continue
                }
            }
            offsets.append(offset)
            kept.append(line)
            offset += line.utf8.count + 1
        }
        return (kept.joined(separator: "\n"), markers)
    }
}
