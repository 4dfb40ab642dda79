import Foundation

/// The subject types rule packs name in `related("type", "attribute")`: the only subjects a rule reads besides the
/// one it judges.
///
/// A language may leave out subjects that are never judged (a called module's block with no value from the call)
/// unless a relation can reach them. Packs are read as text, so every expression counts wherever it is written (a
/// condition, a message, a fix); a `related(` whose type is not a quoted literal, alone, makes the set unknown.
public enum RelationTargets {
    /// The types named by `related(...)` in `texts`, or nil when one of them is not a plain string literal.
    public static func named(in texts: [String]) -> Set<String>? {
        var types = Set<String>()
        for text in texts {
            var text = text
            let complete = text.withUTF8 { bytes -> Bool in
                guard let base = bytes.baseAddress else { return true }
                var from = 0
                while from < bytes.count, let hit = memchr(base + from, Int32(UInt8(ascii: "r")), bytes.count - from) {
                    let at = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base
                    from = at + 1
                    guard at + name.count <= bytes.count, name.indices.allSatisfy({ bytes[at + $0] == name[$0] }) else { continue }
                    from = at + name.count
                    guard at == 0 || !isIdentifierByte(bytes[at - 1]), from == bytes.count || !isIdentifierByte(bytes[from]) else {
                        continue
                    }
                    var j = skipSpaces(bytes, from: from)
                    guard j < bytes.count, bytes[j] == UInt8(ascii: "(") else { continue }
                    j = skipSpaces(bytes, from: j + 1)
                    guard j < bytes.count, bytes[j] == UInt8(ascii: "\"") || bytes[j] == UInt8(ascii: "'") else { return false }
                    let quote = bytes[j]
                    var end = j + 1
                    while end < bytes.count, bytes[end] != quote, bytes[end] != UInt8(ascii: "\\"), bytes[end] != UInt8(ascii: "\n") {
                        end += 1
                    }
                    guard end < bytes.count, bytes[end] == quote, end > j + 1 else { return false }
                    // The literal is the whole argument (`"a" + suffix` names another type).
                    let after = skipSpaces(bytes, from: end + 1)
                    guard after < bytes.count, bytes[after] == UInt8(ascii: ",") || bytes[after] == UInt8(ascii: ")") else { return false }
                    types.insert(String(decoding: UnsafeBufferPointer(rebasing: bytes[(j + 1)..<end]), as: UTF8.self))
                }
                return true
            }
            if !complete { return nil }
        }
        return types
    }

    private static let name = Array("related".utf8)

    private static func skipSpaces(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") || bytes[i] == UInt8(ascii: "\n") {
            i += 1
        }
        return i
    }

    private static func isIdentifierByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_")
    }
}
