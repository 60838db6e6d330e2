import ArgumentParser
import Foundation
import SmallChangesCore
import SmallChangesStore

extension Console.ColorChoice: ExpressibleByArgument {}

/// `smallchanges chat`: the guided conversation at one keyboard.
struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Start a guided session (the default command).",
        discussion: """
            Flows: plan (the full session), reflect (five minutes), review (come back to a plan: use \
            'smallchanges review'). With stdin not a terminal, reads one answer per line, so \
            'smallchanges chat --flow plan < answers.txt' runs a whole session.
            """
    )

    @Option(name: .long, help: "The flow to run: plan, reflect.")
    var flow = "plan"

    @Option(name: .long, help: "Colour: auto, always or never (NO_COLOR is honoured on auto).")
    var color: Console.ColorChoice = .auto

    @Flag(name: .long, help: "Do not save the session (nothing is written to disk).")
    var noSave = false

    @OptionGroup var common: CommonOptions
    @OptionGroup var guideOptions: GuideOptions

    func run() throws {
        Startup.bootstrapLogging(verbose: common.verbose)
        let guide = try Startup.guide(guideOptions)
        guard let chosen = guide.flow(flow), !chosen.review, !chosen.pair else {
            let names = guide.flows.filter { !$0.review && !$0.pair }.map(\.id).joined(separator: ", ")
            throw Startup.fail(
                "unknown flow \"\(flow)\" for chat (choose from: \(names); for review use 'smallchanges review', for pairs 'smallchanges pair')"
            )
        }
        let store: SQLiteSessionStore? = noSave ? nil : try Startup.store(common)
        if let store { Self.sayWhatIsDue(store: store, guide: guide) }
        let session = try LocalSession(guide: guide, flow: chosen, store: store)
        try ChatCommand.runREPL(
            session: session, guide: guide, color: color, store: store, opening: session.conversation.opening())
    }

    /// The plain start (`smallchanges`, `smallchanges chat --flow reflect --no-save`) read without the argument
    /// parser, whose reflection over every command's arguments costs more than the rest of reaching the first
    /// question. `nil` for anything else (help, another option, an option twice, a mistake): the parser reads
    /// those, with its messages.
    static func parsedAlone(_ arguments: [String]) -> ChatCommand? {
        var words = arguments[...]
        if words.first == "chat" { words = words.dropFirst() }
        var values: [String: String] = [:]
        while let word = words.popFirst() {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard values[name] == nil else { return nil }
            switch name {
            case "--no-save", "--verbose":
                guard parts.count == 1 else { return nil }
                values[name] = ""
            case "--flow", "--color", "--data-dir", "--prompts":
                guard let value = parts.count == 2 ? String(parts[1]) : words.popFirst(), !value.hasPrefix("-")
                else { return nil }
                values[name] = value
            default:
                return nil
            }
        }
        var command = ChatCommand()
        command.flow = values["--flow"] ?? "plan"
        guard let color = Console.ColorChoice(argument: values["--color"] ?? "auto") else { return nil }
        command.color = color
        command.noSave = values["--no-save"] != nil
        var common = CommonOptions()
        common.dataDir = values["--data-dir"]
        common.verbose = values["--verbose"] != nil
        command.common = common
        var guideOptions = GuideOptions()
        guideOptions.prompts = values["--prompts"]
        command.guideOptions = guideOptions
        return command
    }

    /// Says first what has fallen due, so a review or check-in is not forgotten.
    static func sayWhatIsDue(store: any SessionStore, guide: Guide) {
        guard let due = try? DueList.items(store: store, guide: guide, today: CalendarDay(Startup.now())).due,
            !due.isEmpty
        else { return }
        for item in due { print("Due: \(DueList.line(item))\n     \(DueList.hint(item))") }
        print("(smallchanges due lists them)\n")
        // The REPL writes through its own handle: this goes out first.
        fflush(nil)
    }

    static func runREPL(
        session: any SessionDriver, guide: Guide?, color: Console.ColorChoice, store: SQLiteSessionStore?,
        opening: Reply?
    ) throws {
        let environment = ProcessInfo.processInfo.environment
        let interactive = isatty(STDIN_FILENO) == 1 && environment["TERM"] != "dumb"
        let console = Console(choice: color)
        let input = LineInput(
            interactive: interactive, historyFile: LineInput.historyFile(environment: environment),
            completions: ChatREPL.completions(saving: ChatREPL.keeps(session)) + ["md", "json", "html"])
        var repl = ChatREPL(session: session, guide: guide, console: console, input: input, folder: store?.folder)
        let code = repl.run(opening: opening)
        // Closing checkpoints the write-ahead log, so nothing waits in -wal after we leave.
        try? store?.close()
        if code != 0 { throw ExitCode(code) }
    }
}
