import Synchronization

/// Values a command keeps until the process exits. A large run's report holds hundreds of thousands of subjects,
/// values and findings; releasing them one by one after the output is written only delays the exit, while the
/// system takes the whole memory back at once.
enum KeptUntilExit {
    private static let kept = Mutex<[any Sendable]>([])

    /// Keeps `value` alive until the process exits.
    static func keep(_ value: any Sendable) {
        kept.withLock { $0.append(value) }
    }
}
