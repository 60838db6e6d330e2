import Foundation
import Testing

@testable import SmallChangesCore

@Suite struct PairTests {
    let now = TestGuide.now

    @Test func eachPartnerIsAskedInTurnAndEveryAnswerKeepsItsSpeaker() {
        var conversation = TestGuide.conversation("pair", participants: ["Ana", "Ben"])
        #expect(conversation.prompt?.speaker == "Ana")
        #expect(conversation.prompt?.text.hasPrefix("Ana: ") == true)
        _ = conversation.answer("every family should feel listened to", at: now)
        _ = conversation.answer("done", at: now)
        #expect(conversation.prompt?.speaker == "Ben")
        #expect(conversation.prompt?.text.hasPrefix("Ben: ") == true)
        _ = conversation.answer("staff should be trusted to use their judgement", at: now)
        _ = conversation.answer("done", at: now)
        #expect(conversation.plan.principles.map(\.speaker) == ["Ana", "Ben"])
        #expect(conversation.plan.sideBySide()?.contains("| Ana | Ben |") == true)
    }

    @Test func whoChangesTheSpeakerOfTheNextAnswerOnly() {
        var conversation = TestGuide.conversation("pair", participants: ["Ana", "Ben"])
        _ = conversation.perform(.who("ben"), at: now)
        #expect(conversation.prompt?.speaker == "Ben")
        _ = conversation.answer("people come before process", at: now)
        #expect(conversation.plan.principles.last?.speaker == "Ben")
        #expect(conversation.prompt?.speaker == "Ana")
    }

    /// A two-question flow for a pair: each partner names their change, then both agree a check-in.
    static let twoQuestions = """
        id: two-questions
        title: Two questions
        summary: Each partner's change, then a check-in.
        pair: true
        welcome: Welcome.
        farewell: Done.
        steps:
          - id: change
            stage: Sparking
            field: change
            expects: idea
            to: each
            ask: "{name}: what one small change will you start?"
            source: "Workshop 2"
          - id: check-ins
            stage: Living
            field: check_ins
            expects: support
            to: both
            ask: "Together: when will you check in?"
            source: "Pairs"
        """

    @Test func afterWhoTheQuestionGoesToThePartnerWhoHasNotAnsweredAndNobodyIsAskedTwice() throws {
        let flow = try Flow.parse(Self.twoQuestions, file: "two-questions.yaml", corpus: TestGuide.guide.corpus)
        var conversation = Conversation(guide: TestGuide.guide, flow: flow, participants: ["Ana", "Ben"])
        #expect(conversation.prompt?.speaker == "Ana")
        _ = conversation.perform(.who("Ben"), at: now)
        _ = conversation.answer("a ten minute huddle every morning", at: now)
        #expect(conversation.plan.change.map(\.speaker) == ["Ben"])
        // Ben has had his turn: the question goes to Ana, then on; Ben is not asked again.
        #expect(conversation.prompt?.speaker == "Ana")
        #expect(conversation.prompt?.id == "change")
        _ = conversation.answer("write up each visit before the next one", at: now)
        #expect(conversation.plan.change.map(\.speaker) == ["Ben", "Ana"])
        #expect(conversation.prompt?.id == "check-ins")
    }

    @Test func aPairReviewAsksEachPartnerAboutTheirOwnPredictionAndTheOtherResponds() {
        var plan = ChangePlan(participants: ["Ana", "Ben"])
        var ana = ChangePlan.Entry(text: "the team will moan then like it", words: "the team will moan then like it")
        ana.speaker = "Ana"
        var ben = ChangePlan.Entry(text: "my manager will be nervous", words: "my manager will be nervous")
        ben.speaker = "Ben"
        plan.add(ana, to: .predictions)
        plan.add(ben, to: .predictions)
        guard let flow = TestGuide.guide.flow("pair-review") else {
            Issue.record("no pair-review flow")
            return
        }
        var conversation = Conversation(
            guide: TestGuide.guide, flow: flow, participants: ["Ana", "Ben"], reviewing: plan)
        #expect(conversation.prompt?.text.contains("Ana, you predicted") == true)
        #expect(conversation.prompt?.text.contains("moan") == true)
        _ = conversation.answer("they moaned for a day and then loved it", at: now)
        #expect(conversation.prompt?.text.contains("Ben, you predicted") == true)
        _ = conversation.answer("she was fine once she saw the plan", at: now)
        _ = conversation.answer("I learned that short meetings only work when there is an agenda", at: now)
        _ = conversation.answer("what I learned is that a trial makes managers less nervous", at: now)
        #expect(conversation.prompt?.text.contains("say back to Ben") == true)
        _ = conversation.answer("well done, and ask her to join the next one", at: now)
        _ = conversation.answer("brilliant, keep the agenda short", at: now)
        let responses = conversation.plan.cycles.last?.responses ?? []
        #expect(responses.map(\.speaker) == ["Ana", "Ben"])
    }
}
