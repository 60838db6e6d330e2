import Testing

@testable import SmallChangesCore

@Suite struct AnswerSplitterTests {
    @Test(arguments: [
        ("no time, no money and no backing from above", ["no time", "no money", "no backing from above"]),
        ("too much paperwork and not enough staff", ["too much paperwork", "not enough staff"]),
        ("huddles, a rota and a shared inbox", ["huddles", "a rota", "a shared inbox"]),
        ("- no time\n- no money", ["no time", "no money"]),
        ("1. ask the team; 2. book the room", ["ask the team", "book the room"]),
        ("we could try huddles or we could try a rota", ["we could try huddles", "we could try a rota"]),
    ])
    func aListIsSplitIntoItems(text: String, items: [String]) {
        #expect(AnswerSplitter.split(text) == items)
    }

    @Test(arguments: [
        "on Monday I'll email the team and book the room",
        "when I get back, I'll email them",
        "Sam and I will check in every Friday",
        "we tried it, it was ok, but people forgot",
        "families and carers should only tell their story once",
        "we never have time to stop and think",
    ])
    func oneThingIsKeptWhole(text: String) {
        #expect(AnswerSplitter.split(text) == [text])
    }

    @Test func theByteSplitAtJoiningWordsAgreesWithTheGeneralOne() throws {
        let examples = try #require(MatcherFixtures.examples)
        let phrases = [
            "no time AND no money", "tea  and   biscuits", "and then some", "this and", "as well as",
            "huddles as well as rotas",
            "huddles as  well as rotas", "not only huddles but also rotas", "Plus one & two",
            "either this or that nor the other",
            "Sam and I", " leading and trailing ", "well as", "a but also", "ANDROID or ORCHESTRA", "and and and",
        ]
        let texts =
            examples.intentTexts.map(\.text) + examples.themeTexts.map(\.text)
            + MatcherFixtures.domainCases.map(\.text) + phrases
        var split = 0
        for text in texts {
            let fast = AnswerSplitter.splitConjunctions(text)
            #expect(fast == AnswerSplitter.splitConjunctions(text, general: true), "\(text)")
            if fast.1 { split += 1 }
        }
        // The check means something only if many texts are split.
        #expect(split > 100)
    }
}
