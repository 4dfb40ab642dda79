import Analysis
import ArgumentParser
import Foundation

/// Checks of option values that ArgumentParser cannot express, failing as its own validation errors do
/// (the message and the usage; exit 2, goldpath's code for usage errors) before anything is opened or written.
enum OptionValidation {
    /// Whether `text` is an ISO 8601 date or date and time (`2026-11-01`, `2026-11-01T09:30`, `…T09:30:00Z`).
    static func isTimestamp(_ text: String) -> Bool {
        guard CalendarDate.isValid(String(text.prefix(10))) else { return false }
        let rest = text.dropFirst(10)
        if rest.isEmpty { return true }
        return rest.range(of: #"^[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$"#, options: .regularExpression) != nil
    }

    /// Fails unless `value` is one of `allowed`.
    static func oneOf(_ value: String, _ allowed: [String], option: String) throws {
        guard allowed.contains(value) else {
            throw ValidationError("\(option) must be one of \(allowed.joined(separator: ", ")), not '\(value)'")
        }
    }
}
