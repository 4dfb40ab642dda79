import Dispatch

extension Array where Element: Sendable {
    /// Maps the elements on all cores, keeping the order; `transform` must be free of shared mutable state.
    public func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        if count < 2 { return map(transform) }
        let results = ResultSlots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { i in
            results.set(i, transform(self[i]))
        }
        return results.values
    }
}

/// Write-once result slots filled by `concurrentPerform`; each index is written by exactly one iteration.
private final class ResultSlots<T>: @unchecked Sendable {
    // Safe without a lock: every index is written once, by one thread, and read only after concurrentPerform returns.
    private var slots: [T?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: T) {
        slots.withUnsafeMutableBufferPointer { $0[i] = value }
    }

    var values: [T] { slots.map { $0! } }
}
