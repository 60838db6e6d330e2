import ArgumentParser
import Foundation
import SmallChangesCore

/// `smallchanges join CODE`: the second partner's terminal in a pair session shared on a server.
struct JoinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Join a pair session your partner started with 'smallchanges pair --server', using their code.",
        discussion: """
            Connects to the server (127.0.0.1:4747 unless --server says otherwise) and runs the chat \
            there: you answer your questions, and see your partner's answers as they arrive. A code \
            works once and for 10 minutes.
            """
    )

    @Argument(help: "The join code your partner was given (K7M2-QX9P; case and dashes do not matter).")
    var code: String

    @Option(name: .long, help: "Your name, to check the code is for you.")
    var name: String?

    @Option(name: .long, help: "Colour: auto, always or never.")
    var color: Console.ColorChoice = .auto

    @OptionGroup var remote: RemoteOptions

    @Flag(name: .long, help: "Log what the program does to stderr (never what you write).")
    var verbose = false

    func run() throws {
        Startup.bootstrapLogging(verbose: verbose)
        let address = remote.server ?? .standard
        let joined: (session: RemoteSession, opening: Reply)
        do {
            joined = try RemoteSession.join(at: address, code: code, name: name, token: try remote.token())
        } catch let error as RemoteSession.Refusal {
            throw Startup.fail("could not join: \(error)", code: 1)
        } catch let error as LineSocket.Failure {
            throw Startup.fail("\(error)", code: 1)
        }
        print("Joined \(joined.session.participants.joined(separator: " and "))'s session as \(joined.session.name).")
        fflush(nil)
        try ChatCommand.runREPL(
            session: joined.session, guide: nil, color: color, store: nil, opening: joined.opening)
    }
}
