import Testing

@testable import smallchanges

@Suite struct CommandSuggestionTests {
    let tree = CommandSuggestion.Tree(SmallChanges.self)

    @Test func aMistypedCommandIsAnsweredWithTheOneItWasMeantToBe() {
        let found = CommandSuggestion.find(in: ["sesions"], tree: tree)
        #expect(found?.suggestions == ["sessions"])
        #expect(found?.description == "'sesions' is not a command; did you mean: sessions?")
    }

    @Test(arguments: [
        ("chta", ["chat"]), ("exprot", ["export"]), ("serv", ["serve"]), ("res", ["resume"]), ("rev", ["review"]),
        ("sess", ["sessions"]), ("dlete", ["delete"]), ("quux", []),
    ])
    func suggestionsAreTheCommandsAFewEditsAwayOrThatTheWordStarts(typed: String, expected: [String]) {
        #expect(CommandSuggestion.find(in: [typed], tree: tree)?.suggestions == expected)
    }

    @Test func aSubcommandIsCheckedUnderItsCommand() {
        let found = CommandSuggestion.find(in: ["intents", "evl", "--train", "t.tsv"], tree: tree)
        #expect(found?.description == "'intents evl' is not a command; did you mean: intents eval?")
    }

    @Test func nothingIsSaidWhereThereIsNoMistake() {
        for arguments in [
            [], ["sessions"], ["--flow", "reflect"], ["help", "sessions"], ["route", "hello"],
            ["chat", "--no-save"], ["intents", "eval"], ["--version"],
        ] {
            #expect(CommandSuggestion.find(in: arguments, tree: tree) == nil, "\(arguments)")
        }
    }

    @Test func withNothingCloseTheCommandsAreListed() {
        let found = CommandSuggestion.find(in: ["zzz"], tree: tree)
        #expect(found?.description.hasPrefix("'zzz' is not a command (commands: chat, sessions,") == true)
    }

    @Test func editsCountSwapsOfNeighboursAsOne() {
        #expect(CommandSuggestion.edits("chta", "chat") == 1)
        #expect(CommandSuggestion.edits("sesions", "sessions") == 1)
        #expect(CommandSuggestion.edits("", "abc") == 3)
        #expect(CommandSuggestion.edits("kitten", "sitting") == 3)
    }
}
