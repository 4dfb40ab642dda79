import Foundation

/// What was computed from a file's text, for the latest few versions of each file. A fix's re-check and an
/// editor's every keystroke bring new versions of one file; keeping them by content, as before, kept every
/// version ever seen (an edited migration's parse, a thousand times over). Here a file keeps its `depth`
/// most recently used versions (by default two: its text on disk and the one being checked).
public final class RecentVersions<Slot: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Slot: [(text: String, value: Value)]] = [:]
    private let depth: Int
    private let limit: Int

    /// A cache of `depth` versions per slot, emptied when it holds `limit` slots.
    public init(depth: Int = 2, limit: Int = 4096) {
        self.depth = depth
        self.limit = limit
    }

    /// The value computed for `text` in `slot`, computed now (outside the lock) when that version is not kept.
    public func value(_ slot: Slot, text: String, compute: () -> Value) -> Value {
        value(slot, text: text) { _ in compute() }
    }

    /// The value computed for `text` in `slot`; when that version is not kept, `compute` works it out (outside the lock)
    /// given the most recent version that is, if any (an edit's parse may start from the parse of the text before it).
    public func value(_ slot: Slot, text: String, compute: ((text: String, value: Value)?) -> Value) -> Value {
        let (hit, recent): (Value?, (text: String, value: Value)?) = lock.withLock {
            guard var versions = slots[slot] else { return (nil, nil) }
            guard let i = versions.firstIndex(where: { $0.text == text }) else { return (nil, versions.first) }
            // The version asked for is the most recent now.
            if i > 0 {
                versions.insert(versions.remove(at: i), at: 0)
                slots[slot] = versions
            }
            return (versions[0].value, nil)
        }
        if let hit { return hit }
        let value = compute(recent)
        lock.withLock {
            if slots[slot] == nil && slots.count >= limit { slots.removeAll(keepingCapacity: true) }
            var versions = slots[slot, default: []].filter { $0.text != text }
            versions.insert((text, value), at: 0)
            slots[slot] = Array(versions.prefix(depth))
        }
        return value
    }
}
