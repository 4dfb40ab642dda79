import Foundation
import JSONRPC

/// Decodes `Decodable` protocol types straight from a parsed ``JSON`` value, with no text round trip (a
/// `didChange` carrying a whole document is decoded on every keystroke). A failure names the field's path:
/// `textDocument.uri is missing`, `position.line must be a number`.
struct JSONValueDecoder {
    /// Decodes `type` from `json` (`nil` params decode as an empty object, so optional fields may be absent).
    static func decode<T: Decodable>(_ type: T.Type, from json: JSON?) throws(ProtocolError) -> T {
        if let raw = (json ?? .null) as? T { return raw }
        do {
            return try T(from: ValueDecoder(json: json ?? .object([:]), path: []))
        } catch let error as ProtocolError {
            throw error
        } catch {
            throw ProtocolError("the params cannot be read: \(error)")
        }
    }
}

/// Params that do not fit their method's type, said in one sentence.
struct ProtocolError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

private func describe(_ path: [CodingKey]) -> String {
    path.isEmpty
        ? "the params"
        : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
}

private struct ValueDecoder: Decoder {
    let json: JSON
    let path: [CodingKey]
    var codingPath: [CodingKey] { path }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = json else { throw ProtocolError("\(describe(path)) must be an object") }
        return KeyedDecodingContainer(KeyedContainer<Key>(object: object, path: path))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .array(let items) = json else { throw ProtocolError("\(describe(path)) must be an array") }
        return UnkeyedContainer(items: items, path: path)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { SingleValue(json: json, path: path) }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: [String: JSON]
    let path: [CodingKey]
    var codingPath: [CodingKey] { path }
    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    func decodeNil(forKey key: Key) throws -> Bool { object[key.stringValue].map { $0 == .null } ?? true }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let value = object[key.stringValue] else { throw ProtocolError("\(describe(path + [key])) is missing") }
        if let raw = value as? T { return raw }
        return try T(from: ValueDecoder(json: value, path: path + [key]))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = object[key.stringValue], value != .null else { return nil }
        if let raw = value as? T { return raw }
        return try T(from: ValueDecoder(json: value, path: path + [key]))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(json: object[key.stringValue] ?? .null, path: path + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try ValueDecoder(json: object[key.stringValue] ?? .null, path: path + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder { ValueDecoder(json: .object(object), path: path) }
    func superDecoder(forKey key: Key) throws -> Decoder { ValueDecoder(json: object[key.stringValue] ?? .null, path: path + [key]) }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let items: [JSON]
    let path: [CodingKey]
    var currentIndex = 0
    var codingPath: [CodingKey] { path }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    init(items: [JSON], path: [CodingKey]) {
        self.items = items
        self.path = path
    }

    private mutating func next() throws -> (JSON, [CodingKey]) {
        guard !isAtEnd else { throw ProtocolError("\(describe(path)) has too few elements") }
        defer { currentIndex += 1 }
        return (items[currentIndex], path + [AnyKey(intValue: currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next()
        if let raw = value as? T { return raw }
        return try T(from: ValueDecoder(json: value, path: path))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, path) = try next()
        return try ValueDecoder(json: value, path: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        let (value, path) = try next()
        return try ValueDecoder(json: value, path: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> Decoder {
        let (value, path) = try next()
        return ValueDecoder(json: value, path: path)
    }
}

private struct SingleValue: SingleValueDecodingContainer {
    let json: JSON
    let path: [CodingKey]
    var codingPath: [CodingKey] { path }

    func decodeNil() -> Bool { json == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = json else { throw ProtocolError("\(describe(path)) must be true or false") }
        return b
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let s) = json else { throw ProtocolError("\(describe(path)) must be a string") }
        return s
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard case .number(let n) = json else { throw ProtocolError("\(describe(path)) must be a number") }
        return n
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func decode(_ type: Int.Type) throws -> Int {
        guard case .number(let n) = json, n == n.rounded(), abs(n) < 9e15 else {
            throw ProtocolError("\(describe(path)) must be an integer")
        }
        return Int(n)
    }

    func decode(_ type: Int8.Type) throws -> Int8 { try narrow(decode(Int.self)) }
    func decode(_ type: Int16.Type) throws -> Int16 { try narrow(decode(Int.self)) }
    func decode(_ type: Int32.Type) throws -> Int32 { try narrow(decode(Int.self)) }
    func decode(_ type: Int64.Type) throws -> Int64 { Int64(try decode(Int.self)) }
    func decode(_ type: UInt.Type) throws -> UInt { try narrow(decode(Int.self)) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try narrow(decode(Int.self)) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try narrow(decode(Int.self)) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try narrow(decode(Int.self)) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try narrow(decode(Int.self)) }

    private func narrow<T: FixedWidthInteger>(_ n: Int) throws -> T {
        guard let v = T(exactly: n) else { throw ProtocolError("\(describe(path)) is out of range") }
        return v
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let raw = json as? T { return raw }
        return try T(from: ValueDecoder(json: json, path: path))
    }
}
