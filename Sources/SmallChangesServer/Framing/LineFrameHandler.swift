import NIOCore

/// The channel handler that turns bytes into `InboundEvent`s: framing, the per-line deadline and the
/// idle timeout live here, in the pipeline, so the async code above only sees whole lines.
///
/// The deadline runs from the first byte of a line to its `\n`; an idle timer that reset on every
/// byte would let a client drip one byte every few seconds forever.
final class LineFrameHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = InboundEvent

    private var framer: LineFramer
    private let lineDeadline: TimeAmount?
    private let idleTimeout: TimeAmount?
    private var deadlineTask: Scheduled<Void>?
    private var idleTask: Scheduled<Void>?
    /// When input last arrived. The idle timer is not moved on every read (a cancel and a reschedule in
    /// the event loop's timer heap, per read, on every connection): when it fires early it sets itself again.
    private var lastInput: NIODeadline?
    /// Before `auth`, a started line may hold this many bytes at most (`maximumUnauthenticatedLineLength`), so an
    /// unauthenticated client cannot make the server hold a mebibyte for the grace period.
    private let unauthenticated: (limit: Int, status: Connection.Status)?
    /// How long the client has to authenticate, or without a token to send its first line.
    private let grace: TimeAmount?
    private var graceTask: Scheduled<Void>?
    private var sawLine = false

    init(
        maximumLineLength: Int, lineDeadline: TimeAmount?, idleTimeout: TimeAmount?,
        unauthenticated: (limit: Int, status: Connection.Status)? = nil, grace: TimeAmount? = nil
    ) {
        self.grace = grace
        self.framer = LineFramer(maximumLength: maximumLineLength)
        self.lineDeadline = lineDeadline
        self.idleTimeout = idleTimeout
        self.unauthenticated = unauthenticated
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { restartIdleTimer(context: context) }
        // A client that never authenticates, or without a token never sends a line, does not keep a connection.
        if let grace {
            graceTask = context.eventLoop.assumeIsolated().scheduleTask(in: grace) { [weak self] in
                guard let self, !self.sawLine || !(self.unauthenticated?.status.authenticated ?? true) else { return }
                context.fireChannelRead(NIOAny(InboundEvent.graceExpired))
                context.fireChannelReadComplete()
            }
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        restartIdleTimer(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        for event in framer.append(bytes) {
            if case .line = event { sawLine = true }
            context.fireChannelRead(wrapInboundOut(event))
        }
        // Checked after the complete lines have run, so an `auth` in the same read counts.
        if let unauthenticated, framer.partialLength > unauthenticated.limit, !unauthenticated.status.authenticated {
            framer.abandonPartialLine()
            context.fireChannelRead(wrapInboundOut(.tooLong))
        }
        if framer.hasPartialLine {
            if deadlineTask == nil, let lineDeadline {
                deadlineTask = context.eventLoop.assumeIsolated().scheduleTask(in: lineDeadline) { [weak self] in
                    self?.deadlineTask = nil
                    context.fireChannelRead(NIOAny(InboundEvent.deadlineExceeded))
                    context.fireChannelReadComplete()
                }
            }
        } else {
            deadlineTask?.cancel()
            deadlineTask = nil
        }
        restartIdleTimer(context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ServerStopping {
            context.fireChannelRead(wrapInboundOut(.stopping))
            context.fireChannelReadComplete()
        } else if let event = event as? ChannelEvent, event == .inputClosed {
            // The client has sent all it will (`nc -N`, `shutdown(SHUT_WR)`): the last line, then the end.
            deadlineTask?.cancel()
            deadlineTask = nil
            for line in framer.finish() {
                context.fireChannelRead(wrapInboundOut(line))
            }
            context.fireChannelRead(wrapInboundOut(.inputEnded))
            context.fireChannelReadComplete()
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        for event in framer.finish() {
            context.fireChannelRead(wrapInboundOut(event))
        }
        context.fireChannelReadComplete()
        context.fireChannelInactive()
    }

    private func restartIdleTimer(context: ChannelHandlerContext) {
        guard let idleTimeout else { return }
        let now = context.eventLoop.now
        lastInput = now
        if idleTask == nil { scheduleIdleCheck(context: context, at: now + idleTimeout) }
    }

    private func scheduleIdleCheck(context: ChannelHandlerContext, at deadline: NIODeadline) {
        idleTask = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
            guard let self else { return }
            self.idleTask = nil
            if let idleTimeout = self.idleTimeout, let lastInput = self.lastInput,
                lastInput + idleTimeout > context.eventLoop.now
            {
                self.scheduleIdleCheck(context: context, at: lastInput + idleTimeout)
                return
            }
            context.fireChannelRead(NIOAny(InboundEvent.idle))
            context.fireChannelReadComplete()
        }
    }

    private func cancelTimers() {
        graceTask?.cancel()
        graceTask = nil
        deadlineTask?.cancel()
        deadlineTask = nil
        idleTask?.cancel()
        idleTask = nil
    }
}
