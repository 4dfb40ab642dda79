/// One step of a path into a ``Value``.
public enum PathComponent: Sendable, Hashable {
    case key(String)
    case index(Int)
}

/// A path from a subject's root to a nested value, such as `image.tag` or `env[0].value`.
public struct ValuePath: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral, Comparable {
    /// The steps of the path.
    public var components: [PathComponent]

    /// Creates a path from components.
    public init(_ components: [PathComponent] = []) {
        self.components = components
    }

    /// Parses `a.b[0].c`; keys containing dots can be written as `a["b.c"]`.
    public init(parsing text: String) {
        // Most paths are ASCII keys and dots: split those by bytes.
        if text.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "[") }) {
            components = text.utf8.split(separator: UInt8(ascii: ".")).map { .key(String(Substring($0))) }
            return
        }
        var components: [PathComponent] = []
        var current = ""
        var chars = Array(text)[...]
        func flush() {
            if !current.isEmpty { components.append(.key(current)) }
            current = ""
        }
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "." {
                flush()
            } else if c == "[" {
                flush()
                var inner = ""
                while let d = chars.first, d != "]" {
                    inner.append(d)
                    chars = chars.dropFirst()
                }
                chars = chars.dropFirst()
                if let i = Int(inner) {
                    components.append(.index(i))
                } else {
                    var key = Substring(inner)
                    if let f = key.first, f == "\"" || f == "'" { key = key.dropFirst() }
                    if let l = key.last, l == "\"" || l == "'" { key = key.dropLast() }
                    components.append(.key(String(key)))
                }
            } else {
                current.append(c)
            }
        }
        flush()
        self.components = components
    }

    public init(stringLiteral value: String) { self.init(parsing: value) }

    /// The empty path (the subject's root).
    public static let root = ValuePath()

    /// Whether this is the root path.
    public var isRoot: Bool { components.isEmpty }

    /// The path without its last step.
    public var parent: ValuePath { ValuePath(Array(components.dropLast())) }

    /// The last key, if the path ends in a key.
    public var lastKey: String? {
        if case .key(let k) = components.last { return k }
        return nil
    }

    /// This path extended by one step.
    public func appending(_ component: PathComponent) -> ValuePath { ValuePath(components + [component]) }

    /// This path extended by a key.
    public func appending(key: String) -> ValuePath { appending(.key(key)) }

    /// This path extended by another path.
    public func appending(_ other: ValuePath) -> ValuePath { ValuePath(components + other.components) }

    /// Whether `prefix` is a (non-strict) prefix of this path.
    public func hasPrefix(_ prefix: ValuePath) -> Bool {
        // Compared in place: this runs for every origin of a values tree, and a copied prefix array per call showed up in profiles.
        guard prefix.components.count <= components.count else { return false }
        for i in prefix.components.indices where components[i] != prefix.components[i] { return false }
        return true
    }

    public var description: String {
        var out = ""
        for c in components {
            switch c {
            case .key(let k):
                let plain = !k.isEmpty && k.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
                if plain {
                    out += out.isEmpty ? k : "." + k
                } else {
                    out += "[\(Value.quote(k))]"
                }
            case .index(let i): out += "[\(i)]"
            }
        }
        return out
    }

    public static func < (lhs: ValuePath, rhs: ValuePath) -> Bool { lhs.description < rhs.description }
}
