import ArgumentParser
import Foundation
import SmallChangesCore
import SmallChangesStore

/// `smallchanges pair`: two partners planning together, at one keyboard or at two terminals.
struct PairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pair",
        abstract: "Plan small changes as a pair: each partner in turn, then together.",
        discussion: """
            Asks both names first (or yours only, with --with). /who NAME changes the speaker of the next \
            answer. With --server, the session is on a running 'smallchanges serve --tcp' and shared: you get a \
            code, your partner runs 'smallchanges join CODE' at their own terminal, and each of you answers your \
            own questions and sees the other's answers as they arrive.
            """
    )

    @Option(name: .long, help: "Your partner's name; you are asked only for yours.")
    var with: String?

    @Option(name: .long, help: "Colour: auto, always or never.")
    var color: Console.ColorChoice = .auto

    @OptionGroup var remote: RemoteOptions

    @OptionGroup var common: CommonOptions
    @OptionGroup var guideOptions: GuideOptions

    func run() throws {
        Startup.bootstrapLogging(verbose: common.verbose)
        let address = remote.server
        if let address {
            // Reach the server before asking anyone's name: a mistyped port should not cost the names typed.
            do {
                _ = try LineSocket(host: address.host, port: address.port)
            } catch let error as LineSocket.Failure {
                throw Startup.fail("\(error)", code: 1)
            }
        }
        var names: [String] = []
        func ask(_ question: String) throws -> String {
            while true {
                print(question, terminator: " ")
                fflush(nil)
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
        if let address {
            try runShared(names, at: address)
            return
        }
        let guide = try Startup.guide(guideOptions)
        guard let flow = guide.flows.first(where: { $0.pair && !$0.review }) else {
            throw Startup.fail("Prompts/ has no pair flow")
        }
        let store = try Startup.store(common)
        let session = try LocalSession(guide: guide, flow: flow, participants: names, store: store)
        try ChatCommand.runREPL(
            session: session, guide: guide, color: color, store: store, opening: session.conversation.opening())
    }

    /// Starts the session on the server, prints the partner's join code, and runs the chat there.
    private func runShared(_ names: [String], at address: ServerAddress) throws {
        let started: (session: RemoteSession, opening: Reply, code: String, expires: Date?)
        do {
            started = try RemoteSession.start(at: address, participants: names, token: try remote.token())
        } catch let error as RemoteSession.Refusal {
            throw Startup.fail("the server would not start the session: \(error)", code: 1)
        } catch let error as LineSocket.Failure {
            throw Startup.fail("\(error)", code: 1)
        }
        let server = address == .standard ? "" : " --server \(address)"
        print("")
        print("\(names[1]) joins from their own terminal with:")
        print("")
        print("    smallchanges join \(started.code)\(server)")
        print("")
        print("The code works once, for 10 minutes. You can start now: \(names[1])'s answers will show here.")
        fflush(nil)
        try ChatCommand.runREPL(
            session: started.session, guide: nil, color: color, store: nil, opening: started.opening)
    }
}
