public import Logging
public import NIOCore
public import NIOPosix
import Synchronization

/// The protocol on a TCP socket, with SwiftNIO's async API: framing and timers in each connection's channel
/// pipeline (`LineFrameHandler`), then one async function per connection (`Connection.serve`, the loop stdio runs
/// too) in a discarding task group, the domain on the connection's event loop or the store's threads, so one slow
/// request or one bad client never holds up the others.
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

    /// A connection as the listener hands it on: to serve, or already refused (`RefusalHandler` answers it).
    private enum Admission: Sendable {
        case serve(NIOAsyncChannel<InboundEvent, ByteBuffer>, Connection?)
        case refused
    }

    private struct State {
        var listener: NIOAsyncChannel<Admission, Never>?
        /// Every open connection.
        var connections: [ObjectIdentifier: any Channel] = [:]
        /// Those still to authenticate (or send a first line), oldest first: they have a quota of their own.
        var pending: [ObjectIdentifier] = []
        /// Those that have, holding the slots `maximumConnections` counts.
        var established: Set<ObjectIdentifier> = []
        var stopping = false
    }

    /// How long a refused client may keep sending before the connection is closed outright.
    static let lingerTime = TimeAmount.seconds(2)

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
            // The bound on a connection's unsent output: crossing the high mark closes it (`OutputBound`).
            .childChannelOption(
                .writeBufferWaterMark,
                value: .init(
                    low: configuration.maximumOutputBytes / 2, high: max(1, configuration.maximumOutputBytes))
            )
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try self.setUp(channel) }
            }
        state.withLock { $0.listener = listener }
        guard let address = listener.channel.localAddress else { throw ChannelError.inappropriateOperationForState }
        logger.info("listening", metadata: ["address": "\(address)"])
        return address
    }

    /// Accepts connections until `stop()`; returns once every connection has ended.
    public func run() async {
        guard let listener = state.withLock({ $0.listener }) else { return }
        do {
            try await listener.executeThenClose { connections in
                await withDiscardingTaskGroup { group in
                    do {
                        for try await case .serve(let channel, let connection) in connections {
                            let executor = EventLoopExecutor(channel.channel.eventLoop)
                            group.addTask(executorPreference: executor) {
                                defer { withExtendedLifetime(executor) {} }
                                await self.serve(channel, connection)
                            }
                        }
                    } catch {
                        self.logger.error("listener failed", metadata: ["error": "\(error)"])
                    }
                }
            }
        } catch {
            logger.error("listener failed", metadata: ["error": "\(error)"])
        }
    }

    /// Stops accepting; each connection answers what is in flight, then closes.
    public func stop() {
        let (listener, connections) = state.withLock { state in
            state.stopping = true
            return (state.listener, Array(state.connections.values))
        }
        listener?.channel.close(promise: nil)
        for channel in connections {
            channel.pipeline.fireUserInboundEventTriggered(ServerStopping())
        }
    }

    /// Serves one connection to its end: the protocol's loop, then a close that lets the client read the last line.
    private func serve(_ channel: NIOAsyncChannel<InboundEvent, ByteBuffer>, _ connection: Connection?) async {
        let raw = channel.channel
        do {
            try await channel.executeThenClose { inbound, outbound in
                var events = inbound.makeAsyncIterator()
                guard let connection else {
                    if case .lines(let answer) = service { try await Self.answer(&events, outbound, with: answer) }
                    return
                }
                let ending = await connection.serve(
                    &events, output: ChannelOutput(channel: raw), source: raw.remoteAddress?.ipAddress ?? "",
                    loop: raw.eventLoop, promote: { self.establish(raw) })
                guard case .closed(let reason) = ending else {
                    // Once every response queued before it is written: a client that half-closed reads them all.
                    try await raw.writeAndFlush(ByteBuffer())
                    return
                }
                logger.notice("connection closed", metadata: ["reason": "\(reason)"])
                // A refused client may still be sending (the rest of an over-long line). Closing outright with its
                // bytes unread makes the kernel reset the connection, and a reset can destroy the error line before
                // the client reads it: so close the output first (the client gets the error, then the end of the
                // stream), and read and drop its input until it closes, for `lingerTime` at most, or the server stops.
                try? await raw.close(mode: .output)
                let linger = raw.eventLoop.scheduleTask(in: Self.lingerTime) { raw.close(promise: nil) }
                defer { linger.cancel() }
                while let event = try await events.next(), event != .inputEnded, event != .stopping {}
            }
        } catch {
            logger.debug("connection ended with an error", metadata: ["error": "\(type(of: error))"])
        }
    }

    /// A `lines` service: every line answered by `answer`, through the same framing and output bound.
    private static func answer(
        _ events: inout NIOAsyncChannelInboundStream<InboundEvent>.AsyncIterator,
        _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, with answer: @Sendable (ByteBuffer) -> ByteBuffer
    ) async throws {
        while let event = try await events.next() {
            switch event {
            case .line(let line):
                var line = answer(line)
                line.writeInteger(UInt8(ascii: "\n"))
                try await outbound.write(line)
            case .tooLong: continue
            case .deadlineExceeded, .idle, .graceExpired, .stopping, .inputEnded: return
            }
        }
    }

    /// Builds a new connection's pipeline, or one that refuses it when the server is full.
    private func setUp(_ channel: any Channel) throws -> Admission {
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
            return .refused
        }
        channel.closeFuture.whenComplete { _ in self.remove(channel) }
        let lineDeadline = TimeAmount(configuration.lineDeadline)
        let idleTimeout = TimeAmount(configuration.idleTimeout)
        var connection: Connection?
        switch service {
        case .lines:
            try operations.addHandler(
                LineFrameHandler(
                    maximumLineLength: configuration.maximumLineLength, lineDeadline: lineDeadline,
                    idleTimeout: idleTimeout))
        case .jsonRPC(let dispatcher):
            let served = Connection(
                dispatcher: dispatcher, configuration: configuration, face: .tcp, logger: logger,
                source: channel.remoteAddress?.ipAddress ?? "", wrongTokens: wrongTokens)
            let grace = configuration.token == nil ? configuration.silenceGrace : configuration.authenticationGrace
            try operations.addHandler(
                LineFrameHandler(
                    maximumLineLength: configuration.maximumLineLength, lineDeadline: lineDeadline,
                    idleTimeout: idleTimeout,
                    unauthenticated: (configuration.maximumUnauthenticatedLineLength, served.status),
                    grace: TimeAmount(grace)))
            connection = served
        }
        try operations.addHandler(OutputBound(logger: logger))
        return .serve(try NIOAsyncChannel(wrappingChannelSynchronously: channel), connection)
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
        state.withLock { state in
            let id = ObjectIdentifier(channel)
            state.pending.removeAll { $0 == id }
            state.established.remove(id)
            state.connections.removeValue(forKey: id)
        }
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

/// Closes a connection whose unsent output passed the bound (the channel's high-water mark): a client that does not
/// read its responses loses its connection, rather than the server holding them.
private final class OutputBound: ChannelInboundHandler {
    typealias InboundIn = InboundEvent
    typealias InboundOut = InboundEvent

    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if !context.channel.isWritable {
            logger.notice("connection closed", metadata: ["reason": "output queue full", "limit": "maxOutputBytes"])
            context.close(promise: nil)
        }
        context.fireChannelWritabilityChanged()
    }
}
