import BenchmarkSupport
import NIOCore
import NIOPosix
import SmallChangesTesting

/// The load benchmark's clients: each one a TCP connection running whole scripted sessions of the
/// reflect flow (`session/start`, the five answers, `session/close`), one request at a time.
///
/// They are written as NIO channel handlers on one event-loop thread, with no Swift tasks, so they
/// take as little of the machine as they can: the server under test shares its two cores with them.
struct ScriptedClients {
    /// How requests are paced.
    enum Pace: Sendable {
        /// Each client sends its next request as soon as the reply arrives.
        case closedLoop
        /// Each client sends one request every `interval`, on a fixed schedule started at a phase of its
        /// own (due times fall on 1 ms ticks); latency counts from the due time, so a reply that comes late also delays the
        /// requests behind it in the figures (no coordinated omission).
        case scheduled(interval: TimeAmount)
    }

    /// What the clients measured.
    struct Tally: Sendable {
        /// One per request answered (initialize excluded), in nanoseconds.
        var latencies: [Int64] = []
        var errors = 0
        var sessions = 0
        /// What `sample` returned before the clients connected, and once each held a session open
        /// (started, two answers in), before the clock started.
        var sampleBefore = 0
        var sampleOpen = 0
    }

    /// The servers' ports: client `i` connects to `ports[i % ports.count]`, so clients spread evenly.
    let ports: [Int]
    let clients: Int
    let pace: Pace
    /// Whether the server echoes: its replies carry no session id to read.
    let echo: Bool

    /// Connects every client and has each run one session and open another (start and two answers), not
    /// counted, then
    /// runs them all from a common start for `seconds`, and waits for the last reply.
    func run(seconds: Int, sample: @escaping @Sendable () -> Int) async throws -> Tally {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let tally = try await run(on: group.next(), seconds: seconds, sample: sample)
            try? await group.shutdownGracefully()
            return tally
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private func run(on loop: any EventLoop, seconds: Int, sample: @escaping @Sendable () -> Int) async throws -> Tally
    {
        let collector = Collector(loop: loop, clients: clients)
        let begin = loop.makePromise(of: NIODeadline.self)
        let before = sample()
        var channels: [any Channel] = []
        for index in 0..<clients {
            let phase: TimeAmount
            switch pace {
            case .closedLoop: phase = .zero
            case .scheduled(let interval): phase = .nanoseconds(interval.nanoseconds * Int64(index) / Int64(clients))
            }
            let settings = ScriptedSession.Settings(
                pace: pace, echo: echo, phase: phase, seconds: seconds, begin: begin.futureResult,
                collector: collector)
            let channel = try await ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers([
                            ByteToMessageHandler(NewlineSplitter()), ScriptedSession(settings),
                        ])
                    }
                }
                .connect(host: "127.0.0.1", port: ports[index % ports.count]).get()
            channels.append(channel)
        }
        try await collector.allOpen.get()
        let open = sample()
        try await loop.submit { collector.recordSamples(before: before, open: open) }.get()
        let start = NIODeadline.now() + .milliseconds(100)
        begin.succeed(start)
        for channel in channels { try? await channel.closeFuture.get() }
        return try await loop.submit { collector.tally }.get()
    }
}

/// Gathers every client's figures; touched only on the clients' one event loop.
private final class Collector: @unchecked Sendable {
    private let loop: any EventLoop
    private var gathered = ScriptedClients.Tally()
    private var waitingToOpen: Int
    private let opened: EventLoopPromise<Void>

    init(loop: any EventLoop, clients: Int) {
        self.loop = loop
        waitingToOpen = clients
        opened = loop.makePromise()
        if clients == 0 { opened.succeed() }
    }

    /// Succeeds once every client holds an open session.
    var allOpen: EventLoopFuture<Void> { opened.futureResult }

    var tally: ScriptedClients.Tally {
        loop.preconditionInEventLoop()
        return gathered
    }

    func recordSamples(before: Int, open: Int) {
        loop.preconditionInEventLoop()
        gathered.sampleBefore = before
        gathered.sampleOpen = open
    }

    func add(latency: Int64, error: Bool) {
        loop.preconditionInEventLoop()
        gathered.latencies.append(latency)
        if error { gathered.errors += 1 }
    }

    func sessionEnded() {
        loop.preconditionInEventLoop()
        gathered.sessions += 1
    }

    func sessionOpened() {
        loop.preconditionInEventLoop()
        waitingToOpen -= 1
        if waitingToOpen == 0 { opened.succeed() }
    }

    /// Sends waiting for a tick, by tick number: one timer per tick, not one per request, keeps the
    /// clients' timer heap small.
    private var dueByTick: [Int64: [() -> Void]] = [:]

    /// Runs `send` at the tick numbered `tick`, which falls at `deadline`.
    func at(tick: Int64, deadline: NIODeadline, _ send: @escaping () -> Void) {
        loop.preconditionInEventLoop()
        if dueByTick[tick, default: []].isEmpty {
            loop.scheduleTask(deadline: deadline) { self.fire(tick) }
        }
        dueByTick[tick, default: []].append(send)
    }

    private func fire(_ tick: Int64) {
        for send in dueByTick.removeValue(forKey: tick) ?? [] { send() }
    }
}

/// One client: initialize, then sessions back to back until the time is up.
private final class ScriptedSession: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct Settings: Sendable {
        var pace: ScriptedClients.Pace
        var echo: Bool
        var phase: TimeAmount
        var seconds: Int
        var begin: EventLoopFuture<NIODeadline>
        var collector: Collector
    }

    private let settings: Settings
    /// 0: initialize; 1: session/start; 2...6: the answers; 7: session/close.
    private var step = 0
    private var requestID = 0
    private var sessionID = "s-222222222222"
    /// When the request in flight counts from: its scheduled time, or when it was sent.
    private var countedFrom = NIODeadline.now()
    private var nextScheduled = NIODeadline.now()
    private var start = NIODeadline.now()
    private var end = NIODeadline.distantFuture

    init(_ settings: Settings) {
        self.settings = settings
    }

    /// Whether the clock has started; before, the client warms up and opens its session.
    private var counting = false
    /// Whether the client has run one whole session.
    private var warmedUp = false

    func channelActive(context: ChannelHandlerContext) {
        send(context: context)
        context.fireChannelActive()
    }

    /// Once the session is open: wait for the common start.
    private func waitForStart(context: ChannelHandlerContext) {
        settings.collector.sessionOpened()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        settings.begin.whenSuccess { start in
            let (session, context) = loopBound.value
            session.counting = true
            session.end = start + .seconds(Int64(session.settings.seconds))
            session.start = start
            session.nextScheduled = start + session.settings.phase
            session.sendWhenDue(context: context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        let now = NIODeadline.now()
        if counting {
            let isError = reply.readableBytesView.starts(with: #"{"error""#.utf8)
            settings.collector.add(
                latency: Int64(now.uptimeNanoseconds) - Int64(countedFrom.uptimeNanoseconds), error: isError)
        }
        if step == 1, !settings.echo, let id = SessionIDScan.sessionID(in: reply.readableBytesView) {
            sessionID = id
        }
        if step == 7 {
            if counting { settings.collector.sessionEnded() } else { warmedUp = true }
            step = 1
        } else {
            step += 1
        }
        guard counting else {
            // Warming up: initialize, one whole session, then a session opened with two answers, as fast as the
            // server answers, so every path has run once before the clock starts.
            if step == 4 && warmedUp { waitForStart(context: context) } else { send(context: context) }
            return
        }
        if case .scheduled(let interval) = settings.pace { nextScheduled = nextScheduled + interval }
        sendWhenDue(context: context)
    }

    /// Sends the next request now, or schedules it; closes the connection once the time is up.
    private func sendWhenDue(context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        switch settings.pace {
        case .closedLoop:
            guard now < end else { return finish(context) }
            countedFrom = now
            send(context: context)
        case .scheduled:
            guard nextScheduled < end else { return finish(context) }
            // Requests fall due on 1 ms ticks from the start, so the clients' timers that fire together wake
            // the clients' loop once; latency counts from the tick.
            let (tick, due) = Self.tick(after: nextScheduled, from: start)
            countedFrom = due
            if due <= now {
                send(context: context)
            } else {
                settings.collector.at(tick: tick, deadline: due) { self.send(context: context) }
            }
        }
    }

    /// The first 1 ms tick from `start` at or after `time`: its number and when it falls.
    private static func tick(after time: NIODeadline, from start: NIODeadline) -> (Int64, NIODeadline) {
        let elapsed = Int64(time.uptimeNanoseconds) - Int64(start.uptimeNanoseconds)
        let ticks = (elapsed + 999_999) / 1_000_000
        return (ticks, start + .nanoseconds(ticks * 1_000_000))
    }

    private func finish(_ context: ChannelHandlerContext) {
        context.close(promise: nil)
    }

    private func send(context: ChannelHandlerContext) {
        requestID += 1
        let line: String
        switch step {
        case 0:
            line = #"{"jsonrpc":"2.0","id":\#(requestID),"method":"initialize","params":{}}"#
        case 1:
            line = #"{"jsonrpc":"2.0","id":\#(requestID),"method":"session/start","params":{"flow":"reflect"}}"#
        case 7:
            line =
                #"{"jsonrpc":"2.0","id":\#(requestID),"method":"session/close","params":{"sessionId":"\#(sessionID)"}}"#
        default:
            let answer = ScriptedAnswers.reflect[step - 2]
            line =
                #"{"jsonrpc":"2.0","id":\#(requestID),"method":"session/answer","params":{"sessionId":"\#(sessionID)","text":"\#(answer)"}}"#
        }
        var buffer = context.channel.allocator.buffer(capacity: line.utf8.count + 1)
        buffer.writeString(line)
        buffer.writeInteger(UInt8(ascii: "\n"))
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }
}

/// Splits a byte stream on `\n` for the benchmark's clients.
private struct NewlineSplitter: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return .needMoreData }
        let length = newline - buffer.readerIndex
        guard let line = buffer.readSlice(length: length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 1)
        context.fireChannelRead(Self.wrapInboundOut(line))
        return .continue
    }
}
