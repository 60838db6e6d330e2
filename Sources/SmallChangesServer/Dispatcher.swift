public import Foundation
public import Logging
public import NIOCore
public import NIOPosix
public import SmallChangesCore
public import SmallChangesStore

/// The one seam between JSON-RPC and the domain: it decodes each method's params, runs the
/// conversation engine and the store, and turns every failure into a protocol error in one place.
///
/// Requests for one session run one at a time in the order `submit` was called; everything else
/// runs in parallel. Every turn is committed to the store before its reply is sent.
///
/// A class, though immutable: every request's closures capture it, and a struct would copy (and
/// count a reference to) each of its parts each time, on objects every event loop shares.
public final class Dispatcher: Sendable {
    /// The protocol version `initialize` reports: the date this protocol was last changed.
    public static let protocolVersion = "2026-11-22"

    /// Every method the server answers, lifecycle included.
    public static let methods: [String] = RPCMethods.all.map(\.name)

    let guide: Guide
    let store: any SessionStore
    let storeThreads: NIOThreadPool?
    let registry: SessionRegistry
    let sharing: SharedSessions
    let configuration: ServerConfiguration
    let logger: Logger
    let now: @Sendable () -> Date
    private let encoder = ResponseEncoder()

    /// - Parameters:
    ///   - storeThreads: threads for the requests that use the store, so a blocking commit (SQLite's fsync)
    ///     never holds an event loop; `nil` runs them where the request arrived (for an in-memory store).
    ///   - now: the clock turns are stamped with; injected so tests are repeatable.
    public init(
        guide: Guide, store: any SessionStore, configuration: ServerConfiguration = ServerConfiguration(),
        logger: Logger, storeThreads: NIOThreadPool? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.guide = guide
        self.store = store
        self.storeThreads = storeThreads
        self.registry = SessionRegistry(
            maximumQueuedPerSession: configuration.maximumQueuedPerSession,
            maximumLiveSessions: configuration.maximumLiveSessions)
        // A store that several instances share keeps join codes and seats where all of them see them.
        let pairing =
            store as? any PairingStore ?? InMemoryPairingStore(maximumInvitations: configuration.maximumLiveSessions)
        self.sharing = SharedSessions(configuration: configuration, pairing: pairing)
        self.configuration = configuration
        self.logger = logger
        self.now = now
        if let feed = store as? any SessionChangeFeed {
            feed.watch { [weak self] change in self?.changed(change) }
        }
    }

    /// How many sessions are held in memory.
    public var liveSessions: Int { registry.count }

    /// Starts handling a request and returns at once; `respond` is called exactly once, with the
    /// response line, or `nil` for a notification.
    public func submit(_ request: Request, respond: @escaping @Sendable (ByteBuffer?) -> Void) {
        submit(request, from: nil, respond: respond)
    }

    /// Starts handling a request from a connection, which can then share sessions and receive their
    /// notifications through `peer`.
    ///
    /// - Parameter loop: the connection's event loop, where its requests run unless they use the store and the
    ///   store has threads of its own; `nil` (in-process, stdio) runs them on Dispatch's shared threads.
    public func submit(
        _ request: Request, from peer: Peer?, on loop: (any EventLoop)? = nil,
        respond: @escaping @Sendable (ByteBuffer?) -> Void
    ) {
        submit(request, from: peer, running: loop.map(Runner.loop) ?? .shared, respond: respond)
    }

    /// Starts handling a request whose work needing only memory runs with `here`.
    package func submit(
        _ request: Request, from peer: Peer?, running here: Runner, respond: @escaping @Sendable (ByteBuffer?) -> Void
    ) {
        let respond = Responder(compute: here, storage: storeThreads.map(Runner.threads) ?? here, respond: respond)
        switch request.method {
        case FlowsList.name: anywhere(FlowsList.self, request, respond) { _ in self.listFlows() }
        case Route.name: anywhere(Route.self, request, respond) { try self.route($0) }
        case CorpusSearch.name: anywhere(CorpusSearch.self, request, respond) { try self.search($0) }
        case SessionList.name:
            anywhere(SessionList.self, request, respond, usesStore: true) { _ in try self.listSessions() }
        case SessionStart.name: start(request, from: peer, respond)
        case SessionJoin.name: join(request, from: peer, respond)
        case SessionShare.name: inSession(SessionShare.self, request, respond) { try self.share($0, from: peer) }
        case SessionAnswer.name: inSession(SessionAnswer.self, request, respond) { try self.answer($0, from: peer) }
        case SessionCommand.name:
            inSession(SessionCommand.self, request, respond) { try self.command($0, from: peer) }
        case SessionGet.name: inSession(SessionGet.self, request, respond) { try self.get($0) }
        case SessionResume.name: inSession(SessionResume.self, request, respond) { try self.resume($0) }
        case SessionClose.name: inSession(SessionClose.self, request, respond) { try self.close($0) }
        case PlanGet.name: inSession(PlanGet.self, request, respond) { try self.plan($0) }
        case PlanCheck.name: inSession(PlanCheck.self, request, respond) { try self.check($0) }
        case PlanExport.name: inSession(PlanExport.self, request, respond) { try self.export($0) }
        case PlanLog.name: inSession(PlanLog.self, request, respond) { try self.log($0, from: peer) }
        default:
            respond(request.id.map { encoder.failure(id: $0, error: ErrorObject(.methodNotFound, "method not found")) })
        }
    }

    /// Handles one request and waits for its response line: for tests and in-process callers.
    public func handle(_ request: Request) async -> ByteBuffer? {
        await handle(request, running: .shared)
    }

    /// Handles one request with its in-memory work on the caller's thread, at once, as the TCP server runs a request
    /// on the event loop that read it: for measuring the protocol path without a thread hop (the Benchmarks
    /// package's `bench-turns`). Not for serving: the caller waits.
    public func handleInline(_ request: Request) async -> ByteBuffer? {
        await handle(request, running: .inline)
    }

    /// Handles one request with `here` for its work (see `submit(_:from:running:respond:)`).
    package func handle(_ request: Request, running here: Runner) async -> ByteBuffer? {
        await withCheckedContinuation { continuation in
            submit(request, from: nil, running: here) { continuation.resume(returning: $0) }
        }
    }

    /// The result of `initialize`.
    func initialize(_ params: Initialize.Params) -> Initialize.Result {
        Initialize.Result(
            protocolVersion: Self.protocolVersion,
            serverInfo: .init(name: "smallchanges", version: "0.1.0"),
            capabilities: .init(
                flows: guide.flows.map(\.id), exports: PlanExport.Format.allCases.map(\.rawValue),
                methods: Self.methods))
    }

    /// The one function that maps domain, store and decoding errors to protocol errors.
    ///
    /// Messages say what went wrong in the client's terms and never quote session text.
    public static func protocolError(for error: any Error) -> ErrorObject {
        switch error {
        case let error as ErrorObject:
            return error
        case let error as ServerError:
            return error.errorObject
        case is SessionHandle.MovedOn:
            return ErrorObject(
                .movedOn,
                "moved on: the session is no longer at the question this answers (promptId); the answer was not taken, session/get says where it is"
            )
        case let error as SessionHandle.MissingFlow:
            return ServerError.flowNotLoaded(error.flow).errorObject
        case let error as StoreError:
            switch error.code {
            case .unknownSession:
                return ErrorObject(.unknownSession, "unknown session: no session has this id")
            case .malformedID:
                return ErrorObject(.invalidParams, "params.sessionId: not a session id")
            case .ambiguousID:
                return ErrorObject(.invalidParams, "params.sessionId: matches several sessions; send the whole id")
            case .newerSchema:
                return ErrorObject(
                    .storageUnavailable,
                    "storage unavailable: the data folder was written by a newer SmallChanges; upgrade this program")
            case .busy:
                return ErrorObject(.storageUnavailable, "storage busy: another program is writing; retry shortly")
            case .moved:
                return ErrorObject(
                    .storageUnavailable, "storage busy: another program keeps changing this session; retry shortly")
            case .diskFull:
                return ErrorObject(
                    .storageUnavailable, "storage unavailable: the disk is full; nothing was saved, retry later",
                    data: ["reason": "diskFull"])
            default:
                return ErrorObject(
                    .storageUnavailable, "storage unavailable (\(error.code)); nothing was saved, retry later")
            }
        case let error as DecodingError:
            return ErrorObject(.invalidParams, Request.describe(error))
        default:
            return ErrorObject(.internalError, "internal error")
        }
    }

    // MARK: Running requests

    /// Where a request's work runs and where its response line goes: called exactly once.
    struct Responder: Sendable {
        /// For work that needs only memory: the matcher, the guide.
        let compute: Runner
        /// For work that may use the store: a session's requests (it may have to be loaded), listings.
        let storage: Runner
        let respond: @Sendable (ByteBuffer?) -> Void

        func callAsFunction(_ line: ByteBuffer?) {
            respond(line)
        }
    }

    private func anywhere<M: RPCMethod>(
        _: M.Type, _ request: Request, _ respond: Responder, usesStore: Bool = false,
        _ body: @escaping @Sendable (M.Params) throws -> M.Result
    ) {
        guard let params = params(M.self, of: request, respond) else { return }
        (usesStore ? respond.storage : respond.compute).run { respond(self.outcome(request, params, body)) }
    }

    /// The request's params as the method reads them; `nil` once the client has been told what was wrong.
    private func params<M: RPCMethod>(_: M.Type, of request: Request, _ respond: Responder) -> M.Params? {
        do {
            return try M.params(of: request)
        } catch {
            respond(request.id.map { encoder.failure(id: $0, error: error) })
            return nil
        }
    }

    private func inSession<M: RPCMethod>(
        _: M.Type, _ request: Request, _ respond: Responder, _ body: @escaping @Sendable (M.Params) throws -> M.Result
    ) where M.Params: SessionParams {
        guard let params = params(M.self, of: request, respond) else { return }
        let queued = registry.enqueue(params.sessionId, on: respond.storage) {
            respond(self.outcome(request, params, body))
        }
        if !queued {
            let error = ServerError.sessionBusy(limit: configuration.maximumQueuedPerSession).errorObject
            respond(request.id.map { encoder.failure(id: $0, error: error) })
        }
    }

    private func start(
        _ request: Request, from peer: Peer?, _ respond: Responder
    ) {
        let params: SessionStart.Params
        do {
            params = try SessionStart.params(of: request)
        } catch {
            respond(request.id.map { encoder.failure(id: $0, error: error) })
            return
        }
        let id = SessionID.mint()
        let queued = registry.enqueue(id, on: respond.storage) {
            respond(self.outcome(request, params) { try self.start($0, id: id, from: peer) })
        }
        if !queued {
            respond(request.id.map { encoder.failure(id: $0, error: ErrorObject(.internalError, "internal error")) })
        }
    }

    /// `session/join`: the code is claimed first (it names the session; the claim may go to the database, so it
    /// runs on the store's threads), then the seat is taken as one of that session's jobs, so the joiner sees the
    /// state after every turn queued before it.
    private func join(_ request: Request, from peer: Peer?, _ respond: Responder) {
        let params: SessionJoin.Params
        do {
            params = try request.decodeParams(SessionJoin.Params.self)
        } catch {
            respond(request.id.map { encoder.failure(id: $0, error: Self.protocolError(for: error)) })
            return
        }
        respond.storage.run {
            do {
                guard let peer else { throw ServerError.needsConnection }
                try self.checkLength(params.code, field: "code")
                try self.checkLength(params.name, field: "name")
                let invitation = try self.sharing.redeem(params.code, name: params.name, by: peer, now: self.now())
                let queued = self.registry.enqueue(invitation.sessionId, on: respond.storage) {
                    respond(self.outcome(request, invitation) { try self.join($0, peer: peer) })
                }
                if !queued { throw ServerError.sessionBusy(limit: self.configuration.maximumQueuedPerSession) }
            } catch {
                respond(request.id.map { self.encoder.failure(id: $0, error: Self.protocolError(for: error)) })
            }
        }
    }

    private func outcome<Params, Result: Codable & Sendable>(
        _ request: Request, _ params: Params, _ body: (Params) throws -> Result
    ) -> ByteBuffer? {
        do {
            let result = try body(params)
            return request.id.map { encoder.success(id: $0, result: result) }
        } catch {
            let protocolError = Self.protocolError(for: error)
            if protocolError.code == ErrorCode.internalError.rawValue
                || protocolError.code == ErrorCode.storageUnavailable.rawValue
            {
                logger.error(
                    "request failed",
                    metadata: [
                        "method": "\(request.method)", "code": "\(protocolError.code)",
                        "error": "\(type(of: error))",
                    ])
            }
            return request.id.map { encoder.failure(id: $0, error: protocolError) }
        }
    }

    /// Refuses a text field over the limit, before it reaches the engine.
    func checkLength(_ text: String?, field: String) throws(ServerError) {
        guard let text, text.utf8.count > configuration.maximumTextLength else { return }
        throw ServerError.tooLong(field: field, limit: configuration.maximumTextLength)
    }
}
