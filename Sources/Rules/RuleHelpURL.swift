extension Rule {
    /// Where a reader learns more about the rule: its own `docs:` page, else the page of the first alias that a
    /// peer tool documents under a stable address: Trivy's (`AVD-AWS-0080`, `KSV017`: avd.aquasec.com), squawk's
    /// for a PostgreSQL rule (`ban-drop-column`) and kube-linter's for a Kubernetes one (`privileged-container`).
    /// Checkov's and Polaris's pages are not addressed by id, so their aliases give no URL.
    public func helpURL(language: String) -> String? {
        if let docs { return docs }
        for alias in aliases {
            let lower = alias.lowercased()
            if lower.hasPrefix("avd-") || (lower.hasPrefix("ksv") && alias.dropFirst(3).allSatisfy(\.isNumber)) {
                return "https://avd.aquasec.com/misconfig/\(lower)"
            }
        }
        let kebab = aliases.first { alias in
            // Swift's own search, not Foundation's: the language server asks this for every diagnostic it sends.
            alias.utf8.contains(UInt8(ascii: "-")) && alias.allSatisfy { $0 == "-" || $0.isNumber || ($0.isLetter && $0.isLowercase) }
        }
        guard let kebab else { return nil }
        switch language {
        case "sql-migration": return "https://squawkhq.com/docs/\(kebab)"
        case "helm-values": return "https://docs.kubelinter.io/#/generated/checks?id=\(kebab)"
        default: return nil
        }
    }
}
