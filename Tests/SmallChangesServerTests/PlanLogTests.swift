import Foundation
import SmallChangesCore
import Testing

@testable import SmallChangesServer

/// `plan/log` and the calendar export, through the dispatcher.
@Suite struct PlanLogTests {
    @Test func aFigureIsLoggedInAFinishedPlanAndComesBackInItsPlan() async throws {
        let harness = ProtocolHarness()
        let client = DirectClient(dispatcher: harness.dispatcher)
        let started = await client.result("session/start", ["flow": "reflect"])
        let id = try #require(started["sessionId"] as? String)
        let last = await DispatcherTests.play(client, sessionId: id, answers: DispatcherTests.answers)
        #expect(last["finished"] as? Bool == true)

        let logged = await client.result("plan/log", ["sessionId": id, "value": 4, "date": "yesterday"])
        #expect((logged["logged"] as? [String: Any])?["value"] as? Double == 4)
        #expect((logged["values"] as? [Any])?.count == 1)
        #expect((logged["verdict"] as? String)?.contains("too early") == true)
        let plan = await client.result("plan/get", ["sessionId": id])
        let measures = (plan["plan"] as? [String: Any])?["measures"] as? [[String: Any]]
        #expect((measures?.first?["values"] as? [Any])?.count == 1)

        let refused = await client.call("plan/log", ["sessionId": id, "value": 4, "date": "blursday"])
        #expect(errorCode(refused) == -32602)
        #expect(((refused["error"] as? [String: Any])?["message"] as? String)?.contains("blursday") == true)

        // A session that reviews the plan (the test guide has no review flow; any flow can review a plan).
        let review = await client.result("session/start", ["flow": "reflect", "reviewing": id])
        let reviewID = try #require(review["sessionId"] as? String)
        let elsewhere = await client.call("plan/log", ["sessionId": reviewID, "value": 4])
        #expect(((elsewhere["error"] as? [String: Any])?["message"] as? String)?.contains(id) == true)
        let calendar = await client.result("plan/export", ["sessionId": reviewID, "format": "ics"])
        #expect((calendar["content"] as? String)?.hasPrefix("BEGIN:VCALENDAR\r\n") == true)
    }
}
