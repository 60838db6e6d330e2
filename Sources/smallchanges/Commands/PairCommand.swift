import ArgumentParser
import Foundation
import SmallChangesCore
import SmallChangesStore

/// `smallchanges pair`: two partners planning together at one keyboard.
struct PairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pair",
        abstract: "Plan small changes as a pair at one keyboard: each partner in turn, then together.",
        discussion:
            "Asks both names first (or yours only, with --with). /who NAME changes the speaker of the next answer."
    )

    @Option(name: .long, help: "Your partner's name; you are asked only for yours.")
    var with: String?

    @Option(name: .long, help: "Colour: auto, always or never.")
    var color: Console.ColorChoice = .auto

    @OptionGroup var common: CommonOptions

    func run() throws {
        Startup.bootstrapLogging(verbose: common.verbose)
        let (_, guide) = try Startup.guide()
        guard let flow = guide.flows.first(where: \.pair) else { throw Startup.fail("Prompts/ has no pair flow") }
        var names: [String] = []
        func ask(_ question: String) throws -> String {
            while true {
                print(question, terminator: " ")
                guard let line = readLine() else {
                    throw Startup.fail("both partners' names are needed to start", code: 1)
                }
                let name = line.trimmingCharacters(in: .whitespaces)
                if !name.isEmpty, name.count <= 40,
                    !names.contains(where: { $0.caseInsensitiveCompare(name) == .orderedSame })
                {
                    return name
                }
                print(
                    name.isEmpty
                        ? "A name, please (a first name is fine)." : "Two different names of up to 40 letters, please.")
            }
        }
        names.append(try ask("Your name?"))
        if let with, !with.trimmingCharacters(in: .whitespaces).isEmpty {
            names.append(with.trimmingCharacters(in: .whitespaces))
        } else {
            names.append(try ask("Your partner's name?"))
        }
        let store = try Startup.store(common)
        let conversation = Conversation(guide: guide, flow: flow, participants: names)
        let session = LocalSession(conversation: conversation, store: store)
        try ChatCommand.runREPL(
            session: session, guide: guide, color: color, store: store, opening: conversation.opening())
    }
}
