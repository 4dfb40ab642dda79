import Analysis
import PolicyModel
import Rules
import Testing

@Suite struct SuppressionTests {
    let harness = RulesHarness(pack: EngineTests.pack)

    @Test func aCommentMayBeASuppressionOnlyWhenItHoldsAMarker() {
        let marked = [
            "goldpath:ignore T001 reason=\"x\"", " checkov:skip=CKV_AWS_20: public site", "tfsec:ignore:aws-s3-enable-logging",
            "trivy:ignore:AVD-AWS-0089", "squawk-ignore ban-drop-column", "see https://x.io - then goldpath:ignore *",
            "tool: a-b squawk-ignore",
        ]
        for text in marked { #expect(SuppressionComment.mayBeSuppression(text), "\(text)") }
        let prose = [
            "", ":", "-", "goldpath: ignore", "goldpath-ignore", "checkov:skip", "tfsec:ignore", "trivy ignore:", "squawk:ignore",
            "oldpath:ignore", "## @param image.tag [default: latest] non-root", "squawk-ignor",
        ]
        for text in prose { #expect(!SuppressionComment.mayBeSuppression(text), "\(text)") }
    }

    @Test func aSuppressionWithAReasonSilencesTheNextLine() {
        harness.check(
            """
            image:
              repository: nginx
              # goldpath:ignore T001 reason="canary build" until=2027-01-31
              tag: latest
            """)
    }

    @Test func aSuppressionAboveTheSubjectCoversIt() {
        harness.check(
            """
            # goldpath:ignore * reason="legacy chart, migrating in Q1"
            image:
              repository: nginx
              tag: latest
            """)
    }

    @Test func aReasonIsMandatory() {
        harness.check(
            """
            image:
              repository: nginx
              # goldpath:ignore T001
            # ^^^^^^^^^^^^^^^^^^^^^^ warning suppression-malformed
              tag: latest
            # ^^^ error T001
            """)
    }

    @Test func anExpiredSuppressionIsReportedAndTheFindingReturns() {
        harness.check(
            """
            image:
              repository: nginx
              # goldpath:ignore T001 reason="temporary" until=2026-01-31
            # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning suppression-expired
              tag: latest
            # ^^^ error T001
            """)
    }

    @Test func anUnusedSuppressionIsReported() {
        harness.check(
            """
            image:
              repository: nginx
              # goldpath:ignore T001 reason="nothing to suppress"
            # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ info suppression-unused
              tag: "1.0"
            """)
    }

    @Test func aNonSuppressibleRuleStays() {
        harness.check(
            """
            image: {repository: a, tag: "1"}
            # goldpath:ignore T002 reason="batch job"
            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning suppression-not-allowed
            replicas: 9
            ^^^^^^^^ warning T002
            """)
    }

    @Test func requireApprovalIgnoresSelfApprovedComments() {
        var config = GoldpathConfig.withoutFOAK
        config.suppressionPolicy = .requireApproval
        RulesHarness(pack: EngineTests.pack, config: config).check(
            """
            image:
              repository: nginx
              # goldpath:ignore T001 reason="I approve myself"
            # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning suppression-unapproved
              tag: latest
            # ^^^ error T001
            """)
    }

    @Test func otherToolsCommentsAreHonouredThroughAliases() {
        let pack = EngineTests.pack.replacingOccurrences(of: "title: Tag pinned", with: "title: Tag pinned\n        aliases: [CKV_K8S_14]")
        RulesHarness(pack: pack).check(
            """
            image:
              repository: nginx
              # checkov:skip=CKV_K8S_14:pinned by digest upstream
              tag: latest
            """)
    }

    @Test func requireApprovalAlsoGovernsOtherToolsComments() {
        let pack = EngineTests.pack.replacingOccurrences(of: "title: Tag pinned", with: "title: Tag pinned\n        aliases: [CKV_K8S_14]")
        var config = GoldpathConfig.withoutFOAK
        config.suppressionPolicy = .requireApproval
        RulesHarness(pack: pack, config: config).check(
            """
            image:
              repository: nginx
              # checkov:skip=CKV_K8S_14:pinned by digest upstream
            # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning suppression-unapproved
              tag: latest
            # ^^^ error T001
            """)
    }

    @Test func anotherLanguagesToolDoesNotSuppress() {
        // squawk reads SQL migrations only: its comment in a values file is prose, not a suppression.
        let pack = EngineTests.pack.replacingOccurrences(of: "title: Tag pinned", with: "title: Tag pinned\n        aliases: [tag-pinned]")
        RulesHarness(pack: pack).check(
            """
            image:
              repository: nginx
              # squawk-ignore tag-pinned
              tag: latest
            # ^^^ error T001
            """)
    }

    @Test func suppressionSyntax() {
        let s = SuppressionParser.parse(
            .init(file: "f", range: .empty(at: 0), text: " goldpath:ignore A1,B2 reason=\"x y\" until=2027-02-03", targetLine: 1),
            dialects: [])
        #expect(s?.ruleIds == ["A1", "B2"])
        #expect(s?.reason == "x y")
        #expect(s?.until == "2027-02-03")
        #expect(s?.problem == nil)
        let bad = SuppressionParser.parse(
            .init(file: "f", range: .empty(at: 0), text: " goldpath:ignore A1 reason=x until=soon", targetLine: 1), dialects: [])
        #expect(bad?.problem == "until=soon is not a date (YYYY-MM-DD)")
    }
}
