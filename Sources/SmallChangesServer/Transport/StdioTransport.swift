public import Logging
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The protocol on stdin and stdout: one client, the parent process, served by the same loop as a TCP connection
/// (`Connection.serve`) over a NIO pipe channel.
///
/// NIO reads the input only as the loop asks for lines, so a fast writer on stdin cannot make the server buffer
/// without bound. stdout carries protocol lines only; logs go to stderr.
public final class StdioTransport: Sendable {
    private let dispatcher: Dispatcher
    private let configuration: ServerConfiguration
    private let logger: Logger
    private let input: CInt
    private let output: CInt
    /// The pipe channel while it runs; `stopping` once `stop()` was called.
    private let state = Mutex<(channel: (any Channel)?, stopping: Bool)>((nil, false))

    public init(
        dispatcher: Dispatcher, configuration: ServerConfiguration, logger: Logger, input: CInt = 0,
        output: CInt = 1
    ) {
        self.dispatcher = dispatcher
        self.configuration = configuration
        self.logger = logger
        self.input = input
        self.output = output
    }

    /// Serves until the input ends, the client sends `exit`, or `stop()`; returns the exit status:
    /// 0, or 1 for an `exit` without `shutdown` first.
    public func run() async -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        let connection = Connection(dispatcher: dispatcher, configuration: configuration, face: .stdio, logger: logger)
        let ending: Connection.Ending
        do {
            // NIO reads pipes, sockets and terminals; a regular file is relayed through a pipe.
            let input = try FileRelay.readable(self.input)
            let output = try FileRelay.writable(self.output)
            let channel = try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.allowRemoteHalfClosure, value: true)
                .takingOwnershipOfDescriptors(input: input.descriptor, output: output.descriptor) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            LineFrameHandler(
                                maximumLineLength: self.configuration.maximumLineLength, lineDeadline: nil,
                                idleTimeout: nil))
                        return try NIOAsyncChannel<InboundEvent, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            let stopped = state.withLock { state in
                state.channel = channel.channel
                return state.stopping
            }
            if stopped { channel.channel.pipeline.fireUserInboundEventTriggered(ServerStopping()) }
            ending = try await channel.executeThenClose { inbound, _ in
                var events = inbound.makeAsyncIterator()
                let ending = await connection.serve(&events, output: ChannelOutput(channel: channel.channel))
                try await channel.channel.writeAndFlush(ByteBuffer())
                return ending
            }
            // Once the channel has closed its end: a file on stdout then has every line.
            output.finish()
        } catch {
            logger.error("stdio failed", metadata: ["error": "\(error)"])
            return 1
        }
        logger.info("stdio session ended", metadata: ["ending": "\(ending)"])
        if case .exit(clean: false) = ending { return 1 }
        return 0
    }

    /// Stops reading; what is in flight is still answered, then `run()` returns.
    public func stop() {
        let channel = state.withLock { state in
            state.stopping = true
            return state.channel
        }
        channel?.pipeline.fireUserInboundEventTriggered(ServerStopping())
    }
}
