import Foundation
import Logging
import SmallChangesStore
import Testing

@testable import SmallChangesServer

/// Two faults of issue 14 in what a session says about itself: the summary on resume, and the step numbering.
@Suite struct SessionWordingTests {
    @Test func resumeAfterAnAnswerDoesNotSayNothingIsWrittenYet() async throws {
        let client = DirectClient(dispatcher: ProtocolHarness().dispatcher)
        let started = await client.result("session/start", ["flow": "plan"])
        let id = try #require(started["sessionId"] as? String)
        _ = await client.result(
            "session/answer", ["sessionId": id, "text": "I lead a team of twelve health visitors in a busy city"])
        let summary = await client.result("session/resume", ["sessionId": id])["summary"] as? [String] ?? []
        #expect(summary.first?.contains("nothing written yet") == false, "\(summary)")
        #expect(summary.first?.contains("context") == true, "\(summary)")
    }

    @Test func aReviewWithNothingToReviewStartsAtItsFirstStep() async throws {
        let dispatcher = Dispatcher(
            guide: TestGuide.withReview, store: InMemorySessionStore(), logger: Logger(label: "test"))
        let started = await DirectClient(dispatcher: dispatcher).result("session/start", ["flow": "review"])
        let prompt = try #require(started["prompt"] as? [String: Any])
        #expect(prompt["step"] as? Int == 1, "\(prompt)")
    }
}
