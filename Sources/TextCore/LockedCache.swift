import Foundation

/// A small dictionary shared between threads, emptied when it reaches its limit.
public final class LockedCache<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Key: Value] = [:]
    private let limit: Int

    /// A cache that holds at most `limit` entries before it starts over.
    public init(limit: Int) { self.limit = limit }

    /// The value remembered for `key`.
    public func get(_ key: Key) -> Value? { lock.withLock { values[key] } }

    /// Remembers `value` for `key`.
    public func set(_ key: Key, _ value: Value) {
        lock.withLock {
            if values.count >= limit { values.removeAll(keepingCapacity: true) }
            values[key] = value
        }
    }

    /// The value remembered for `key`, else `compute()`'s, remembered (computed outside the lock).
    public func value(_ key: Key, _ compute: () -> Value) -> Value {
        if let hit = get(key) { return hit }
        let value = compute()
        set(key, value)
        return value
    }
}
