import Testing

@testable import SmallChangesCore

@Suite struct AnswerSplitterTests {
    @Test(arguments: [
        ("- no time\n- no money", ["no time", "no money"]),
        ("1. ask the team; 2. book the room", ["ask the team", "book the room"]),
        (
            "call back list; duty doc triage at 9.30; a text with the form",
            [
                "call back list", "duty doc triage at 9.30", "a text with the form",
            ]
        ),
        ("1) a rota 2) a shared inbox 3) a huddle", ["a rota", "a shared inbox", "a huddle"]),
        ("no time\nno money\nno backing", ["no time", "no money", "no backing"]),
        (
            "Honestly, two things. Nobody reads the minutes. And the rota changes every week.",
            [
                "Nobody reads the minutes", "the rota changes every week",
            ]
        ),
    ])
    func aListLaidOutAsOneIsSplitIntoItems(text: String, items: [String]) {
        #expect(AnswerSplitter.split(text) == items)
    }

    @Test(arguments: [
        "on Monday I'll email the team and book the room",
        "when I get back, I'll email them",
        "Sam and I will check in every Friday",
        "we tried it, it was ok, but people forgot",
        "families and carers should only tell their story once",
        "we never have time to stop and think",
        "it takes ages and crashes",
        "we get about 1,200 calls on a monday",
        "a huddle at 9.30 or a rota",
        "tally on a post it in my diary, each visit: was the note on the system within 24 hrs yes or no. and maybe how late i log off",
        "no time, no money and no backing from above",
        "say \"tea; biscuits\" at the start",
    ])
    func oneThingIsKeptWhole(text: String) {
        #expect(AnswerSplitter.split(text) == [text])
    }

    @Test func twoCompleteClausesJoinedByAndAreOfferedAsCandidates() {
        let (items, kind) = AnswerSplitter.pieces("we never have time to meet and my manager blocks every new idea")
        #expect(kind == .clauses)
        #expect(items == ["we never have time to meet", "my manager blocks every new idea"])
    }
}
