import Logging
import NIOCore

/// The protocol on one TCP connection, in the channel pipeline after `LineFrameHandler`.
///
/// Each line is read, checked and answered or routed on the connection's event loop as it arrives;
/// requests for the domain run on the same loop, queued behind its I/O (`Runner.loop`), so a turn costs no
/// thread hop (with SQLite, those that use the store run on its threads). When every slot of the in-flight limit is taken, the lines already read wait here
/// in order and the socket is not read again until a slot is free, so a client cannot queue work
/// without bound. When the connection is to end, nothing more is read, what is in flight is answered,
/// then the connection closes.
final class ProtocolHandler: ChannelDuplexHandler {
    typealias InboundIn = InboundEvent
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let connection: Connection
    /// Time the connection has to authenticate, or without a token to send its first line.
    private let grace: TimeAmount
    /// Moves the connection from the pending quota to the full one (`TCPServer`); false when that is full.
    private let promote: () -> Bool
    /// Whether the connection has authenticated, or without a token sent a line, and so holds a full slot.
    private var promoted = false
    private var lifecycle = Connection.Lifecycle()
    private var output: ChannelOutput?
    private var peer: Peer?
    private var inFlight = 0
    /// Events read while every slot was taken, oldest first.
    private var waiting = CircularBuffer<InboundEvent>()
    /// Whether a `read` was held back because events are waiting.
    private var readHeld = false
    private var ending: Connection.Ending?
    private var inactive = false
    private var closing = false
    private var disconnected = false
    /// Closing after a refusal: the output is closed, and the client's input is read and dropped until it closes.
    private var lingering: Bool {
        guard closing, case .closed = ending else { return false }
        return true
    }
    private var graceTask: Scheduled<Void>?
    private var lingerTask: Scheduled<Void>?
    /// How long a refused client may keep sending before the connection is closed outright.
    static let lingerTime = TimeAmount.seconds(2)

    init(connection: Connection, grace: Duration, promote: @escaping () -> Bool = { true }) {
        self.connection = connection
        self.grace = TimeAmount(grace)
        self.promote = promote
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let output = ChannelOutput(channel: context.channel)
        self.output = output
        peer = Peer(send: output.send, canShare: true, source: context.channel.remoteAddress?.ipAddress ?? "")
        // A client that never authenticates, or without a token never sends a line, does not keep a connection.
        graceTask = context.eventLoop.assumeIsolated().scheduleTask(in: grace) { [weak self] in
            guard let self, !self.promoted else { return }
            self.end(.closed("no auth within the grace period"), context: context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let event = unwrapInboundIn(data)
        guard ending == nil else {
            // Ending: what comes now is dropped; a server that is stopping does not wait out a linger, nor for a
            // client that does not read the last responses (nor does the idle timeout). A refused client that has
            // closed its side has read the error: close outright.
            if lingering, event == .stopping || event == .inputEnded {
                context.close(promise: nil)
            } else if closing, !lingering, event == .stopping || event == .idle {
                context.close(promise: nil)
            }
            return
        }
        if !waiting.isEmpty || inFlight >= connection.configuration.maximumInFlightPerConnection {
            waiting.append(event)
            return
        }
        serve(event, context: context)
    }

    func read(context: ChannelHandlerContext) {
        if lingering || (waiting.isEmpty && ending == nil) {
            context.read()
        } else {
            readHeld = true
        }
    }

    /// The output waiting for the client passed the bound (the channel's high-water mark): a client that
    /// does not read its responses loses its connection, rather than the server holding them.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if !context.channel.isWritable {
            connection.logger.notice(
                "connection closed", metadata: ["reason": "output queue full", "limit": "maxOutputBytes"])
            closing = true
            context.close(promise: nil)
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        inactive = true
        graceTask?.cancel()
        lingerTask?.cancel()
        if ending == nil { ending = .endOfInput }
        waiting.removeAll()
        leaveWhenDrained()
        context.fireChannelInactive()
    }

    private func serve(_ event: InboundEvent, context: ChannelHandlerContext) {
        guard let output, let peer else { return }
        if !promoted, connection.configuration.token == nil, case .line = event, !takeFullSlot(context: context) {
            return
        }
        defer {
            if !promoted, ending == nil, connection.status.authenticated, connection.configuration.token != nil {
                _ = takeFullSlot(context: context)
            }
        }
        switch connection.receive(event, lifecycle: &lifecycle, output: output) {
        case .handled:
            break
        case .dispatch(let request):
            inFlight += 1
            let loop = context.eventLoop
            let bound = NIOLoopBound((self, context), eventLoop: loop)
            connection.dispatch(request, output: output, peer: peer, on: loop) {
                // The request normally ran on this loop; a shared session's queue may have run it elsewhere.
                loop.execute(orNow: {
                    let (handler, context) = bound.value
                    handler.finished(context: context)
                })
            }
        case .end(let ending):
            end(ending, context: context)
        case .endAfterDelay(let line, let reason):
            // Held as a request in flight, so the connection closes only once the line is sent.
            inFlight += 1
            end(reason, context: context)
            let delay = TimeAmount(connection.configuration.wrongTokenDelay)
            context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
                if let line { output.send(line) }
                self.finished(context: context)
            }
        }
    }

    /// Leaves the pending quota for a full slot; when none is free, the client is told so and the connection ends.
    private func takeFullSlot(context: ChannelHandlerContext) -> Bool {
        promoted = true
        graceTask?.cancel()
        if promote() { return true }
        connection.logger.notice(
            "connection refused: too many connections",
            metadata: ["limit": "\(connection.configuration.maximumConnections)"])
        output?.send(
            ResponseEncoder().failure(
                id: .null,
                error: ErrorObject(
                    .limitExceeded, "limit exceeded: too many connections", data: ["limit": "maxConnections"])))
        end(.closed("too many connections"), context: context)
        return false
    }

    /// A request has been answered: its slot serves the events waiting, then reading resumes.
    private func finished(context: ChannelHandlerContext) {
        inFlight -= 1
        while ending == nil, inFlight < connection.configuration.maximumInFlightPerConnection,
            let next = waiting.popFirst()
        {
            serve(next, context: context)
        }
        if ending == nil, waiting.isEmpty, readHeld {
            readHeld = false
            context.read()
        }
        closeWhenDrained(context: context)
        leaveWhenDrained()
    }

    private func end(_ reason: Connection.Ending, context: ChannelHandlerContext) {
        guard ending == nil else { return }
        ending = reason
        waiting.removeAll()
        closeWhenDrained(context: context)
    }

    private func closeWhenDrained(context: ChannelHandlerContext) {
        guard let ending, inFlight == 0, !inactive, !closing else { return }
        closing = true
        guard case .closed(let reason) = ending else {
            // Once every response queued before it is written: a client that half-closed reads them all.
            context.writeAndFlush(wrapOutboundOut(ByteBuffer())).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
            return
        }
        connection.logger.notice("connection closed", metadata: ["reason": "\(reason)"])
        // A refused client may still be sending (the rest of an over-long line). Closing outright with its bytes
        // unread makes the kernel reset the connection, and a reset can destroy the error line before the
        // client reads it: so close the output first (the client gets the error, then the end of the stream),
        // and read and drop its input until it closes, for `lingerTime` at most.
        context.close(mode: .output).assumeIsolated().whenFailure { _ in context.close(promise: nil) }
        lingerTask = context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingerTime) {
            context.close(promise: nil)
        }
        context.read()
    }

    /// Once the connection is gone and nothing is in flight, its seats in shared sessions are given up.
    private func leaveWhenDrained() {
        guard inactive, inFlight == 0, !disconnected, let peer else { return }
        disconnected = true
        connection.dispatcher.disconnected(peer)
    }
}

/// A `TCPServer.Service.lines` connection: each line answered by `answer`, through the same framing and output
/// bound as the protocol.
final class LineAnswerHandler: ChannelInboundHandler {
    typealias InboundIn = InboundEvent
    typealias OutboundOut = ByteBuffer

    private let answer: @Sendable (ByteBuffer) -> ByteBuffer

    init(answer: @escaping @Sendable (ByteBuffer) -> ByteBuffer) {
        self.answer = answer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .line(let line):
            var reply = answer(line)
            reply.writeInteger(UInt8(ascii: "\n"))
            context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
        case .tooLong:
            break
        case .deadlineExceeded, .idle, .stopping, .inputEnded:
            context.close(promise: nil)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if !context.channel.isWritable { context.close(promise: nil) }
        context.fireChannelWritabilityChanged()
    }
}

extension EventLoop {
    /// Runs `body` now when already on this loop, else queues it there.
    fileprivate func execute(orNow body: @escaping @Sendable () -> Void) {
        if inEventLoop { body() } else { execute(body) }
    }
}
