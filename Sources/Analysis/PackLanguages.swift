import Foundation

/// The languages a rule pack's golden paths are written for, read from the pack's text without parsing it: the
/// value of every `language:` key in block style (`language: terraform`, also as a sequence item's first key).
///
/// A run over files of some languages leaves out the built-in packs with no golden path for them; a test holds
/// this scan to the languages the loader reads from every built-in pack.
enum PackLanguages {
    /// The values of the text's `language:` keys; empty when it has none.
    static func named(in text: String) -> Set<String> {
        var text = text
        return text.withUTF8 { bytes in
            var out = Set<String>()
            let key = Array("language:".utf8)
            let space = UInt8(ascii: " ")
            var i = 0
            while i < bytes.count {
                // `i` is at the start of a line.
                var j = i
                while j < bytes.count && bytes[j] == space { j += 1 }
                if j + 1 < bytes.count && bytes[j] == UInt8(ascii: "-") && bytes[j + 1] == space {
                    j += 2
                    while j < bytes.count && bytes[j] == space { j += 1 }
                }
                var end = j
                while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
                if end - j > key.count && (0..<key.count).allSatisfy({ bytes[j + $0] == key[$0] }) {
                    if let value = value(String(decoding: UnsafeBufferPointer(rebasing: bytes[(j + key.count)..<end]), as: UTF8.self)) {
                        out.insert(value)
                    }
                }
                i = end + 1
            }
            return out
        }
    }

    /// A key's value without its comment, blanks and quotes; nil when nothing is left.
    private static func value(_ text: String) -> String? {
        let uncommented = text.range(of: " #").map { String(text[..<$0.lowerBound]) } ?? text
        let value = uncommented.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\"'"))
        return value.isEmpty ? nil : value
    }
}
