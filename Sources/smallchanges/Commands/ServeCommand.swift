import ArgumentParser
import Dispatch
import Foundation
import Logging
import NIOCore
import NIOPosix
import SmallChangesCore
import SmallChangesPostgres
import SmallChangesServer
import SmallChangesStore
import Synchronization

/// `smallchanges serve`: the conversation engine for other programs, over newline-delimited JSON-RPC 2.0.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Speak the JSON-RPC protocol on stdin/stdout, or on a TCP socket with --tcp.",
        discussion: """
            One JSON-RPC 2.0 message per line; docs/PROTOCOL.md lists the methods and limits. stdout \
            carries protocol only; logs go to stderr. End of input or SIGTERM: what is in flight is \
            answered, then the server exits 0. TCP listens on 127.0.0.1 unless --bind is given, which \
            needs --token-file.
            """
    )

    @Flag(name: .long, help: "Listen on a TCP socket instead of stdin/stdout.")
    var tcp = false

    @Option(name: .long, help: "The TCP port (0 picks a free one, printed on stderr).")
    var port = 4747

    @Option(name: .long, help: "The address to listen on instead of 127.0.0.1; requires --token-file.")
    var bind: String?

    @Option(name: .long, help: "A file holding the token TCP clients must send with 'auth' first.")
    var tokenFile: String?

    @Option(name: .long, help: "Most TCP connections open at once.")
    var maxConnections: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where sessions are kept: sqlite (the data folder), memory (nothing saved), or a postgres:// URL "
                + "that several instances share (default: $SMALLCHANGES_DATABASE_URL, else sqlite).",
            valueName: "store"))
    var store: StoreChoice?

    /// Dates the session's turns as said on this day (YYYY-MM-DD), so scripted conversations that name dates
    /// ("next Friday") give the same plan whenever they run. For tests and evaluations.
    @Option(name: .long, help: .hidden)
    var today: String?

    @OptionGroup var common: CommonOptions
    @OptionGroup var guideOptions: GuideOptions

    enum StoreChoice: ExpressibleByArgument, Equatable {
        case sqlite, memory
        case postgres(DatabaseURL)

        init?(argument: String) {
            switch argument {
            case "sqlite": self = .sqlite
            case "memory": self = .memory
            default:
                guard let url = try? DatabaseURL(argument) else { return nil }
                self = .postgres(url)
            }
        }

        /// `--store`, else `SMALLCHANGES_DATABASE_URL`, else SQLite.
        static func chosen(_ given: StoreChoice?, environment: [String: String]) throws -> StoreChoice {
            if let given { return given }
            guard let text = environment["SMALLCHANGES_DATABASE_URL"], !text.isEmpty else { return .sqlite }
            do {
                return .postgres(try DatabaseURL(text))
            } catch {
                throw ValidationError("SMALLCHANGES_DATABASE_URL: \(error)")
            }
        }
    }

    func validate() throws {
        if !tcp && (bind != nil || tokenFile != nil || maxConnections != nil) {
            throw ValidationError("--bind, --token-file and --max-connections need --tcp")
        }
        if bind != nil && tokenFile == nil {
            throw ValidationError(
                "--bind needs --token-file: a server reachable from other machines must require a token")
        }
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0...65535") }
        if let today, CalendarDay(iso: today) == nil {
            throw ValidationError("--today \"\(today)\" is not a date: write it as YYYY-MM-DD")
        }
    }

    func run() async throws {
        // First, so SIGTERM while the guide loads ends the program cleanly instead of killing it.
        let signals = StopSignals()
        Startup.bootstrapLogging(verbose: common.verbose)
        var logger = Logger(label: "smallchanges.server")
        logger.logLevel = common.verbose ? .debug : .notice
        var configuration = ServerConfiguration()
        if let maxConnections { configuration.maximumConnections = maxConnections }
        if let tokenFile { configuration.token = try Self.readToken(tokenFile) }

        logger.debug("loading the guide")
        let guide = try Startup.guide(guideOptions)
        let sessions: any SessionStore
        let storeThreads: NIOThreadPool?
        switch try StoreChoice.chosen(store, environment: ProcessInfo.processInfo.environment) {
        case .memory:
            sessions = InMemorySessionStore()
            storeThreads = nil
        case .sqlite:
            sessions = try Startup.store(common)
            storeThreads = NIOThreadPool(numberOfThreads: 2)
        case .postgres(let url):
            do {
                sessions = try PostgresSessionStore(url: url, logger: Logger(label: "smallchanges.store"))
            } catch let error as StoreError {
                throw Startup.fail(error.description)
            }
            // A call waits on the network, not the disk: enough threads to keep the connections busy.
            storeThreads = NIOThreadPool(numberOfThreads: 16)
        }
        storeThreads?.start()
        var clock: @Sendable () -> Date = { Date() }
        if let day = today.flatMap(CalendarDay.init(iso:)) {
            // Noon that day, moving on with real time so turns keep their order.
            let start = Date()
            let noon =
                DateComponents(
                    calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"), year: day.year,
                    month: day.month, day: day.day, hour: 12
                ).date ?? start
            clock = { noon.addingTimeInterval(Date().timeIntervalSince(start)) }
        }
        let dispatcher = Dispatcher(
            guide: guide, store: sessions, configuration: configuration, logger: logger, storeThreads: storeThreads,
            now: clock)
        // Stopped before serving anything: nothing is in flight, so this is a clean end.
        if signals.requested {
            try? await storeThreads?.shutdownGracefully()
            return
        }

        var status: Int32 = 0
        if tcp {
            let server = TCPServer(
                host: bind ?? "127.0.0.1", port: port, configuration: configuration,
                service: .jsonRPC(dispatcher), logger: logger)
            signals.onStop { server.stop() }
            do {
                let address = try await server.bind()
                FileHandle.standardError.write(Data("smallchanges: listening on \(Self.describe(address))\n".utf8))
                await server.run()
            } catch {
                try? await storeThreads?.shutdownGracefully()
                throw error
            }
        } else {
            let transport = StdioTransport(dispatcher: dispatcher, configuration: configuration, logger: logger)
            signals.onStop { transport.stop() }
            status = await transport.run()
        }
        try? await storeThreads?.shutdownGracefully()
        // The signal handlers stay installed until the server has stopped.
        withExtendedLifetime(signals) {}
        if status != 0 { throw ExitCode(status) }
    }

    /// Reads a token file: one line, at least 16 characters of which 8 differ, not readable by others.
    static func readToken(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path),
            let text = String(data: data, encoding: .utf8)
        else { throw Startup.fail("cannot read the token file \(path)") }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= 16, !token.contains("\n") else {
            throw Startup.fail("the token in \(path) must be one line of at least 16 characters")
        }
        if let weakness = TokenCheck.weakness(of: token) {
            throw Startup.fail(
                "the token in \(path) is too easy to guess: \(weakness) (for example: openssl rand -hex 16)")
        }
        if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int,
            mode & 0o077 != 0
        {
            FileHandle.standardError.write(
                Data("smallchanges: warning: \(path) is readable by others; chmod 600 it\n".utf8))
        }
        return token
    }

    static func describe(_ address: NIOCore.SocketAddress) -> String {
        guard let ip = address.ipAddress, let port = address.port else { return "\(address)" }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    /// Runs async work from this synchronous command and waits for it; the first SIGTERM or SIGINT
    /// calls `onSignal` (a graceful stop), a second exits at once.
    ///
    /// - Parameter signals: the command's signal handling, when it was installed earlier (so a signal
    ///   that came during start-up is acted on now); one is installed here otherwise.
    static func blocking<Value: Sendable>(
        signals: StopSignals = StopSignals(), onSignal: @escaping @Sendable () -> Void,
        _ work: @escaping @Sendable () async throws -> Value
    ) throws -> Value {
        let result = Mutex<Result<Value, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        signals.onStop(onSignal)
        Task {
            let outcome: Result<Value, any Error>
            do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        // The task always stores its outcome before signalling.
        guard let outcome = result.withLock({ $0 }) else { throw ExitCode(1) }
        return try outcome.get()
    }
}

/// SIGTERM and SIGINT for a command that serves: installed as the command starts, so a signal that
/// comes while the guide is still loading is neither fatal nor lost. The first asks for a graceful stop (the
/// action set with `onStop`, run at once if the signal already came); a second exits at once with 1.
final class StopSignals: @unchecked Sendable {
    // The dispatch sources are only created here and cancelled in deinit; the rest is behind the mutex.
    private let sources: [any DispatchSourceSignal]
    private let state = Mutex<(count: Int, action: (@Sendable () -> Void)?)>((0, nil))

    init() {
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            sources.append(DispatchSource.makeSignalSource(signal: number, queue: .global()))
        }
        self.sources = sources
        for source in sources {
            source.setEventHandler { [weak self] in self?.received() }
            source.resume()
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }

    /// Whether a stop has been asked for.
    var requested: Bool { state.withLock { $0.count > 0 } }

    /// Runs `action` on the first signal, or now if it has already come.
    func onStop(_ action: @escaping @Sendable () -> Void) {
        let already = state.withLock { state -> Bool in
            state.action = action
            return state.count > 0
        }
        if already { action() }
    }

    private func received() {
        let (count, action) = state.withLock { state in
            state.count += 1
            return (state.count, state.action)
        }
        if count > 1 { Foundation.exit(1) }
        action?()
    }
}
