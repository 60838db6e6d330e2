import ArgumentParser
import Foundation
import Synchronization

/// The `smallchanges` command: a guided conversation from a reflection to a small change plan.
@main
struct SmallChanges: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smallchanges",
        abstract: "Turn a reflection into a small change you can start this week, and keep it going.",
        discussion: """
            The flows and knowledge cards (Prompts/ and Corpus/) are built in. To run an organisation's own \
            adapted copy, give the folder holding its Prompts/ and Corpus/ with --prompts DIR (on the commands \
            that load them) or in the environment as SMALLCHANGES_ROOT=DIR; check it first with \
            'smallchanges flows check DIR'. Sessions are kept in $SMALLCHANGES_HOME, else \
            $XDG_DATA_HOME/smallchanges, else ~/.local/share/smallchanges (or --data-dir).
            """,
        version: "0.1.0",
        subcommands: [
            ChatCommand.self, SessionsCommand.self, ResumeCommand.self, ReviewCommand.self, LogCommand.self,
            ShowCommand.self, DueCommand.self, ExportCommand.self, DeleteCommand.self, PairCommand.self,
            JoinCommand.self, RouteCommand.self, IntentsCommand.self, ServeCommand.self, McpCommand.self,
            FlowsCommand.self,
        ],
        defaultSubcommand: ChatCommand.self
    )

    /// Runs the command line, first catching a mistyped command: the parser would take it as words for `chat`.
    ///
    /// An async command (`serve`) runs on Swift's pool while this thread waits; every other command, the REPL among
    /// them, runs on the main thread, where readline may block without holding a thread of the pool.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let chat = ChatCommand.parsedAlone(arguments) {
            do {
                try chat.run()
            } catch {
                Self.exit(withError: error)
            }
            return
        }
        if let unknown = CommandSuggestion.find(in: arguments, tree: CommandSuggestion.Tree(Self.self)) {
            let usage = "smallchanges: \(unknown)\nSee 'smallchanges --help' for the commands.\n"
            FileHandle.standardError.write(Data(usage.utf8))
            Self.exit(withError: ExitCode.validationFailure)
        }
        do {
            var command = try parseAsRoot(arguments)
            if let asynchronous = command as? any AsyncParsableCommand {
                try run(asynchronous)
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    private static func run(_ command: sending any AsyncParsableCommand) throws {
        let failure = Mutex<(any Error)?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            var command = command
            do { try await command.run() } catch { failure.withLock { $0 = error } }
            done.signal()
        }
        done.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
