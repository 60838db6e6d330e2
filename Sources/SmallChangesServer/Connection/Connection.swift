import Foundation
import Logging
import NIOCore
import Synchronization

/// One client's side of the protocol, over any line transport: the lifecycle, authentication, the
/// limits that apply per line, and handing requests to the dispatcher without waiting for them.
///
/// The read loop only parses and routes; every request that reaches the domain runs elsewhere and
/// answers through the output queue, so a slow request never stops the next line being read.
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
    private let encoder = ResponseEncoder()

    init(dispatcher: Dispatcher, configuration: ServerConfiguration, face: Face, logger: Logger) {
        self.dispatcher = dispatcher
        self.configuration = configuration
        self.face = face
        self.logger = logger
        self.status = Status(authenticated: face == .stdio || configuration.token == nil)
    }

    /// Serves lines until the input ends, the client sends `exit`, or a rule closes the connection;
    /// returns only once every request taken has been answered.
    func run<Events: AsyncSequence>(events: Events, output: OutputQueue) async -> Ending
    where Events.Element == InboundEvent {
        let inFlight = InFlightLimit(maximum: configuration.maximumInFlightPerConnection)
        let parser = MessageParser(maximumDepth: configuration.maximumDepth)
        var lifecycle = Lifecycle()
        var ending = Ending.endOfInput
        var lineNumber = 0
        let peer = Peer(send: output.send)
        do {
            loop: for try await event in events {
                switch event {
                case .tooLong:
                    output.send(
                        encoder.failure(
                            id: .null,
                            error: ErrorObject(
                                .invalidRequest,
                                "invalid request: line longer than \(configuration.maximumLineLength) bytes",
                                data: ["limit": "maxLineBytes"])))
                    logger.notice(
                        "line over the length limit", metadata: ["limit": "\(configuration.maximumLineLength)"])
                    if face == .tcp {
                        ending = .closed("line too long")
                        break loop
                    }
                case .deadlineExceeded:
                    output.send(
                        encoder.failure(
                            id: .null,
                            error: ErrorObject(
                                .invalidRequest, "invalid request: line not finished within the line deadline",
                                data: ["limit": "lineDeadline"])))
                    ending = .closed("line deadline")
                    break loop
                case .idle:
                    ending = .closed("idle timeout")
                    break loop
                case .stopping:
                    break loop
                case .line(let line):
                    lineNumber += 1
                    if face == .tcp && HTTPDetector.looksLikeHTTP(line) {
                        ending = .closed("HTTP request on the protocol port")
                        break loop
                    }
                    if !status.authenticated && line.readableBytes > configuration.maximumUnauthenticatedLineLength {
                        output.send(
                            encoder.failure(
                                id: .null,
                                error: ErrorObject(.unauthenticated, "unauthenticated: send auth with the token first"))
                        )
                        ending = .closed("long line before auth")
                        break loop
                    }
                    switch parser.parse(Data(line.readableBytesView)) {
                    case .ignored:
                        continue
                    case .invalid(let id, let error):
                        output.send(encoder.failure(id: id, error: error))
                    case .request(let request):
                        if let end = await handle(
                            request, lifecycle: &lifecycle, inFlight: inFlight, output: output, peer: peer)
                        {
                            ending = end
                            break loop
                        }
                    }
                }
            }
        } catch {
            logger.debug("input ended with an error", metadata: ["error": "\(type(of: error))"])
        }
        await inFlight.drained()
        dispatcher.disconnected(peer)
        return ending
    }

    private struct Lifecycle {
        var initialized = false
        var shuttingDown = false
    }

    /// Handles the lifecycle methods in place and hands the rest to the dispatcher; returns an
    /// ending when the request ends the connection.
    private func handle(
        _ request: Request, lifecycle: inout Lifecycle, inFlight: InFlightLimit, output: OutputQueue, peer: Peer
    ) async -> Ending? {
        func reply(_ result: some Encodable) {
            if let id = request.id { output.send(encoder.success(id: id, result: result)) }
        }
        func fail(_ error: ErrorObject) {
            if let id = request.id { output.send(encoder.failure(id: id, error: error)) }
        }

        if !status.authenticated {
            guard request.method == Auth.name else {
                fail(ErrorObject(.unauthenticated, "unauthenticated: send auth with the token first"))
                return nil
            }
            let token = (try? request.decodeParams(Auth.Params.self))?.token ?? ""
            if let expected = configuration.token, TokenCheck.matches(token, expected) {
                status.authenticated = true
                reply(Auth.Result(authenticated: true))
                return nil
            }
            logger.notice("authentication failed")
            fail(ErrorObject(.unauthenticated, "unauthenticated: wrong token"))
            return .closed("wrong token")
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
            break
        case Ping.name:
            reply(Ping.Result())
        case Shutdown.name:
            lifecycle.shuttingDown = true
            reply(Shutdown.Result())
        case Exit.name:
            return .exit(clean: lifecycle.shuttingDown)
        default:
            if lifecycle.shuttingDown {
                fail(ErrorObject(.invalidRequest, "invalid request: the server is shutting down"))
            } else if !lifecycle.initialized {
                fail(ErrorObject(.notInitialized, "not initialized: send initialize first"))
            } else {
                await inFlight.acquire()
                dispatcher.submit(request, from: peer) { line in
                    if let line { output.send(line) }
                    inFlight.release()
                }
            }
        }
        return nil
    }
}
