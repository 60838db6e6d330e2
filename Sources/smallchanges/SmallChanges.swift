import ArgumentParser

/// The `smallchanges` command: a guided conversation from a reflection to a small change plan.
@main
struct SmallChanges: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smallchanges",
        abstract: "Turn a reflection into a small change you can start this week, and keep it going.",
        version: "0.1.0",
        subcommands: [
            ChatCommand.self, SessionsCommand.self, ResumeCommand.self, ReviewCommand.self, ExportCommand.self,
            DeleteCommand.self, PairCommand.self, JoinCommand.self, RouteCommand.self, IntentsCommand.self,
            ServeCommand.self, BenchCommand.self,
        ],
        defaultSubcommand: ChatCommand.self
    )
}
