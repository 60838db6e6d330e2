import Testing

@testable import SmallChangesCore

@Suite struct IntentMatcherTests {
    let matcher: IntentMatcher

    init() throws {
        matcher = try #require(MatcherFixtures.matcher)
    }

    @Test func routesATimeBarrierToResources() {
        let routing = matcher.route("caseloads are far too high to try anything new", expecting: .barrier)
        #expect(routing.intent == .barrier)
        #expect(routing.theme == .resources)
    }

    @Test func aBarrierGivenToThePrinciplesQuestionIsStillABarrier() {
        let routing = matcher.route("my manager says no to anything new", expecting: .principle)
        #expect(routing.intent == .barrier)
        #expect(routing.theme != nil)
    }

    @Test(arguments: ["no", "nope", "nothing"])
    func aBareNoToAListQuestionMeansDone(answer: String) {
        #expect(matcher.route(answer, expecting: .barrier).intent == .done)
        #expect(matcher.route(answer, expecting: .idea).intent == .done)
    }

    @Test(arguments: ["no", "nope"])
    func aBareNoToAYesNoQuestionMeansNo(answer: String) {
        #expect(matcher.route(answer, expecting: .yes).intent == .no)
        #expect(matcher.route(answer, expecting: nil).intent == .no)
    }

    @Test func aNameAnsweringWhoWillHoldYouToAccountIsSupport() {
        #expect(matcher.route("Sam", expecting: .support).intent == .support)
    }

    @Test func anAnswerLayingOutThreeBarriersIsSplitIntoThreeItemsWithThemes() {
        let routing = matcher.route("no time; no money; no backing from above", expecting: .barrier)
        #expect(routing.intent == .barrier)
        #expect(routing.items.map(\.text) == ["no time", "no money", "no backing from above"])
        #expect(routing.items.allSatisfy { $0.intent == .barrier && $0.theme != nil })
        #expect(routing.items.dropFirst().first?.theme == .resources)
    }

    @Test func aOneItemAnswerHasNoItems() {
        #expect(matcher.route("on Monday I'll email the team and book the room", expecting: .step).items.isEmpty)
    }

    @Test func anOffTopicQuestionIsOutOfScope() {
        #expect(matcher.route("what's the weather tomorrow", expecting: nil).intent == .oos)
    }

    @Test func confidencesAreProbabilitiesAndAlternativesAreFewAndRanked() {
        for routingCase in MatcherFixtures.domainCases.prefix(100) {
            let routing = matcher.route(routingCase.text, expecting: routingCase.expect)
            #expect((0...1).contains(routing.confidence))
            #expect(routing.alternatives.count <= 3)
            #expect(!routing.alternatives.contains { $0.intent == routing.intent })
            let confidences = routing.alternatives.map(\.confidence)
            #expect(confidences == confidences.sorted(by: >))
            #expect(routing.theme == nil || routing.intent.hasTheme)
        }
    }

    @Test func twoMatchersTrainedOnTheSameExamplesRouteEveryAnswerIdentically() throws {
        let examples = try #require(MatcherFixtures.examples)
        let other = IntentMatcher(examples: examples)
        let answers =
            MatcherFixtures.domainCases.map { ($0.text, $0.expect) } + [
                ("no time, no money and no backing from above", .barrier), ("Sam", .support), ("", nil),
                ("colour-code the rota and organise a programme", .idea),
            ]
        for (text, expect) in answers {
            #expect(matcher.route(text, expecting: expect) == other.route(text, expecting: expect))
        }
    }

    /// Pinned a little below what the matcher reaches (90.7% of intents on 463 cases, 82.2% of themes on the 152
    /// barriers and ideas, with the theme model chosen by cross-validation on themes.yaml), so a drop in quality
    /// fails here.
    @Test func theDomainTestSetIsRoutedAtLeastAsWellAsMeasured() {
        let cases = MatcherFixtures.domainCases
        #expect(cases.count >= 400)
        let score = DomainScore(matcher: matcher, cases: cases)
        #expect(score.intentAccuracy >= 0.89)
        #expect(score.themeAccuracy >= 0.81)
    }
}
