import Foundation
import SmallChangesCore
import SmallChangesStore
import SmallChangesTesting
import Testing

@Suite("One session's lifecycle over a store")
struct SessionHandleTests {
    static let guide = PackageGuide.build(flows: ["plan.yaml", "review.yaml"])

    static let day = Date(timeIntervalSince1970: 1_796_000_000)

    static func start(_ flow: String, reviewing: SessionID? = nil, store: any SessionStore) throws -> SessionHandle {
        try SessionHandle.start(
            guide: guide, flow: try #require(guide.flow(flow)), participants: [], reviewing: reviewing, store: store,
            at: day)
    }

    static func say(_ text: String, to handle: inout SessionHandle) throws {
        _ = try handle.take(at: day) { $0.answer(text, at: day) }
    }

    @Test func aSessionIsStoredWithItsFirstTurnAndNotBefore() throws {
        let store = InMemorySessionStore()
        var handle = try Self.start("plan", store: store)
        #expect(try store.records().isEmpty)
        try Self.say("I run the discharge lounge on a busy medical ward", to: &handle)
        let stored = try store.load(handle.record.id)
        #expect(stored.turns.count == 1)
        #expect(stored.record == handle.record)
        #expect(SessionSummary(stored.record, guide: Self.guide).stage == handle.conversation.stands)
    }

    @Test func aReviewOfAReviewResumesOnThePlanAndEveryCycleBeforeIt() throws {
        let store = InMemorySessionStore()
        var plan = try Self.start("plan", store: store)
        try Self.say("I run the discharge lounge on a busy medical ward", to: &plan)
        var first = try Self.start("review", reviewing: plan.record.id, store: store)
        try Self.say("Patients left the lounge before their medicines were ready", to: &first)
        var second = try Self.start("review", reviewing: first.record.id, store: store)
        try Self.say("Fewer people waited once pharmacy saw the list at nine", to: &second)

        let resumed = try SessionHandle.resume(second.record.id, guide: Self.guide, store: store)
        #expect(resumed.conversation.plan.context == plan.conversation.plan.context)
        #expect(resumed.conversation.plan.cycles.count == 2)
        #expect(resumed.conversation.plan == second.conversation.plan)
    }

    @Test func turnsAnotherProcessStoredAreTakenInAndTheInputFollowsThem() throws {
        let store = InMemorySessionStore()
        var here = try Self.start("plan", store: store)
        try Self.say("I run the discharge lounge on a busy medical ward", to: &here)
        var elsewhere = try SessionHandle.resume(here.record.id, guide: Self.guide, store: store)
        try Self.say("Every patient should leave knowing their next step", to: &elsewhere)

        try Self.say("Beds are chased before the paperwork is done", to: &here)
        #expect(here.conversation.turns.count == 3)
        #expect(try store.load(here.record.id).turns.map(\.text) == here.conversation.turns.map(\.text))
    }

    @Test func aCommitThatFailsLeavesTheHandleAsTheStoreHasIt() throws {
        let store = InMemorySessionStore()
        var here = try Self.start("plan", store: store)
        try Self.say("I run the discharge lounge on a busy medical ward", to: &here)
        let asked = here.conversation.prompt
        try store.delete(here.record.id)
        #expect(throws: StoreError.self) { try Self.say("Every patient should know their next step", to: &here) }
        #expect(here.conversation.turns.count == 1)
        #expect(here.conversation.prompt == asked)
    }

    @Test func replayingStoredTurnsGivesTheRepliesTheyHadWhenTaken() throws {
        let store = InMemorySessionStore()
        var handle = try Self.start("plan", store: store)
        var replies: [Reply] = []
        for answer in ["I run the discharge lounge", "Every patient should know their next step", "not sure"] {
            replies.append(try handle.take(at: Self.day) { $0.answer(answer, at: Self.day) }.reply)
        }
        let replayed = try SessionHandle.replayed(
            handle.record.id, after: 0, guide: Self.guide, store: store
        ) { _, _, reply, _ in reply }
        #expect(replayed == Array(replies.prefix(replayed.count)))
        #expect(replayed.count == handle.conversation.turns.count)
    }
}

@Suite("An answer to a question the session has left")
struct MovedOnTests {
    @Test func anAnswerToTheQuestionShownIsNotFiledUnderOneReachedElsewhere() throws {
        let store = InMemorySessionStore()
        var here = try SessionHandleTests.start("plan", store: store)
        try SessionHandleTests.say("I run the discharge lounge on a busy medical ward", to: &here)
        let shown = try #require(here.conversation.prompt?.id)
        var elsewhere = try SessionHandle.resume(here.record.id, guide: SessionHandleTests.guide, store: store)
        try SessionHandleTests.say("Every patient should leave knowing their next step", to: &elsewhere)
        try SessionHandleTests.say("done", to: &elsewhere)
        #expect(elsewhere.conversation.prompt?.id != shown)

        #expect(throws: SessionHandle.MovedOn.self) {
            try here.take(at: SessionHandleTests.day, answering: shown) {
                $0.answer("Beds are chased before the paperwork is done", at: SessionHandleTests.day)
            }
        }
        // Nothing was filed; the handle stands where the store does, at the question reached elsewhere.
        #expect(try store.load(here.record.id).turns.count == elsewhere.conversation.turns.count)
        #expect(here.conversation.prompt?.id == elsewhere.conversation.prompt?.id)
    }
}
