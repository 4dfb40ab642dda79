import Foundation
import TextCore

extension Value {
    /// Decodes JSON text, keeping booleans, integers and doubles apart; nil when the text is not JSON.
    ///
    /// Decodings are remembered for the process: a policy document is decoded by every rule that reads it, again at
    /// each re-check of its module.
    public static func decodeJSON(_ text: String) -> Value? {
        decodedJSON.value(text) { try? JSONDecoder().decode(Node.self, from: Data(text.utf8)).value }
    }

    /// The values of JSON texts decoded in this process (nil for a text that is not JSON), by text.
    private static let decodedJSON = LockedCache<String, Value?>(limit: 1024)

    private struct Node: Decodable {
        let value: Value

        init(from decoder: Decoder) throws {
            if var array = try? decoder.unkeyedContainer() {
                var items: [Value] = []
                while !array.isAtEnd { items.append(try array.decode(Node.self).value) }
                value = .list(items)
            } else if let object = try? decoder.container(keyedBy: Key.self) {
                var m = ValueMap()
                for key in object.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                    m[key.stringValue] = try object.decode(Node.self, forKey: key).value
                }
                value = .map(m)
            } else {
                let single = try decoder.singleValueContainer()
                if single.decodeNil() {
                    value = .null
                } else if let b = try? single.decode(Bool.self) {
                    value = .bool(b)
                } else if let i = try? single.decode(Int64.self) {
                    value = .int(i)
                } else if let d = try? single.decode(Double.self) {
                    value = .double(d)
                } else {
                    value = .string(try single.decode(String.self))
                }
            }
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }
}
