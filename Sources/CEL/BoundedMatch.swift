import Foundation
import TextCore

/// Regular-expression matching bounded in time: NSRegularExpression backtracks, so a pattern such as `(a+)+$` can
/// take exponential time on a value; `.reportProgress` calls back during a long match, and the match stops there.
enum BoundedMatch {
    /// Whether `regex` matches somewhere in `value`; an error when it has not decided within `seconds`.
    static func firstMatch(_ regex: NSRegularExpression, in value: String, seconds: Double, at range: SourceRange) throws(CELEvalError)
        -> Bool
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
