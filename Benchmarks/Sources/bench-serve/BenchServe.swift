import ArgumentParser
import BenchmarkSupport
import Dispatch
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// `bench-serve`: many clients over TCP loopback, each running whole scripted sessions, against the protocol
/// server (`smallchanges serve --tcp`) and, as the floor, the same server transport echoing the same lines.
@main
struct BenchServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-serve",
        abstract: "Load-test 'smallchanges serve --tcp' with concurrent scripted sessions, against an echo floor.",
        discussion: """
            Starts 'smallchanges serve --tcp --port 0' as a child process (so its memory is measured \
            alone), connects --clients clients over 127.0.0.1 (NIO handlers on one thread of this process), \
            and has each run sessions of the reflect flow (session/start, five answers, session/close) for \
            --seconds, after one warm-up session each. Then the same against this program's echo server \
            ('bench-serve --echo-server'): the server's TCP transport, its framing, limits and output bound, \
            with every line answered by itself: the floor. A turn is one request line and its reply. \
            Reports turns per second, p50/p99 latency, the CPU time per turn of the server and of the clients \
            (user + system, from /proc: they share the machine), and memory per open session: RSS growth from \
            before the clients connect to when each holds a session open (started, two answers in), divided \
            by clients.
            """
    )

    @Option(name: .long, help: "Concurrent clients (each one connection, one session at a time).")
    var clients = 1_000

    @Option(name: .long, help: "Seconds to run each phase.")
    var seconds = 10

    @Option(
        name: .long,
        help: """
            Requests per second offered by all clients together, each on a fixed schedule (0: closed loop, each \
            client sends as soon as it has its reply). With N clients a closed loop keeps N requests queued, so \
            its latency is N / throughput; a rate offers a fixed load, as people typing do, and latency counts \
            from when each request was due.
            """)
    var rate = 0

    @Option(
        name: .long,
        help: "Store for the server under test: memory, sqlite (in a temporary folder), or a postgres:// URL.")
    var store = "memory"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "With a postgres:// store: how many instances to run over the one database, comma-separated (1,2,4); "
                + "each count is measured with the clients spread evenly over the instances, beside SQLite with one "
                + "instance, in one run (no echo floor).",
            valueName: "counts"))
    var instances: String?

    @Option(
        name: .long,
        help: """
            The smallchanges binary to serve (default: the main package's build, .build/release/smallchanges); \
            another build's, to compare builds under the same clients.
            """)
    var server: String?

    @Flag(name: .long, help: .hidden)
    var echoServer = false

    @Option(name: .long, help: .hidden)
    var port = 0

    @Option(name: .long, help: .hidden)
    var maxConnections = 1_016

    func run() async throws {
        if echoServer { return try await EchoServer.run(port: port, maximumConnections: maxConnections) }
        let binary = try SmallchangesBinary.locate(server).path
        let pace: ScriptedClients.Pace =
            rate > 0 ? .scheduled(interval: .nanoseconds(Int64(1e9 * Double(clients) / Double(rate)))) : .closedLoop
        print(
            "bench serve: \(clients) clients, \(seconds) s per phase, store \(store), \(rate > 0 ? "offered \(rate) requests/s" : "closed loop"), \(ProcessInfo.processInfo.activeProcessorCount) cores"
        )
        if let instances {
            let counts = instances.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard store.hasPrefix("postgres"), !counts.isEmpty, counts.allSatisfy({ $0 > 0 }) else {
                throw ValidationError("--instances needs a postgres:// --store and counts such as 1,2,4")
            }
            print(Measurement.header)
            for count in counts {
                let measured = try await Self.phase(
                    binary: binary, echo: false, clients: clients, seconds: seconds, store: store, pace: pace,
                    instances: count)
                print(measured.row("postgres×\(count)"))
            }
            let sqlite = try await Self.phase(
                binary: binary, echo: false, clients: clients, seconds: seconds, store: "sqlite", pace: pace)
            print(sqlite.row("sqlite×1"))
            return
        }
        let proto = try await Self.phase(
            binary: binary, echo: false, clients: clients, seconds: seconds, store: store, pace: pace)
        let echo = try await Self.phase(
            binary: binary, echo: true, clients: clients, seconds: seconds, store: store, pace: pace)
        print(Measurement.header)
        print(proto.row("protocol"))
        print(echo.row("echo floor"))
        if echo.cpuPerTurn > 0, proto.cpuPerTurn > 0 {
            print(String(format: "server CPU per turn vs echo: %.2fx", proto.cpuPerTurn / echo.cpuPerTurn))
        }
        if rate == 0, echo.turnsPerSecond > 0, proto.turnsPerSecond > 0 {
            print(String(format: "echo turns/s vs protocol: %.2fx", echo.turnsPerSecond / proto.turnsPerSecond))
        }
    }

    /// Results of one phase.
    struct Measurement: Sendable {
        var turns = 0
        var turnsPerSecond = 0.0
        var p50 = 0.0
        var p99 = 0.0
        var kibPerSession = 0.0
        var sessions = 0
        var errors = 0
        /// The server's CPU time (user + system) per turn, in microseconds.
        var cpuPerTurn = 0.0
        /// The clients' CPU time per turn: they share the machine with the server.
        var clientCPUPerTurn = 0.0

        static var header: String {
            "phase        turns/s    p50 ms   p99 ms  server CPU µs/turn  client CPU µs/turn  KiB/session  sessions  errors"
        }

        func row(_ name: String) -> String {
            String(
                format: "%-10@ %9.0f %8.3f %8.3f %19.1f %19.1f %12.1f %9d %7d", name as NSString, turnsPerSecond, p50,
                p99, cpuPerTurn, clientCPUPerTurn, kibPerSession, sessions, errors)
        }

        init(
            turns: Int, turnsPerSecond: Double, p50: Double, p99: Double, kibPerSession: Double, sessions: Int,
            errors: Int, cpuPerTurn: Double, clientCPUPerTurn: Double
        ) {
            self.cpuPerTurn = cpuPerTurn
            self.clientCPUPerTurn = clientCPUPerTurn
            self.turns = turns
            self.turnsPerSecond = turnsPerSecond
            self.p50 = p50
            self.p99 = p99
            self.kibPerSession = kibPerSession
            self.sessions = sessions
            self.errors = errors
        }

    }

    /// Runs one phase against `instances` servers (one data folder for SQLite; one database for PostgreSQL); CPU
    /// time and memory are the servers' together.
    static func phase(
        binary: String, echo: Bool, clients: Int, seconds: Int, store: String, pace: ScriptedClients.Pace,
        instances: Int = 1
    ) async throws -> Measurement {
        // The echo floor is this program itself (`--echo-server`), the protocol the smallchanges binary.
        let executable = echo ? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path : binary
        let arguments =
            echo
            ? ["--echo-server", "--port", "0", "--max-connections", "\(clients + 16)"]
            : ["serve", "--tcp", "--port", "0", "--max-connections", "\(clients + 16)", "--store", store]
        var environment = ProcessInfo.processInfo.environment
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("sc-bench-\(getpid())-\(echo)")
        environment["SMALLCHANGES_HOME"] = dataDir.path
        var servers: [Process] = []
        defer {
            for server in servers {
                server.terminate()
                server.waitUntilExit()
            }
            try? FileManager.default.removeItem(at: dataDir)
        }
        var ports: [Int] = []
        for _ in 0..<instances {
            let server = Process()
            server.executableURL = URL(fileURLWithPath: executable)
            server.arguments = arguments
            server.environment = environment
            let errors = Pipe()
            server.standardError = errors
            server.standardOutput = FileHandle.nullDevice
            try server.run()
            servers.append(server)
            ports.append(try readPort(errors.fileHandleForReading))
        }
        try await Task.sleep(for: .milliseconds(300))

        let pids = servers.map(\.processIdentifier)
        let serverCPU: @Sendable () -> Double = { pids.reduce(0.0) { $0 + ProcessUsage.cpuSeconds($1) } }
        let clients = ScriptedClients(ports: ports, clients: clients, pace: pace, echo: echo)
        let cpuBefore = Mutex((server: 0.0, client: 0.0))
        var tally = try await clients.run(seconds: seconds) {
            cpuBefore.withLock { $0 = (serverCPU(), ProcessUsage.cpuSeconds(getpid())) }
            return pids.reduce(0) { $0 + ProcessUsage.rss($1) }
        }
        let clientCPU = ProcessUsage.cpuSeconds(getpid()) - cpuBefore.withLock { $0.client }
        let cpu = serverCPU() - cpuBefore.withLock { $0.server }
        tally.latencies.sort()
        let latencies = tally.latencies
        func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return 0 }
            return Double(latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]) / 1_000_000
        }
        let openSessions = clients.clients
        let growth = Double(tally.sampleOpen - tally.sampleBefore)
        return Measurement(
            turns: latencies.count, turnsPerSecond: Double(latencies.count) / Double(seconds), p50: percentile(0.5),
            p99: percentile(0.99), kibPerSession: growth / 1024 / Double(max(openSessions, 1)),
            sessions: tally.sessions,
            errors: tally.errors, cpuPerTurn: latencies.isEmpty ? 0 : cpu * 1_000_000 / Double(latencies.count),
            clientCPUPerTurn: latencies.isEmpty ? 0 : clientCPU * 1_000_000 / Double(latencies.count))
    }

    private static func readPort(_ handle: FileHandle) throws -> Int {
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let data = handle.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                let port = Int(text[range].split(separator: ":").last ?? "")
            {
                return port
            }
        }
        throw BenchmarkFailure("the server did not start: \(text)")
    }
}
