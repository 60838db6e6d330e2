public import Logging
public import NIOCore
public import NIOPosix
import Synchronization

/// The protocol on a TCP socket, with SwiftNIO: framing, timers and the protocol itself in each
/// connection's channel pipeline (`LineFrameHandler`, then `ProtocolHandler`), the domain on Swift's
/// pool, so one slow request or one bad client never holds up the others.
public final class TCPServer: Sendable {
    /// What each connection is served.
    public enum Service: Sendable {
        /// The JSON-RPC protocol.
        case jsonRPC(Dispatcher)
        /// Each line answered by a function, through the same framing, limits and output bound as the protocol,
        /// with no authentication: the floor a benchmark compares the protocol with (the Benchmarks package's echo
        /// server answers each line with itself).
        case lines(@Sendable (ByteBuffer) -> ByteBuffer)
    }

    private struct State {
        var listener: (any Channel)?
        /// Every open connection.
        var connections: [ObjectIdentifier: any Channel] = [:]
        /// Those still to authenticate (or send a first line), oldest first: they have a quota of their own.
        var pending: [ObjectIdentifier] = []
        /// Those that have, holding the slots `maximumConnections` counts.
        var established: Set<ObjectIdentifier> = []
        var stopping = false
        /// `run()`, waiting for the last connection to end after `stop()`.
        var drained: CheckedContinuation<Void, Never>?
    }

    private let host: String
    private let port: Int
    private let configuration: ServerConfiguration
    private let service: Service
    private let logger: Logger
    private let group: any EventLoopGroup
    private let state = Mutex(State())
    private let wrongTokens: WrongTokens

    public init(
        host: String, port: Int, configuration: ServerConfiguration, service: Service, logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.host = host
        self.port = port
        self.configuration = configuration
        self.service = service
        self.logger = logger
        self.group = group
        self.wrongTokens = WrongTokens(limit: configuration.maximumWrongTokensPerMinute)
    }

    /// Opens the listening socket and returns its address (port 0 picks a free port).
    public func bind() async throws -> SocketAddress {
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // A client that shuts down its write side (`nc -N`) still reads the answers to what it sent.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            // The bound on a connection's unsent output: crossing the high mark closes it (`ProtocolHandler`).
            .childChannelOption(
                .writeBufferWaterMark,
                value: .init(
                    low: configuration.maximumOutputBytes / 2, high: max(1, configuration.maximumOutputBytes))
            )
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try self.setUp(channel) }
            }
            .bind(host: host, port: port).get()
        state.withLock { $0.listener = listener }
        guard let address = listener.localAddress else { throw ChannelError.inappropriateOperationForState }
        logger.info("listening", metadata: ["address": "\(address)"])
        return address
    }

    /// Accepts connections until `stop()`; returns once every connection has ended.
    public func run() async {
        guard let listener = state.withLock({ $0.listener }) else { return }
        do {
            try await listener.closeFuture.get()
        } catch {
            logger.error("listener failed", metadata: ["error": "\(error)"])
        }
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.connections.isEmpty { return true }
                state.drained = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Stops accepting; each connection answers what is in flight, then closes.
    public func stop() {
        let (listener, connections) = state.withLock { state in
            state.stopping = true
            return (state.listener, Array(state.connections.values))
        }
        listener?.close(promise: nil)
        for channel in connections {
            channel.pipeline.fireUserInboundEventTriggered(ServerStopping())
        }
    }

    /// Builds a new connection's pipeline, or one that refuses it when the server is full.
    private func setUp(_ channel: any Channel) throws {
        let operations = channel.pipeline.syncOperations
        let pending: Bool
        if case .jsonRPC = service { pending = true } else { pending = false }
        guard admit(channel, pending: pending) else {
            logger.notice(
                "connection refused: too many connections", metadata: ["limit": "\(configuration.maximumConnections)"])
            let refusal = ResponseEncoder().failure(
                id: .null,
                error: ErrorObject(
                    .limitExceeded, "limit exceeded: too many connections", data: ["limit": "maxConnections"]))
            try operations.addHandler(RefusalHandler(refusal))
            return
        }
        channel.closeFuture.whenComplete { _ in self.remove(channel) }
        let lineDeadline = TimeAmount(configuration.lineDeadline)
        let idleTimeout = TimeAmount(configuration.idleTimeout)
        switch service {
        case .lines(let answer):
            try operations.addHandler(
                LineFrameHandler(
                    maximumLineLength: configuration.maximumLineLength, lineDeadline: lineDeadline,
                    idleTimeout: idleTimeout))
            try operations.addHandler(LineAnswerHandler(answer: answer))
        case .jsonRPC(let dispatcher):
            let connection = Connection(
                dispatcher: dispatcher, configuration: configuration, face: .tcp, logger: logger,
                source: channel.remoteAddress?.ipAddress ?? "", wrongTokens: wrongTokens)
            try operations.addHandler(
                LineFrameHandler(
                    maximumLineLength: configuration.maximumLineLength, lineDeadline: lineDeadline,
                    idleTimeout: idleTimeout,
                    unauthenticated: (configuration.maximumUnauthenticatedLineLength, connection.status)))
            try operations.addHandler(
                ProtocolHandler(
                    connection: connection,
                    grace: configuration.token == nil ? configuration.silenceGrace : configuration.authenticationGrace,
                    promote: { self.establish(channel) }))
        }
    }

    /// Takes a new connection in: as pending (its own quota: when that is full, the oldest pending connection is
    /// closed to make room), or at once as established (a `lines` service). Refused while the established slots are
    /// all taken, since it could not get one.
    private func admit(_ channel: any Channel, pending: Bool) -> Bool {
        let evicted = state.withLock { state -> (any Channel)?? in
            guard !state.stopping, state.established.count < configuration.maximumConnections else { return nil }
            let id = ObjectIdentifier(channel)
            state.connections[id] = channel
            guard pending else {
                state.established.insert(id)
                return .some(nil)
            }
            var evicted: (any Channel)?
            if state.pending.count >= pendingQuota {
                let oldest = state.pending.removeFirst()
                evicted = state.connections[oldest]
            }
            state.pending.append(id)
            return .some(evicted)
        }
        guard let evicted else { return false }
        if let evicted {
            logger.notice(
                "connection closed: too many waiting to authenticate",
                metadata: ["limit": "\(configuration.maximumPendingConnections)"])
            evicted.close(promise: nil)
        }
        return true
    }

    /// How many connections may wait for their first line. With a token, a small quota of their own, so
    /// connections that never authenticate cannot crowd out those that do; without one, every client is as trusted
    /// as any other, and a burst of new clients (a thousand at once) may all wait for their first line, up to the
    /// established limit.
    private var pendingQuota: Int {
        let quota = max(1, configuration.maximumPendingConnections)
        return configuration.token == nil ? max(quota, configuration.maximumConnections) : quota
    }

    /// Moves a pending connection to an established slot; false when they are all taken.
    private func establish(_ channel: any Channel) -> Bool {
        state.withLock { state in
            let id = ObjectIdentifier(channel)
            state.pending.removeAll { $0 == id }
            guard state.connections[id] != nil, state.established.count < configuration.maximumConnections else {
                return false
            }
            state.established.insert(id)
            return true
        }
    }

    private func remove(_ channel: any Channel) {
        let drained = state.withLock { state -> CheckedContinuation<Void, Never>? in
            let id = ObjectIdentifier(channel)
            state.pending.removeAll { $0 == id }
            state.established.remove(id)
            state.connections.removeValue(forKey: id)
            guard state.connections.isEmpty, let drained = state.drained else { return nil }
            state.drained = nil
            return drained
        }
        drained?.resume()
    }
}

/// Tells a connection over the limit so, then closes it.
private final class RefusalHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let refusal: ByteBuffer
    private var refused = false

    init(_ refusal: ByteBuffer) {
        self.refusal = refusal
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        refuse(context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    private func refuse(context: ChannelHandlerContext) {
        guard !refused else { return }
        refused = true
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(refusal)).whenComplete { _ in channel.close(promise: nil) }
    }
}
