import Foundation
import PolicyModel

/// How inline suppression comments are governed.
public enum SuppressionPolicy: String, Sendable, Hashable {
    /// An inline suppression with a reason counts.
    case inline
    /// An inline suppression counts only when a matching waiver was approved.
    case requireApproval = "require-approval"
}

/// Answers whether a human approved a waiver for a finding (the decisions store implements it).
public protocol WaiverLookup: Sendable {
    /// Whether an unexpired approved waiver covers the finding with this fingerprint.
    func hasApprovedWaiver(fingerprint: String) -> Bool
}

/// Settings of the engine that come from `.goldpath.yaml`.
public struct EngineConfig: Sendable {
    /// Parameter overrides per golden path id.
    public var params: [String: [String: Value]]
    /// Severity overrides per rule id; `nil` switches the rule off.
    public var severities: [String: Severity?]
    /// The severity of first-of-a-kind findings; `nil` switches them off.
    public var foakSeverity: Severity?
    /// How suppressions are governed.
    public var suppressionPolicy: SuppressionPolicy
    /// The waiver store, when one is available.
    public var waivers: (any WaiverLookup)?
    /// Today's date as `YYYY-MM-DD`, for suppression expiry.
    public var today: String
    /// Findings waived by a reviewer: fingerprint → expiry date.
    public var waivedFingerprints: [String: String] = [:]

    /// Creates a config.
    public init(
        params: [String: [String: Value]] = [:], severities: [String: Severity?] = [:], foakSeverity: Severity? = .warning,
        suppressionPolicy: SuppressionPolicy = .inline, waivers: (any WaiverLookup)? = nil, today: String = EngineConfig.currentDate()
    ) {
        self.params = params
        self.severities = severities
        self.foakSeverity = foakSeverity
        self.suppressionPolicy = suppressionPolicy
        self.waivers = waivers
        self.today = today
    }

    /// Today's UTC date as `YYYY-MM-DD`.
    public static func currentDate() -> String {
        let days = Int(Date.now.timeIntervalSince1970 / 86_400)
        return civilDate(daysSinceEpoch: days)
    }

    /// The `YYYY-MM-DD` date `days` after 1970-01-01 (Howard Hinnant's algorithm).
    static func civilDate(daysSinceEpoch days: Int) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func pad(_ n: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }
}
