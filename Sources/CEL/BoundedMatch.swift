import Foundation
import TextCore

/// Regular-expression matching bounded in time: NSRegularExpression backtracks, so a pattern such as `(a+)+$` can
/// take exponential time on a value; `.reportProgress` calls back during a long match, and the match stops there.
enum BoundedMatch {
    /// Whether `regex` matches somewhere in `value`; an error when it has not decided within `seconds`.
    static func firstMatch(_ regex: NSRegularExpression, in value: String, seconds: Double, at range: SourceRange) throws(CELEvalError)
        -> Bool
    {
        // A short value is matched once per pattern for the process: the same names are asked again by every
        // subject that has them, and by a fix's re-check. A match that gave up is an error and is not kept.
        guard value.utf8.count <= maxRememberedBytes else { return try search(regex, in: value, seconds: seconds, at: range) }
        let key = Input(pattern: regex.pattern, options: regex.options.rawValue, value: value)
        if let known = decided.get(key) { return known }
        let found = try search(regex, in: value, seconds: seconds, at: range)
        decided.set(key, found)
        return found
    }

    /// The longest value whose outcome is remembered.
    static let maxRememberedBytes = 256

    /// A pattern (with its options) and the value it was matched against.
    struct Input: Hashable {
        var pattern: String
        var options: UInt
        var value: String
    }

    /// The outcomes of matches that decided, by pattern and value.
    private static let decided = LockedCache<Input, Bool>(limit: 16384)

    /// Whether `regex` matches somewhere in `value`, searched now; an error when it has not decided within `seconds`.
    private static func search(_ regex: NSRegularExpression, in value: String, seconds: Double, at range: SourceRange)
        throws(CELEvalError) -> Bool
    {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, seconds) * 1e9)
        var found = false
        var timedOut = false
        regex.enumerateMatches(in: value, options: [.reportProgress], range: NSRange(location: 0, length: (value as NSString).length)) {
            match, _, stop in
            if match != nil {
                found = true
                stop.pointee = true
            } else if DispatchTime.now().uptimeNanoseconds > deadline {
                timedOut = true
                stop.pointee = true
            }
        }
        if timedOut && !found {
            throw CELEvalError(
                .costLimitExceeded,
                "matches() gave up after \(Int(seconds * 1000)) ms on a value of \(value.utf8.count) bytes: the pattern backtracks too much on it",
                at: range)
        }
        return found
    }
}
