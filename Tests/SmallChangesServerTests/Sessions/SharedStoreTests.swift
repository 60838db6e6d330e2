import Foundation
import Logging
import SmallChangesCore
import SmallChangesStore
import Testing

@testable import SmallChangesServer

/// A server shares its store with other processes (a REPL, `smallchanges delete`): what they write wins.
@Suite struct SharedStoreTests {
    /// The plan a session has when the answers are given one after another in one place.
    static func planOfAnswers(_ answers: [String]) async throws -> [String: Any] {
        let client = DirectClient(dispatcher: ProtocolHarness().dispatcher)
        let id = try #require(await client.result("session/start", ["flow": "reflect"])["sessionId"] as? String)
        for answer in answers { _ = await client.result("session/answer", ["sessionId": id, "text": answer]) }
        return await client.result("plan/get", ["sessionId": id])
    }

    @Test func anAnswerStoredByAnotherProcessIsSeenBeforeTheNextAnswerIsApplied() async throws {
        let harness = ProtocolHarness()
        let client = DirectClient(dispatcher: harness.dispatcher)
        // Another process on the same store: a second dispatcher.
        let elsewhere = DirectClient(
            dispatcher: Dispatcher(guide: TestGuide.shared, store: harness.store, logger: Logger(label: "test")))
        let answers = Array(DispatcherTests.answers[0..<3])
        let started = await client.result("session/start", ["flow": "reflect"])
        let id = try #require(started["sessionId"] as? String)
        _ = await client.result("session/answer", ["sessionId": id, "text": answers[0]])
        _ = await elsewhere.result("session/answer", ["sessionId": id, "text": answers[1]])

        let got = await client.result("session/get", ["sessionId": id])
        #expect(got["turns"] as? Int == 2)
        let next = await client.result("session/answer", ["sessionId": id, "text": answers[2]])
        #expect(next["accepted"] as? Bool == true)
        let stored = try harness.store.load(try #require(SessionID(rawValue: id)))
        #expect(stored.turns.map(\.text) == answers)
        let plan = await client.result("plan/get", ["sessionId": id])
        #expect(NSDictionary(dictionary: plan).isEqual(to: try await Self.planOfAnswers(answers)))
    }

    @Test func aSessionDeletedFromTheStoreIsNoLongerServedFromMemory() async throws {
        let harness = ProtocolHarness()
        let client = DirectClient(dispatcher: harness.dispatcher)
        let started = await client.result("session/start", ["flow": "reflect"])
        let id = try #require(started["sessionId"] as? String)
        _ = await client.result("session/answer", ["sessionId": id, "text": DispatcherTests.answers[0]])
        try harness.store.delete(try #require(SessionID(rawValue: id)))

        for method in ["session/get", "plan/get", "session/resume"] {
            #expect(errorCode(await client.call(method, ["sessionId": id])) == -32010, "\(method)")
        }
        let answer = await client.call("session/answer", ["sessionId": id, "text": DispatcherTests.answers[1]])
        #expect(errorCode(answer) == -32010)
    }

    @Test func aFailedCommitSaysTheDiskIsFull() async throws {
        let controlled = ControlledStore()
        let harness = ProtocolHarness(controlled: controlled)
        let client = DirectClient(dispatcher: harness.dispatcher)
        let started = await client.result("session/start", ["flow": "reflect"])
        let id = try #require(started["sessionId"] as? String)
        controlled.fail(true, full: true)
        let refused = await client.call("session/answer", ["sessionId": id, "text": DispatcherTests.answers[0]])
        #expect(errorCode(refused) == -32004)
        let message = (refused["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(message.contains("disk is full"), "\(message)")
        #expect(message.contains("nothing was saved"), "\(message)")
    }
}
