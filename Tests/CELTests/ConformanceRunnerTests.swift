import CELConformance
import Foundation
import Testing

@Suite struct ConformanceRunnerTests {
    @Test func runsTheCasesInsideTheSubsetAndCountsTheRest() throws {
        let path = try #require(Bundle.module.path(forResource: "mini", ofType: "textproto", inDirectory: "Fixtures"))
        let outcome = try ConformanceRunner().run(file: path)
        #expect(outcome.name == "mini")
        #expect(outcome.passed == 6)
        #expect(outcome.failed == 1)
        #expect(outcome.failures == ["inside/wrong_on_purpose: expected 3, got 2"])
        #expect(outcome.skipped == 3)
    }
}
