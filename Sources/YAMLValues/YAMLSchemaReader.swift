import TextCore
import YAMLSyntax

/// A problem the schema reader found, with the range it concerns.
public struct SchemaProblem: Sendable, Hashable {
    /// What kind of problem it is.
    public enum Kind: Sendable, Hashable {
        /// A key the schema does not allow.
        case unknownKey
        /// A required key is absent.
        case missingKey
        /// A value of the wrong shape (a list where a string belongs, say).
        case wrongType
    }

    /// The kind.
    public var kind: Kind
    /// A sentence for the user.
    public var message: String
    /// Where.
    public var range: SourceRange
}

/// The one reader of YAML documents with a schema — rule packs and `.goldpath.yaml`: mappings with allowed
/// and required keys (an unknown key gets the closest allowed one as a suggestion), strings and lists of
/// strings. Every problem is collected with its range; what is valid is returned.
public struct YAMLSchemaReader: Sendable {
    /// The problems found so far.
    public var problems: [SchemaProblem] = []

    /// Creates a reader.
    public init() {}

    /// Records a problem.
    public mutating func fail(_ kind: SchemaProblem.Kind, _ message: String, _ range: SourceRange) {
        problems.append(SchemaProblem(kind: kind, message: message, range: range))
    }

    /// The entries of a mapping `node` by key; keys outside `allowed` and missing `required` ones are problems.
    public mutating func mapping(_ node: YAMLNode, what: String, allowed: [String], required: [String] = []) -> [String: YAMLMappingEntry]?
    {
        guard let entries = node.entries else {
            fail(.wrongType, "\(what) must be a mapping", node.range)
            return nil
        }
        var out: [String: YAMLMappingEntry] = [:]
        for e in entries {
            guard let key = e.key.scalar?.value else {
                fail(.wrongType, "keys in \(what) must be plain strings", e.key.range)
                continue
            }
            if !allowed.contains(key) {
                let hint = Suggest.closest(key, in: allowed).map { "; did you mean '\($0)'?" } ?? ""
                fail(.unknownKey, "unknown key '\(key)' in \(what) (allowed: \(allowed.joined(separator: ", ")))\(hint)", e.key.range)
                continue
            }
            out[key] = e
        }
        for key in required where out[key] == nil {
            fail(.missingKey, "\(what) is missing the required key '\(key)'", node.entries?.first?.key.range ?? node.range)
        }
        return out
    }

    /// A string value (a scalar not tagged as another type).
    public mutating func string(_ node: YAMLNode, what: String) -> String? {
        guard let s = node.scalar, node.tag == nil || node.tag == "tag:yaml.org,2002:str" else {
            fail(.wrongType, "\(what) must be a string", node.range)
            return nil
        }
        return s.value
    }

    /// A string, or a list of strings.
    public mutating func strings(_ node: YAMLNode, what: String) -> [String]? {
        if let s = node.scalar { return [s.value] }
        guard let items = node.items else {
            fail(.wrongType, "\(what) must be a string or a list of strings", node.range)
            return nil
        }
        var out: [String] = []
        for i in items {
            guard let s = i.scalar else {
                fail(.wrongType, "\(what) must contain strings", i.range)
                continue
            }
            out.append(s.value)
        }
        return out
    }
}

/// Suggests the closest known word for a typo.
public enum Suggest {
    /// The candidate nearest to `word` by edit distance, when it is near enough to be a typo of it.
    public static func closest(_ word: String, in candidates: [String]) -> String? {
        let best = candidates.map { ($0, distance(word, $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where j <= b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
}
