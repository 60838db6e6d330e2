import Foundation
import Logging
import NIOCore
import Synchronization

/// One client's side of the protocol, over any line transport: the lifecycle, authentication, the
/// limits that apply per line, and handing requests to the dispatcher without waiting for them.
///
/// The reading side only parses and routes; every request that reaches the domain runs elsewhere and
/// answers through the output queue, so a slow request never stops the next line being read. `receive`
/// is synchronous, so a transport can call it from an event loop (TCP) or from an async loop (`run`).
struct Connection: Sendable {
    /// Which face the client talks to; some rules differ (an over-long line closes a TCP connection,
    /// an HTTP request can only arrive over TCP).
    enum Face: Sendable { case stdio, tcp }

    /// How the connection ended.
    enum Ending: Sendable, Equatable {
        /// The input ended (or the server is stopping) and everything in flight was answered.
        case endOfInput
        /// The client sent `exit`; `clean` when `shutdown` came first.
        case exit(clean: Bool)
        /// A rule closed the connection.
        case closed(String)
    }

    /// State other tasks read: the TCP server's authentication timer.
    final class Status: Sendable {
        private let authenticatedFlag: Mutex<Bool>
        init(authenticated: Bool) { authenticatedFlag = Mutex(authenticated) }
        var authenticated: Bool {
            get { authenticatedFlag.withLock { $0 } }
            set { authenticatedFlag.withLock { $0 = newValue } }
        }
    }

    let dispatcher: Dispatcher
    let configuration: ServerConfiguration
    let face: Face
    let logger: Logger
    let status: Status
    /// The client's address, and the server's count of wrong tokens by address (TCP with a token).
    private let source: String
    private let wrongTokens: WrongTokens?
    private let encoder = ResponseEncoder()
    private let parser: MessageParser

    init(
        dispatcher: Dispatcher, configuration: ServerConfiguration, face: Face, logger: Logger, source: String = "",
        wrongTokens: WrongTokens? = nil
    ) {
        self.dispatcher = dispatcher
        self.configuration = configuration
        self.face = face
        self.logger = logger
        self.source = source
        self.wrongTokens = wrongTokens
        self.status = Status(authenticated: face == .stdio || configuration.token == nil)
        self.parser = MessageParser(maximumDepth: configuration.maximumDepth)
    }

    /// What one inbound event asks of the transport.
    enum Step {
        /// Nothing more: the event was answered here, or needs no answer.
        case handled
        /// A request for the dispatcher: submit it with `dispatch` once a slot of the in-flight limit is free.
        case dispatch(Request)
        /// The connection ends: stop reading, answer what is in flight, then close.
        case end(Ending)
        /// The connection ends, as `end`, but `line` is sent only after a delay: the answer to a wrong token.
        case endAfterDelay(ByteBuffer?, Ending)
    }

    /// The lifecycle so far: initialize, shutdown.
    struct Lifecycle {
        var initialized = false
        var shuttingDown = false
    }

    /// Reads one inbound event: the limits that apply per line, the lifecycle and authentication are
    /// answered here, at once and in order; a request for the domain is returned for `dispatch`.
    func receive(_ event: InboundEvent, lifecycle: inout Lifecycle, output: some LineOutput) -> Step {
        switch event {
        case .tooLong where !status.authenticated:
            output.send(
                encoder.failure(
                    id: .null, error: ErrorObject(.unauthenticated, "unauthenticated: send auth with the token first")))
            return .end(.closed("long line before auth"))
        case .tooLong:
            output.send(
                encoder.failure(
                    id: .null,
                    error: ErrorObject(
                        .invalidRequest, "invalid request: line longer than \(configuration.maximumLineLength) bytes",
                        data: ["limit": "maxLineBytes"])))
            logger.notice("line over the length limit", metadata: ["limit": "\(configuration.maximumLineLength)"])
            return face == .tcp ? .end(.closed("line too long")) : .handled
        case .deadlineExceeded:
            output.send(
                encoder.failure(
                    id: .null,
                    error: ErrorObject(
                        .invalidRequest, "invalid request: line not finished within the line deadline",
                        data: ["limit": "lineDeadline"])))
            return .end(.closed("line deadline"))
        case .idle:
            return .end(.closed("idle timeout"))
        case .graceExpired:
            return .end(.closed("no auth within the grace period"))
        case .stopping, .inputEnded:
            return .end(.endOfInput)
        case .line(let line):
            if face == .tcp && HTTPDetector.looksLikeHTTP(line) {
                return .end(.closed("HTTP request on the protocol port"))
            }
            if !status.authenticated && line.readableBytes > configuration.maximumUnauthenticatedLineLength {
                output.send(
                    encoder.failure(
                        id: .null,
                        error: ErrorObject(.unauthenticated, "unauthenticated: send auth with the token first")))
                return .end(.closed("long line before auth"))
            }
            switch parser.parse(Data(line.readableBytesView)) {
            case .ignored:
                return .handled
            case .invalid(let id, let error):
                output.send(encoder.failure(id: id, error: error))
                return .handled
            case .request(let request):
                return handle(request, lifecycle: &lifecycle, output: output)
            }
        }
    }

    /// Hands a request to the dispatcher; `finished` runs once its response (if any) has been queued.
    ///
    /// - Parameter loop: a TCP connection's event loop, where its requests run (see `Dispatcher.submit`), or
    ///   `nil` for stdio.
    func dispatch(
        _ request: Request, output: some LineOutput, peer: Peer, on loop: (any EventLoop)? = nil,
        finished: @escaping @Sendable () -> Void
    ) {
        dispatcher.submit(request, from: peer, on: loop) { line in
            if let line { output.send(line) }
            finished()
        }
    }

    /// Serves events until the input ends, the client sends `exit`, or a rule closes the connection;
    /// returns only once every request taken has been answered.
    func run<Events: AsyncSequence>(events: Events, output: some LineOutput) async -> Ending
    where Events.Element == InboundEvent {
        var iterator = events.makeAsyncIterator()
        return await serve(&iterator, output: output)
    }

    /// The one loop every connection runs, over stdio or TCP: read an event, answer it or hand it to the
    /// dispatcher, in order. At most `maximumInFlightPerConnection` requests run at once: past that the next event
    /// is not read, so the transport stops reading its input (the back-pressure of NIO's async channel) and a
    /// client cannot queue work without bound.
    ///
    /// - Parameters:
    ///   - loop: a TCP connection's event loop, where its requests run (see `Dispatcher.submit`).
    ///   - promote: moves the connection from the quota of those still to authenticate (or, without a token, to
    ///     send a line) to a full slot; false when those are all taken, and the connection is refused.
    func serve<Events: AsyncIteratorProtocol>(
        _ events: inout Events, output: some LineOutput, source: String = "", loop: (any EventLoop)? = nil,
        promote: @escaping @Sendable () -> Bool = { true }
    ) async -> Ending where Events.Element == InboundEvent {
        let inFlight = InFlightLimit(maximum: configuration.maximumInFlightPerConnection)
        var lifecycle = Lifecycle()
        var ending = Ending.endOfInput
        var promoted = false
        let peer = Peer(send: output.send, canShare: face == .tcp, source: source)
        do {
            loop: while let event = try await events.next() {
                if !promoted, configuration.token == nil, case .line = event {
                    promoted = true
                    guard takeFullSlot(promote, output: output) else {
                        ending = .closed("too many connections")
                        break loop
                    }
                }
                let step = receive(event, lifecycle: &lifecycle, output: output)
                if !promoted, status.authenticated, configuration.token != nil {
                    promoted = true
                    guard takeFullSlot(promote, output: output) else {
                        ending = .closed("too many connections")
                        break loop
                    }
                }
                switch step {
                case .handled:
                    continue
                case .dispatch(let request):
                    await inFlight.acquire()
                    dispatch(request, output: output, peer: peer, on: loop) { inFlight.release() }
                case .end(let end):
                    ending = end
                    break loop
                case .endAfterDelay(let line, let end):
                    try? await Task.sleep(for: configuration.wrongTokenDelay)
                    if let line { output.send(line) }
                    ending = end
                    break loop
                }
            }
        } catch {
            logger.debug("input ended with an error", metadata: ["error": "\(type(of: error))"])
        }
        await inFlight.drained()
        dispatcher.disconnected(peer)
        return ending
    }

    /// Takes a full slot for the connection; when none is free, the client is told so.
    private func takeFullSlot(_ promote: () -> Bool, output: some LineOutput) -> Bool {
        if promote() { return true }
        logger.notice(
            "connection refused: too many connections", metadata: ["limit": "\(configuration.maximumConnections)"])
        output.send(
            encoder.failure(
                id: .null,
                error: ErrorObject(
                    .limitExceeded, "limit exceeded: too many connections", data: ["limit": "maxConnections"])))
        return false
    }

    /// Answers the lifecycle methods in place and returns the rest for the dispatcher.
    private func handle(_ request: Request, lifecycle: inout Lifecycle, output: some LineOutput) -> Step {
        func reply(_ result: some Codable & Sendable) {
            if let id = request.id { output.send(encoder.success(id: id, result: result)) }
        }
        func fail(_ error: ErrorObject) {
            if let id = request.id { output.send(encoder.failure(id: id, error: error)) }
        }

        if !status.authenticated {
            guard request.method == Auth.name else {
                fail(ErrorObject(.unauthenticated, "unauthenticated: send auth with the token first"))
                return .handled
            }
            guard wrongTokens?.allows(source) ?? true else {
                logger.notice("authentication refused: too many wrong tokens from one address")
                let refusal = request.id.map {
                    encoder.failure(
                        id: $0,
                        error: ErrorObject(
                            .unauthenticated, "unauthenticated: too many wrong tokens from this address; wait a minute",
                            data: ["limit": "wrongTokensPerMinute"]))
                }
                return .endAfterDelay(refusal, .closed("too many wrong tokens"))
            }
            let token = (try? request.decodeParams(Auth.Params.self))?.token ?? ""
            if let expected = configuration.token, TokenCheck.matches(token, expected) {
                status.authenticated = true
                reply(Auth.Result(authenticated: true))
                return .handled
            }
            logger.notice("authentication failed")
            wrongTokens?.count(source)
            let refusal = request.id.map {
                encoder.failure(id: $0, error: ErrorObject(.unauthenticated, "unauthenticated: wrong token"))
            }
            return .endAfterDelay(refusal, .closed("wrong token"))
        }

        // After `shutdown` only `exit` is served (notifications are still ignored), as in LSP.
        if lifecycle.shuttingDown && request.method != Exit.name {
            fail(ErrorObject(.invalidRequest, "invalid request: the server is shutting down; send exit"))
            return .handled
        }
        switch request.method {
        case Auth.name:
            reply(Auth.Result(authenticated: true))
        case Initialize.name:
            do {
                let params = try request.decodeParams(Initialize.Params.self)
                lifecycle.initialized = true
                reply(dispatcher.initialize(params))
            } catch {
                fail(error)
            }
        case Initialized.name:
            // A notification, normally; sent with an id it is a request, and every request is answered.
            reply(Initialized.Result())
        case Ping.name:
            reply(Ping.Result())
        case Shutdown.name:
            // Before `initialize` there is nothing to shut down; accepting it would leave the connection unusable.
            guard lifecycle.initialized else {
                fail(ErrorObject(.notInitialized, "not initialized: send initialize first"))
                return .handled
            }
            lifecycle.shuttingDown = true
            reply(Shutdown.Result())
        case Exit.name:
            return .end(.exit(clean: lifecycle.shuttingDown))
        default:
            if !lifecycle.initialized {
                fail(ErrorObject(.notInitialized, "not initialized: send initialize first"))
            } else {
                return .dispatch(request)
            }
        }
        return .handled
    }
}
