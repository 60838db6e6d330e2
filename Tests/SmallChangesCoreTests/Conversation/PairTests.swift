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
