import Foundation
import Testing

@testable import SmallChangesCore

@Suite struct ConversationTests {
    let now = TestGuide.now

    /// Answers the plan flow up to the barriers question.
    func atBarriers() -> Conversation {
        var conversation = TestGuide.conversation("plan")
        _ = conversation.answer("a community mental health team", at: now)
        _ = conversation.answer("people should be listened to the first time", at: now)
        _ = conversation.answer("done", at: now)
        return conversation
    }

    @Test func replayingTheLogGivesTheSamePlanAndPlace() {
        var conversation = atBarriers()
        _ = conversation.answer("caseloads are far too high to try anything new", at: now)
        _ = conversation.answer("nothing else", at: now)
        _ = conversation.answer("ask to swap one meeting for a stand-up", at: now)
        _ = conversation.perform(.back, at: now)
        _ = conversation.answer("book protected time on Fridays", at: now)
        var replayed = TestGuide.conversation("plan")
        replayed.replay(conversation.turns)
        #expect(replayed.plan == conversation.plan)
        #expect(replayed.prompt == conversation.prompt)
        #expect(replayed.turns == conversation.turns)
    }

    @Test func aBarrierGivenToThePrinciplesQuestionLandsInBarriers() {
        var conversation = TestGuide.conversation("plan")
        _ = conversation.answer("a hospital ward", at: now)
        let reply = conversation.answer("my manager says no to anything new that we suggest", at: now)
        #expect(conversation.plan.barriers.map(\.words) == ["my manager says no to anything new that we suggest"])
        #expect(conversation.plan.principles.isEmpty)
        #expect(reply.prompt?.id == "principles", "the principles question is asked again")
    }

    @Test func noAfterAnythingElseEndsTheList() {
        var conversation = atBarriers()
        _ = conversation.answer("we never have time to stop and think", at: now)
        #expect(conversation.prompt?.type == .list)
        let reply = conversation.answer("no", at: now)
        #expect(reply.prompt?.id == "ways-around")
        #expect(conversation.plan.barriers.count == 1)
    }

    @Test func goBackUndoesTheLastAnswerAndAsksItsQuestionAgain() {
        var conversation = atBarriers()
        _ = conversation.answer("we never have time to stop and think", at: now)
        let reply = conversation.answer("go back", at: now)
        #expect(conversation.plan.barriers.isEmpty)
        #expect(reply.prompt?.id == "barriers")
        #expect(reply.prompt?.text.hasPrefix("What gets in the way") == true)
    }

    @Test func notSureOffersExamplesFromTheCorpus() {
        var conversation = atBarriers()
        let reply = conversation.answer("hmm, not sure", at: now)
        let cards = reply.messages.compactMap(\.card)
        #expect((2...3).contains(cards.count))
        #expect(cards.allSatisfy { TestGuide.guide.corpus.card($0) != nil })
        #expect(reply.accepted == false)
        #expect(reply.prompt?.id == "barriers")
    }

    @Test func aBarrierTouchingABuildingBlockBringsThatBlocksIdeas() {
        var conversation = atBarriers()
        _ = conversation.answer("caseloads are far too high to try anything new", at: now)
        let reply = conversation.answer("done", at: now)
        #expect(reply.prompt?.id == "ways-around")
        #expect(reply.prompt?.text.contains("caseloads are far too high") == true)
        let theme = conversation.plan.barriers.first?.theme
        #expect(theme != nil)
        if let theme, let block = TestGuide.guide.corpus.block(theme) {
            #expect(reply.messages.contains { $0.card == block.id })
        }
    }

    @Test func anAmbiguousAnswerIsConfirmedNotGuessed() {
        var conversation = atBarriers()
        let routing = Routing(
            intent: .idea, confidence: 0.45, theme: .resources,
            alternatives: [.init(intent: .barrier, confidence: 0.4)], needsConfirm: true)
        let reply = conversation.apply(Turn(kind: .answer, text: "more admin support", at: now, routing: routing))
        #expect(reply.needsConfirm)
        // Asked with concrete choices: add it where it sounded like it belongs (1), or keep it here (2).
        #expect(reply.prompt?.type == .choice)
        #expect(reply.prompt?.choices == ["ideas", "barriers"])
        #expect(reply.prompt?.text.contains("an idea") == true)
        #expect(conversation.plan.ideas.isEmpty && conversation.plan.barriers.isEmpty)
        // "no": it goes where the question expected, a barrier.
        let confirmed = conversation.apply(
            Turn(kind: .answer, text: "no", at: now, routing: Routing(intent: .no, confidence: 0.9)))
        #expect(confirmed.accepted)
        #expect(conversation.plan.barriers.map(\.text) == ["more admin support"])
    }

    @Test func anEmptyAnswerIsAskedAgainWithoutATurn() {
        var conversation = TestGuide.conversation("reflect")
        let reply = conversation.answer("   ", at: now)
        #expect(!reply.accepted)
        #expect(conversation.turns.isEmpty)
        #expect(reply.prompt?.id == "barrier")
    }

    @Test func aChoiceCanBePickedByNumber() {
        var conversation = atBarriers()
        _ = conversation.answer("done", at: now)  // no barriers: ways around is skipped
        _ = conversation.answer("a ten minute huddle each morning", at: now)
        _ = conversation.answer("a shared list of contacts in the next team", at: now)
        let reply = conversation.answer("done", at: now)
        #expect(reply.prompt?.type == .choice)
        #expect(reply.prompt?.choices?.count == 2)
        _ = conversation.answer("2", at: now)
        #expect(conversation.plan.change.map(\.text) == ["a shared list of contacts in the next team"])
        // The change stands for the idea picked: its words and theme, not the matcher's reading of "2".
        let idea = conversation.plan.ideas[1]
        #expect(conversation.plan.change.first?.words == idea.words)
        #expect(conversation.plan.change.first?.theme == idea.theme)
        #expect(conversation.turns.last?.text == "2")
    }

    @Test func reviewAsksAboutEachPredictionAndRecordsTheDecision() {
        var plan = ChangePlan()
        plan.add(
            ChangePlan.Entry(text: "people will moan then like it", words: "people will moan then like it"),
            to: .predictions)
        guard let flow = TestGuide.guide.flow("review") else { Issue.record("no review flow"); return }
        var conversation = Conversation(guide: TestGuide.guide, flow: flow, participants: [], reviewing: plan)
        #expect(conversation.prompt?.text.contains("people will moan then like it") == true)
        _ = conversation.answer("they moaned for two days and then asked for it every morning", at: now)
        _ = conversation.answer("it only worked when the manager came", at: now)
        _ = conversation.answer("done", at: now)
        #expect(conversation.prompt?.type == .choice)
        _ = conversation.answer("adapt: move it to Tuesdays", at: now)
        #expect(conversation.plan.cycles.last?.decision?.choice == .adapt)
        #expect(conversation.plan.cycles.last?.happened.count == 1)
    }
}
