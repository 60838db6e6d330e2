import Foundation
import Logging
import NIOCore
import NIOPosix
import SmallChangesStore
import Testing

@testable import SmallChangesServer

#if canImport(Glibc)
    import Glibc
#endif

/// A line client over real TCP, framed by the server's own framer.
struct LineClient {
    let channel: NIOAsyncChannel<InboundEvent, ByteBuffer>

    static func connect(to port: Int) async throws -> LineClient {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        LineFrameHandler(maximumLineLength: 16 << 20, lineDeadline: .hours(1), idleTimeout: nil))
                    return try NIOAsyncChannel<InboundEvent, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return LineClient(channel: channel)
    }

    /// Sends raw bytes, reads lines until `until` says stop or the server closes; returns the lines
    /// and whether the server closed the connection.
    func exchange(
        _ bytes: [UInt8], until: @escaping ([String]) -> Bool = { _ in false }
    ) async throws -> (lines: [String], closed: Bool) {
        try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: bytes))
            var lines: [String] = []
            for try await event in inbound {
                if case .line(let line) = event { lines.append(String(buffer: line)) }
                if until(lines) { return (lines, false) }
            }
            return (lines, true)
        }
    }
}

/// A server on 127.0.0.1 with a free port, for one test.
struct RunningServer {
    let server: TCPServer
    let port: Int
    let store: InMemorySessionStore
    let task: Task<Void, Never>

    static func start(
        _ configuration: ServerConfiguration = ServerConfiguration(), logger: Logger = Logger(label: "test")
    ) async throws -> RunningServer {
        let store = InMemorySessionStore()
        let dispatcher = Dispatcher(
            guide: TestGuide.shared, store: store, configuration: configuration, logger: Logger(label: "test"))
        let server = TCPServer(
            host: "127.0.0.1", port: 0, configuration: configuration, service: .jsonRPC(dispatcher), logger: logger)
        let address = try await server.bind()
        let task = Task { await server.run() }
        return RunningServer(server: server, port: try #require(address.port), store: store, task: task)
    }

    func stop() async {
        server.stop()
        await task.value
    }
}

@Suite(.serialized) struct TCPServerTests {
    static func line(_ text: String) -> [UInt8] { Array((text + "\n").utf8) }

    @Test func tenThousandMalformedLinesThenAValidRequestAreAllAnsweredWithJSON() async throws {
        let running = try await RunningServer.start()
        var junk: [[UInt8]] = []
        var generator = SystemRandomNumberGenerator()
        for index in 0..<10_000 {
            switch index % 8 {
            case 0: junk.append(Self.line("{not json \(index)"))
            case 1:
                junk.append(
                    Array(#"{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":""#.utf8) + [0xC3, 0x28, 0xFF]
                        + Self.line(#""}}"#))
            case 2: junk.append(Self.line(String(repeating: "[", count: 100 + index % 50)))
            case 3:
                junk.append(
                    Self.line(
                        #"{"jsonrpc":"2.0","id":\#(index),"method":"session/answer","params":{"sessionId":7,"text":[1]}}"#
                    ))
            case 4: junk.append(Self.line(#"{"jsonrpc":"2.0","id":\#(index),"method":"no/such/method"}"#))
            case 5: junk.append(Self.line(#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#))
            case 6: junk.append(Self.line(#"{"jsonrpc":"1.0","id":"\#(index)","method":"ping"}"#))
            default:
                junk.append(
                    (0..<20).map { _ in UInt8.random(in: 0x01...0xFF, using: &generator) }.filter { $0 != 0x0A } + [
                        0x0A
                    ])
            }
        }
        let bytes =
            Array(junk.joined()) + Self.line(ProtocolHarness.initialize)
            + Self.line(#"{"jsonrpc":"2.0","id":"final","method":"ping"}"#)
        let client = try await LineClient.connect(to: running.port)
        let (lines, closed) = try await client.exchange(bytes) { lines in
            lines.last?.contains(#""final""#) == true
        }
        #expect(!closed)
        #expect(lines.count == 10_002)
        let objects = lines.map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
        #expect(objects.allSatisfy { $0 is [String: Any] })
        let final = try #require(objects.last as? [String: Any])
        #expect(final["id"] as? String == "final")
        #expect(final["result"] != nil)
        await running.stop()
    }

    @Test func aLineOverOneMebibyteInOneWriteIsRejectedAndTheConnectionClosed() async throws {
        let running = try await RunningServer.start()
        let client = try await LineClient.connect(to: running.port)
        let (lines, closed) = try await client.exchange(
            Array(repeating: UInt8(ascii: "a"), count: (1 << 20) + 1) + [0x0A]
                + Self.line(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#))
        #expect(closed)
        #expect(lines.count == 1)
        #expect(errorCode(object(lines[0])) == -32600)
        await running.stop()
    }

    @Test func aClientStillSendingAnOverLongLineGetsTheErrorAndAnOrderlyClose() async throws {
        let running = try await RunningServer.start()
        let client = try await LineClient.connect(to: running.port)
        // Far more than the limit, so the server refuses the line while the client is still sending it: the
        // error must arrive, followed by the end of the stream, not a reset (which would throw here).
        let (lines, closed) = try await client.exchange(Array(repeating: UInt8(ascii: "a"), count: 8 << 20))
        #expect(closed)
        #expect(lines.count == 1)
        #expect(errorCode(object(lines.first ?? "")) == -32600)
        await running.stop()
    }

    @Test func anHTTPRequestCreatesNothingAndIsClosed() async throws {
        let running = try await RunningServer.start()
        let body = ProtocolHarness.initialize + "\n" + requestLine(1, "session/start", ["flow": "reflect"]) + "\n"
        let post =
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
            + body
        let (lines, closed) = try await LineClient.connect(to: running.port).exchange(Array(post.utf8))
        #expect(closed)
        #expect(lines.isEmpty)
        let (getLines, getClosed) = try await LineClient.connect(to: running.port).exchange(
            Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(getClosed && getLines.isEmpty)
        #expect(try running.store.records().isEmpty)
        await running.stop()
    }

    @Test func withATokenNothingButAuthIsServedAndAWrongTokenCloses() async throws {
        var configuration = ServerConfiguration()
        configuration.token = "0123456789abcdef0123456789abcdef"
        let running = try await RunningServer.start(configuration)
        let refused = try await LineClient.connect(to: running.port).exchange(
            Self.line(ProtocolHarness.initialize) + Self.line(requestLine(1, "session/start", ["flow": "reflect"]))
                + Self.line(requestLine(2, "auth", ["token": "wrong"]))
        )
        #expect(refused.closed)
        #expect(refused.lines.count == 3)
        #expect(refused.lines.map(object).allSatisfy { errorCode($0) == -32001 })
        #expect(try running.store.records().isEmpty)
        let accepted = try await LineClient.connect(to: running.port).exchange(
            Self.line(requestLine(1, "auth", ["token": "0123456789abcdef0123456789abcdef"]))
                + Self.line(ProtocolHarness.initialize)
                + Self.line(requestLine(2, "session/start", ["flow": "reflect"]))
        ) { $0.count == 3 }
        #expect(response(accepted.lines, id: 2)?["result"] != nil)
        #expect(try running.store.records().count == 1)
        await running.stop()
    }

    @Test func connectionsOverTheLimitAreToldSoAndClosed() async throws {
        var configuration = ServerConfiguration()
        configuration.maximumConnections = 2
        let running = try await RunningServer.start(configuration)
        let first = try await LineClient.connect(to: running.port)
        let second = try await LineClient.connect(to: running.port)
        // Both connections are held open, and closed properly, while a third one is refused.
        try await first.channel.executeThenClose { firstInbound, firstOutbound in
            try await second.channel.executeThenClose { secondInbound, secondOutbound in
                // A reply on each shows the server has both connections.
                try await firstOutbound.write(ByteBuffer(string: requestLine(1, "ping") + "\n"))
                try await secondOutbound.write(ByteBuffer(string: requestLine(1, "ping") + "\n"))
                for inbound in [firstInbound, secondInbound] {
                    var replied = false
                    for try await event in inbound {
                        if case .line = event {
                            replied = true
                            break
                        }
                    }
                    #expect(replied)
                }
                // The server speaks first and closes: the third client only listens, since a write could race
                // the close.
                let third = try await LineClient.connect(to: running.port)
                let lines = try await third.channel.executeThenClose { inbound, _ in
                    var lines: [String] = []
                    for try await event in inbound {
                        if case .line(let line) = event { lines.append(String(buffer: line)) }
                    }
                    return lines
                }
                #expect(lines.count == 1)
                #expect(errorCode(object(lines[0])) == -32003)
            }
        }
        await running.stop()
    }

    @Test func aSessionStartedOnOneConnectionResumesOnAnother() async throws {
        let running = try await RunningServer.start()
        let started = try await LineClient.connect(to: running.port).exchange(
            Self.line(ProtocolHarness.initialize) + Self.line(requestLine(1, "session/start", ["flow": "reflect"]))
        ) { $0.count == 2 }
        let result = try #require(response(started.lines, id: 1)?["result"] as? [String: Any])
        let sessionId = try #require(result["sessionId"] as? String)
        let resumed = try await LineClient.connect(to: running.port).exchange(
            Self.line(ProtocolHarness.initialize)
                + Self.line(requestLine(2, "session/resume", ["sessionId": sessionId]))
        ) { $0.count == 2 }
        let prompt = (response(resumed.lines, id: 2)?["result"] as? [String: Any])?["prompt"] as? [String: Any]
        #expect(prompt?["id"] as? String == (result["prompt"] as? [String: Any])?["id"] as? String)
        await running.stop()
    }

    @Test func aLineNotFinishedWithinTheDeadlineClosesTheConnection() async throws {
        var configuration = ServerConfiguration()
        configuration.lineDeadline = .milliseconds(300)
        let running = try await RunningServer.start(configuration)
        let started = ContinuousClock.now
        let (lines, closed) = try await LineClient.connect(to: running.port).exchange(Array(#"{"jsonrpc":"2.0","#.utf8))
        #expect(closed)
        #expect(errorCode(object(try #require(lines.first))) == -32600)
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(5))
        await running.stop()
    }

    @Test func aConnectionIdleForTheTimeoutIsClosed() async throws {
        var configuration = ServerConfiguration()
        configuration.idleTimeout = .milliseconds(300)
        let running = try await RunningServer.start(configuration)
        let started = ContinuousClock.now
        let (lines, closed) = try await LineClient.connect(to: running.port).exchange([])
        let elapsed = ContinuousClock.now - started
        #expect(closed && lines.isEmpty)
        #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(10))
        await running.stop()
    }

    @Test func aClientThatStopsReadingIsClosedOnceItsUnsentOutputPassesTheBound() async throws {
        var configuration = ServerConfiguration()
        configuration.maximumOutputBytes = 64 << 10
        let log = RecordedLog()
        let running = try await RunningServer.start(configuration, logger: log.logger)
        // Each search answers with tens of kilobytes: far more than the kernel's socket buffers hold in all.
        let requests = 1_000
        // Blocking socket calls, on a thread of their own: the client writes every request, waits, and only
        // then reads, as a client that has stopped reading would.
        let (answered, closed) = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    returning: Self.writeAllThenRead(port: running.port, requests: requests, log: log))
            }
        }
        #expect(closed)
        // Far fewer responses than requests reached the client: the rest were never held for it.
        #expect(answered < requests / 2)
        await running.stop()
    }

    /// Sends `initialize` and `requests` wide `corpus/search` requests without reading, waits until the server has
    /// closed the connection for its unsent output (as its log says), then reads to the end; returns how many lines
    /// arrived and whether the server closed the connection.
    private static func writeAllThenRead(port: Int, requests: Int, log: RecordedLog) -> (lines: Int, closed: Bool) {
        guard let socket = try? RawSocket(port: port, timeout: 30, receiveBuffer: 4096) else { return (0, false) }
        socket.send(ProtocolHarness.initialize + "\n")
        for id in 1...requests {
            let search =
                #"{"jsonrpc":"2.0","id":\#(id),"method":"corpus/search","params":{"query":"time team","limit":50}}"#
            if !socket.send(search + "\n") { break }
        }
        // The requests fit in the kernel's buffers at once: stay away until the answers have filled them and the
        // server's own bound (if it never says so, the read below still tells).
        _ = log.waitFor("output queue full", seconds: 30)
        let (lines, closed) = socket.readToEnd()
        return (lines.count, closed)
    }
}
