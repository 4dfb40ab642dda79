import ArgumentParser
import Foundation

/// Checks of option values that ArgumentParser cannot express, failing as its own validation errors do
/// (the message and the usage; exit 2, goldpath's code for usage errors) before anything is opened or written.
enum OptionValidation {
    /// Whether `text` is a real calendar date, `YYYY-MM-DD` (no 2027-13-45, no 2026-02-30).
    static func isCalendarDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month), day >= 1
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    /// Whether `text` is an ISO 8601 date or date and time (`2026-11-01`, `2026-11-01T09:30`, `…T09:30:00Z`).
    static func isTimestamp(_ text: String) -> Bool {
        guard isCalendarDate(String(text.prefix(10))) else { return false }
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
