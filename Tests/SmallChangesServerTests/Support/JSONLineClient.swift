import Foundation
import NIOCore
import NIOPosix
import Synchronization

@testable import SmallChangesServer

/// A protocol client over real TCP that keeps every line the server sends, responses and
/// notifications alike, so a test can wait for either.
final class JSONLineClient: Sendable {
    private final class Inbox: Sendable {
        private let state = Mutex<(lines: [String], taken: Int, closed: Bool)>(([], 0, false))

        func append(_ line: String) { state.withLock { $0.lines.append(line) } }
        func close() { state.withLock { $0.closed = true } }
        var closed: Bool { state.withLock { $0.closed } }
        var lines: [String] { state.withLock { $0.lines } }
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = InboundEvent
        let inbox: Inbox
        init(_ inbox: Inbox) { self.inbox = inbox }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .line(let line) = unwrapInboundIn(data) { inbox.append(String(buffer: line)) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            inbox.close()
            context.fireChannelInactive()
        }
    }

    private let channel: any Channel
    private let inbox: Inbox
    private let nextID = Mutex(100)
    /// How many notifications `nextNotification` has handed out.
    private let notificationsTaken = Mutex(0)

    private init(channel: any Channel, inbox: Inbox) {
        self.channel = channel
        self.inbox = inbox
    }

    /// Connects, from `source` when given (another loopback address, as another machine would), and sends
    /// `initialize`.
    static func connect(to port: Int, from source: String? = nil) async throws -> JSONLineClient {
        let inbox = Inbox()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        LineFrameHandler(maximumLineLength: 16 << 20, lineDeadline: .hours(1), idleTimeout: nil))
                    try channel.pipeline.syncOperations.addHandler(Collector(inbox))
                }
            }
            .bind(to: try SocketAddress(ipAddress: source ?? "127.0.0.1", port: 0))
            .connect(host: "127.0.0.1", port: port).get()
        let client = JSONLineClient(channel: channel, inbox: inbox)
        _ = try await client.call("initialize", ["protocolVersion": "2026-11-22"])
        return client
    }

    /// Sends a request and waits for its response object.
    func call(_ method: String, _ params: [String: Any]? = nil) async throws -> [String: Any] {
        let id = nextID.withLock { id in
            id += 1
            return id
        }
        try await channel.writeAndFlush(ByteBuffer(string: requestLine(id, method, params) + "\n"))
        let found = try await waitFor { lines in lines.map(object).first { ($0["id"] as? Int) == id } }
        guard let found else { throw ClientError.noResponse(method) }
        return found
    }

    /// The result of a request that must succeed.
    func result(_ method: String, _ params: [String: Any]? = nil) async throws -> [String: Any] {
        let response = try await call(method, params)
        guard let result = response["result"] as? [String: Any] else { throw ClientError.failed(method, "\(response)") }
        return result
    }

    /// The next notification not yet taken, waiting up to `seconds` for it.
    func nextNotification(within seconds: Double = 5) async throws -> [String: Any]? {
        let taken = notificationsTaken.withLock { $0 }
        let found = try await waitFor(seconds) { lines in
            let notifications = lines.map(object).filter { $0["id"] == nil && $0["method"] != nil }
            return notifications.count > taken ? notifications[taken] : nil
        }
        if found != nil { notificationsTaken.withLock { $0 += 1 } }
        return found
    }

    /// Every notification received so far.
    var notifications: [[String: Any]] {
        inbox.lines.map(object).filter { $0["id"] == nil && $0["method"] != nil }
    }

    /// Whether the server closed the connection.
    var closedByServer: Bool { inbox.closed }

    func close() async {
        try? await channel.close()
    }

    private func waitFor(
        _ seconds: Double = 10, _ match: @Sendable ([String]) -> [String: Any]?
    ) async throws -> [String: Any]? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if let found = match(inbox.lines) { return found }
            if inbox.closed { return match(inbox.lines) }
            try await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    enum ClientError: Error {
        case noResponse(String)
        case failed(String, String)
    }
}
