import ArgumentParser
import Testing

@testable import smallchanges

/// The plain start reads the chat command's options without the argument parser (`ChatCommand.parsedAlone`); it
/// must read them as the parser does, and leave everything else to it.
@Suite struct ChatCommandTests {
    /// What a chat command was given, option by option.
    static func options(_ command: ChatCommand) -> [String] {
        [
            command.flow, "\(command.color)", "\(command.noSave)", command.common.dataDir ?? "-",
            "\(command.common.verbose)", command.guideOptions.prompts ?? "-",
        ]
    }

    @Test(arguments: [
        [], ["chat"], ["--no-save"], ["chat", "--flow", "reflect", "--no-save"],
        ["--flow=reflect", "--color", "never"],
        ["--data-dir", "/tmp/x y", "--verbose", "--prompts=/srv/prompts"],
        ["chat", "--color=always", "--flow", "plan"],
    ])
    func thePlainStartReadsOptionsAsTheParserDoes(arguments: [String]) throws {
        let alone = try #require(ChatCommand.parsedAlone(arguments))
        let parsed = try #require(try SmallChanges.parseAsRoot(arguments) as? ChatCommand)
        #expect(Self.options(alone) == Self.options(parsed))
    }

    @Test(arguments: [
        ["--help"], ["--version"], ["--flow"], ["--flow", "--no-save"], ["--no-save", "--no-save"],
        ["--color", "pink"],
        ["sessions"], ["chat", "extra"], ["--no-save=yes"], ["-h"],
    ])
    func anythingElseIsLeftToTheParser(arguments: [String]) {
        #expect(ChatCommand.parsedAlone(arguments) == nil)
    }

    /// A new option on `chat` must be taught to `parsedAlone` (or make it step aside): this lists what it knows.
    @Test func everyOptionOfChatIsOneThePlainStartKnows() throws {
        let command = try #require(try SmallChanges.parseAsRoot([]) as? ChatCommand)
        let labels = { (value: Any) in Set(Mirror(reflecting: value).children.compactMap(\.label)) }
        #expect(labels(command) == ["_flow", "_color", "_noSave", "_common", "_guideOptions"])
        #expect(labels(command.common) == ["_dataDir", "_verbose"])
        #expect(labels(command.guideOptions) == ["_prompts"])
    }
}
