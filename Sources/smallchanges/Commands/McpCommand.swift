import ArgumentParser
import Foundation
import Logging
import NIOPosix
import SmallChangesMCP
import SmallChangesServer
import SmallChangesStore

/// `smallchanges mcp`: the conversation engine for AI assistants, as an MCP server on stdin/stdout.
struct McpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Speak MCP on stdin/stdout, for AI assistants (Claude Code, VS Code, Claude Desktop).",
        discussion: """
            The same sessions and store as 'smallchanges serve': a session started by an assistant resumes with \
            'smallchanges resume'. docs/MCP.md shows how to add it to an assistant. stdout carries protocol \
            only; logs go to stderr.
            """
    )

    @Option(name: .long, help: "Where sessions are kept: sqlite (the data folder) or memory (nothing saved).")
    var store: ServeCommand.StoreChoice = .sqlite

    /// Seconds a form the person is asked to fill in (elicitation) may stay open; for tests.
    @Option(name: .long, help: .hidden)
    var elicitationTimeout = 600.0

    @OptionGroup var common: CommonOptions
    @OptionGroup var guideOptions: GuideOptions

    func validate() throws {
        if !(elicitationTimeout > 0) { throw ValidationError("--elicitation-timeout must be more than 0 seconds") }
        if case .postgres = store {
            throw ValidationError(
                "mcp keeps sessions in the data folder (sqlite) or in memory; PostgreSQL is for 'smallchanges serve'")
        }
    }

    func run() throws {
        let signals = StopSignals()
        signal(SIGPIPE, SIG_IGN)
        Startup.bootstrapLogging(verbose: common.verbose)
        var logger = Logger(label: "smallchanges.mcp")
        logger.logLevel = common.verbose ? .debug : .notice
        let guide = try Startup.guide(guideOptions)
        let sessions: any SessionStore
        let messageLog: ClientMessageLog
        var storeThreads: NIOThreadPool?
        if store == .memory {
            sessions = InMemorySessionStore()
            messageLog = try ClientMessageLog(file: nil)
        } else {
            let stored = try Startup.store(common)
            sessions = stored
            let file = stored.folder.url.appendingPathComponent(ClientMessageLog.fileName)
            do {
                messageLog = try ClientMessageLog(file: file)
            } catch {
                throw Startup.fail("cannot open \(file.path): \(error)")
            }
            storeThreads = NIOThreadPool(numberOfThreads: 2)
            storeThreads?.start()
        }
        defer { try? storeThreads?.syncShutdownGracefully() }
        let dispatcher = Dispatcher(guide: guide, store: sessions, logger: logger, storeThreads: storeThreads)
        let service = MCPService(
            dispatcher: dispatcher, guide: guide, messageLog: messageLog, logger: logger,
            elicitationTimeout: .milliseconds(Int(elicitationTimeout * 1000)))
        let transport = LineTransport(logger: logger)
        if signals.requested { return }
        try ServeCommand.blocking(signals: signals, onSignal: { Task { await transport.disconnect() } }) {
            try await service.run(transport: transport)
        }
    }
}
