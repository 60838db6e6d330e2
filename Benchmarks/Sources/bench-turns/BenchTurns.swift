import ArgumentParser
import BenchmarkSupport
import Foundation
import Logging
import NIOCore
import SmallChangesCore
import SmallChangesServer
import SmallChangesStore
import SmallChangesTesting

/// `bench-turns`: the cost of one turn without a network, layer by layer, on one thread.
///
/// The load benchmark (`bench-serve`) says how the whole server behaves; this one says where a turn's
/// time goes, steadily enough to compare two builds: the matcher alone, the conversation engine (the
/// matcher plus the plan), and the protocol path (parse the line, run the engine, store the turn,
/// write the reply) through the same `Dispatcher` the server uses, with the in-memory store.
@main
struct BenchTurns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-turns",
        abstract: "Time one turn in-process: matcher, conversation engine, and the protocol path.",
        discussion: """
            Runs --sessions sessions of the reflect flow (the five answers 'bench-serve' sends) through \
            each layer in turn (the protocol path with --concurrent sessions in flight, as under load), and prints CPU microseconds per turn (median of --rounds \
            rounds), with the guide of --prompts DIR (default: the package's own Prompts/ and Corpus/). Under \
            'valgrind --tool=callgrind' the instruction counts are repeatable: run a copy without debug information ('objcopy --strip-debug'), which valgrind cannot read, with --only one \
            layer, at two --sessions counts; the difference divided by the extra turns is that layer's cost.
            """
    )

    @Option(name: .long, help: "Sessions per round.")
    var sessions = 2_000

    @Option(
        name: .long,
        help: "Sessions in flight at once on the protocol path (1: every request waits for a sleeping thread to wake).")
    var concurrent = 16

    @Option(name: .long, help: "Rounds; the median is reported.")
    var rounds = 5

    @Option(
        name: .long,
        help: """
            Threads the matcher and engine rounds run on at once, sharing one guide (2: as the server's two \
            event loops).
            """)
    var threads = 1

    /// One layer of a turn.
    enum Layer: String, CaseIterable, ExpressibleByArgument {
        case matcher, engine, `protocol`
    }

    @Option(
        name: .long,
        help: """
            Run only this layer (\(Layer.allCases.map(\.rawValue).joined(separator: ", "))), for example under \
            'valgrind --tool=callgrind', whose totals then count that layer alone (and start-up).
            """)
    var only: Layer?

    @Option(name: .long, help: "A folder holding Prompts/ and Corpus/ (default: the package's own).")
    var prompts: String?

    func run() async throws {
        let guide = PackageGuide.build(root: prompts.map { URL(fileURLWithPath: $0) } ?? PackageRoot.url)
        guard let flow = guide.flow("reflect") else { throw BenchmarkFailure("the reflect flow is missing") }
        let answers = ScriptedAnswers.reflect
        let sessions = self.sessions
        let concurrent = max(1, self.concurrent)
        let turns = Double(sessions * answers.count)
        let at = Date(timeIntervalSince1970: 1_800_000_000)

        let matcher = guide.matcher
        let threads = max(1, self.threads)
        // The median CPU time of running `session` --sessions times, dealt out over --threads threads; `nil`
        // when --only names another layer.
        func measure(_ layer: Layer, _ session: @escaping @Sendable () -> Void) -> Double? {
            guard only == nil || only == layer else { return nil }
            return median {
                DispatchQueue.concurrentPerform(iterations: threads) { thread in
                    for _ in stride(from: thread, to: sessions, by: threads) { session() }
                }
            }
        }
        let route = measure(.matcher) {
            for answer in answers { _ = matcher.route(answer, expecting: .barrier) }
        }
        let engine = measure(.engine) {
            var conversation = Conversation(guide: guide, flow: flow, participants: [])
            for answer in answers { _ = conversation.answer(answer, speaker: nil, at: at) }
        }
        var logger = Logger(label: "smallchanges.bench")
        logger.logLevel = .critical
        let dispatcher = Dispatcher(
            guide: guide, store: InMemorySessionStore(), logger: logger, now: { at })
        let parser = MessageParser(maximumDepth: ServerConfiguration().maximumDepth)
        let server =
            only != nil && only != .protocol
            ? nil
            : await Self.medianAsync(rounds: rounds) {
                await withTaskGroup(of: Void.self) { group in
                    for lane in 0..<concurrent {
                        group.addTask {
                            for _ in stride(from: lane, to: sessions, by: concurrent) {
                                await Self.session(dispatcher, parser, answers: answers)
                            }
                        }
                    }
                }
            }
        print(
            "bench turns: \(sessions) sessions × \(answers.count) answers, median of \(rounds) rounds, "
                + "matcher and engine on \(threads) thread\(threads == 1 ? "" : "s")")
        if let route { print(String(format: "matcher (route)          %7.2f µs/answer", route * 1e6 / turns)) }
        if let engine { print(String(format: "engine (Conversation)    %7.2f µs/turn", engine * 1e6 / turns)) }
        if let server {
            print(
                String(
                    format: "protocol (line to reply) %7.2f µs/turn (start and close included)", server * 1e6 / turns))
        }
    }

    private func median(_ body: () -> Void) -> Double {
        var times: [Double] = []
        for _ in 0..<rounds {
            let started = ProcessUsage.ownCPUSeconds()
            body()
            times.append(ProcessUsage.ownCPUSeconds() - started)
        }
        return times.sorted()[times.count / 2]
    }

    private static func medianAsync(rounds: Int, _ body: () async -> Void) async -> Double {
        var times: [Double] = []
        for _ in 0..<rounds {
            let started = ProcessUsage.ownCPUSeconds()
            await body()
            times.append(ProcessUsage.ownCPUSeconds() - started)
        }
        return times.sorted()[times.count / 2]
    }

    /// One scripted session through the protocol path: start, the answers, close.
    private static func session(_ dispatcher: Dispatcher, _ parser: MessageParser, answers: [String]) async {
        let started = await call(
            dispatcher, parser, #"{"jsonrpc":"2.0","id":1,"method":"session/start","params":{"flow":"reflect"}}"#)
        let id = sessionID(in: started)
        for (index, answer) in answers.enumerated() {
            _ = await call(
                dispatcher, parser,
                #"{"jsonrpc":"2.0","id":\#(index + 2),"method":"session/answer","params":{"sessionId":"\#(id)","text":"\#(answer)"}}"#
            )
        }
        _ = await call(
            dispatcher, parser, #"{"jsonrpc":"2.0","id":9,"method":"session/close","params":{"sessionId":"\#(id)"}}"#)
    }

    private static func call(_ dispatcher: Dispatcher, _ parser: MessageParser, _ line: String) async -> ByteBuffer? {
        guard case .request(let request) = parser.parse(Data(line.utf8)) else { return nil }
        // Where the request was read, as the server runs it on the event loop that read it: no thread hop.
        return await dispatcher.handleInline(request)
    }

    private static func sessionID(in reply: ByteBuffer?) -> String {
        reply.flatMap { SessionIDScan.sessionID(in: $0.readableBytesView) } ?? ""
    }
}
