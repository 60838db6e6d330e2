import Foundation
import Logging
import SmallChangesStore
import Testing

@testable import SmallChangesServer

/// Two faults of issue 14 whose fix belongs in `Sources/SmallChangesCore/Conversation/` (the summary and the step
/// numbering), which is being changed elsewhere now: recorded as known issues, so these tests start failing, and
/// ask to lose `withKnownIssue`, once they are fixed there.
@Suite struct ConversationWordingFaultTests {
    @Test func resumeAfterAnAnswerDoesNotSayNothingIsWrittenYet() async throws {
        let client = DirectClient(dispatcher: ProtocolHarness().dispatcher)
        let started = await client.result("session/start", ["flow": "plan"])
        let id = try #require(started["sessionId"] as? String)
        _ = await client.result(
            "session/answer", ["sessionId": id, "text": "I lead a team of twelve health visitors in a busy city"])
        let summary = await client.result("session/resume", ["sessionId": id])["summary"] as? [String] ?? []
        withKnownIssue("Conversation.summary() counts neither context nor several other fields: issue 14") {
            #expect(summary.first?.contains("nothing written yet") == false, "\(summary)")
        }
    }

    @Test func aReviewWithNothingToReviewStartsAtItsFirstStep() async throws {
        let dispatcher = Dispatcher(
            guide: TestGuide.withReview, store: InMemorySessionStore(), logger: Logger(label: "test"))
        let started = await DirectClient(dispatcher: dispatcher).result("session/start", ["flow": "review"])
        let prompt = try #require(started["prompt"] as? [String: Any])
        withKnownIssue("a skipped step still counts in step N of M: issue 14") {
            #expect(prompt["step"] as? Int == 1, "\(prompt)")
        }
    }
}
