public import Logging
public import NIOCore
public import NIOPosix
import Synchronization

/// The protocol on a TCP socket, with SwiftNIO: framing and timers in the channel pipeline, the
/// protocol in async code, one non-throwing task per connection in a discarding task group, so one
/// bad client never takes the server down.
public final class TCPServer: Sendable {
    /// What each connection is served.
    public enum Service: Sendable {
        /// The JSON-RPC protocol.
        case jsonRPC(Dispatcher)
        /// Every line sent straight back: the floor the benchmark compares the protocol with.
        case echo
    }

    private struct State {
        var listener: NIOAsyncChannel<NIOAsyncChannel<InboundEvent, ByteBuffer>, Never>?
        var connections: [ObjectIdentifier: any Channel] = [:]
        var stopping = false
    }

    private let host: String
    private let port: Int
    private let configuration: ServerConfiguration
    private let service: Service
    private let logger: Logger
    private let group: any EventLoopGroup
    private let state = Mutex(State())

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
    }

    /// Opens the listening socket and returns its address (port 0 picks a free port).
    public func bind() async throws -> SocketAddress {
        let maximumLineLength = configuration.maximumLineLength
        let lineDeadline = TimeAmount(configuration.lineDeadline)
        let idleTimeout = TimeAmount(configuration.idleTimeout)
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        LineFrameHandler(
                            maximumLineLength: maximumLineLength, lineDeadline: lineDeadline,
                            idleTimeout: idleTimeout))
                    return try NIOAsyncChannel<InboundEvent, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        state.withLock { $0.listener = listener }
        guard let address = listener.channel.localAddress else { throw ChannelError.inappropriateOperationForState }
        logger.info("listening", metadata: ["address": "\(address)"])
        return address
    }

    /// Accepts connections until `stop()`; returns once every connection has ended.
    public func run() async {
        guard let listener = state.withLock({ $0.listener }) else { return }
        await withDiscardingTaskGroup { group in
            do {
                try await listener.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await self.serve(connection) }
                    }
                }
            } catch {
                logger.error("listener failed", metadata: ["error": "\(error)"])
            }
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

    /// Serves one connection; never throws, so a failing client ends only its own task.
    private func serve(_ connection: NIOAsyncChannel<InboundEvent, ByteBuffer>) async {
        let channel = connection.channel
        guard admit(channel) else {
            logger.notice(
                "connection refused: too many connections", metadata: ["limit": "\(configuration.maximumConnections)"])
            let refusal = ResponseEncoder().failure(
                id: .null,
                error: ErrorObject(
                    .limitExceeded, "limit exceeded: too many connections", data: ["limit": "maxConnections"]))
            try? await connection.executeThenClose { _, outbound in try await outbound.write(refusal) }
            return
        }
        defer { state.withLock { _ = $0.connections.removeValue(forKey: ObjectIdentifier(channel)) } }
        do {
            try await connection.executeThenClose { inbound, outbound in
                let output = OutputQueue(maximumBytes: configuration.maximumOutputBytes) {
                    channel.close(promise: nil)
                }
                await withDiscardingTaskGroup { group in
                    group.addTask {
                        await output.drain { try await outbound.write($0) }
                    }
                    switch service {
                    case .echo:
                        await echo(inbound, output: output)
                    case .jsonRPC(let dispatcher):
                        await speak(dispatcher, inbound, output: output, channel: channel)
                    }
                    output.finish()
                }
            }
        } catch {
            logger.debug("connection ended with an error", metadata: ["error": "\(type(of: error))"])
        }
    }

    private func speak(
        _ dispatcher: Dispatcher, _ inbound: NIOAsyncChannelInboundStream<InboundEvent>, output: OutputQueue,
        channel: any Channel
    ) async {
        let connection = Connection(dispatcher: dispatcher, configuration: configuration, face: .tcp, logger: logger)
        let grace =
            connection.status.authenticated
            ? nil
            : Task { [configuration] in
                try await Task.sleep(for: configuration.authenticationGrace)
                if !connection.status.authenticated { channel.close(promise: nil) }
            }
        let ending = await connection.run(events: inbound, output: output)
        grace?.cancel()
        if case .closed(let reason) = ending {
            logger.notice("connection closed", metadata: ["reason": "\(reason)"])
        }
    }

    private func echo(_ inbound: NIOAsyncChannelInboundStream<InboundEvent>, output: OutputQueue) async {
        do {
            for try await event in inbound {
                switch event {
                case .line(var line):
                    line.writeInteger(UInt8(ascii: "\n"))
                    output.send(line)
                case .tooLong:
                    continue
                case .deadlineExceeded, .idle, .stopping:
                    return
                }
            }
        } catch {
            return
        }
    }

    private func admit(_ channel: any Channel) -> Bool {
        state.withLock { state in
            guard !state.stopping, state.connections.count < configuration.maximumConnections else { return false }
            state.connections[ObjectIdentifier(channel)] = channel
            return true
        }
    }
}
