/// A request the server refuses for a reason of its own (not the store's): what went wrong, in the
/// client's terms, never quoting what the client wrote.
///
/// The cases live in a private enum so new ones can be added without breaking callers.
public struct ServerError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Kind: Equatable, Sendable {
        case unknownFlow
        case unknownCommand
        case tooLong(field: String, limit: Int)
        case sessionBusy(limit: Int)
        case flowNotLoaded(String)
        case outOfRange(field: String, range: String)
        case notYourTurn(String)
        case notSeated
        case joinRefused
        case tooManyWrongCodes(limit: String)
        case needsConnection
    }

    private let kind: Kind
    private init(_ kind: Kind) { self.kind = kind }

    /// `session/start` named a flow the server does not have.
    public static let unknownFlow = ServerError(.unknownFlow)
    /// `session/command` named a command that does not exist.
    public static let unknownCommand = ServerError(.unknownCommand)
    /// A text field is longer than the limit.
    public static func tooLong(field: String, limit: Int) -> ServerError {
        ServerError(.tooLong(field: field, limit: limit))
    }
    /// The session already has `limit` requests queued.
    public static func sessionBusy(limit: Int) -> ServerError { ServerError(.sessionBusy(limit: limit)) }
    /// A stored session runs a flow this server did not load.
    public static func flowNotLoaded(_ flow: String) -> ServerError { ServerError(.flowNotLoaded(flow)) }
    /// A number is outside what the field allows.
    public static func outOfRange(field: String, range: String) -> ServerError {
        ServerError(.outOfRange(field: field, range: range))
    }

    /// In a shared session: the question is for `partner`, who is connected.
    public static func notYourTurn(_ partner: String) -> ServerError { ServerError(.notYourTurn(partner)) }
    /// In a shared session with someone seated: a connection that has not joined may not change it.
    public static let notSeated = ServerError(.notSeated)
    /// No open invitation has the join code: wrong, already used, or expired (one error, so a guesser learns nothing).
    public static let joinRefused = ServerError(.joinRefused)
    /// Too many wrong join codes, on this connection or on the whole server.
    public static func tooManyWrongCodes(limit: String) -> ServerError { ServerError(.tooManyWrongCodes(limit: limit)) }
    /// Sharing needs a connection to send notifications to; a request handled in-process has none.
    public static let needsConnection = ServerError(.needsConnection)

    /// The protocol error this becomes.
    var errorObject: ErrorObject {
        switch kind {
        case .unknownFlow:
            ErrorObject(.invalidParams, "params.flow: no flow has this id; flows/list names them")
        case .unknownCommand:
            ErrorObject(.invalidParams, "params.name: unknown command; use back, skip, done or who")
        case .tooLong(let field, let limit):
            ErrorObject(
                .limitExceeded, "limit exceeded: params.\(field) is longer than \(limit) bytes",
                data: ["limit": "maxTextBytes"])
        case .sessionBusy(let limit):
            ErrorObject(.sessionBusy, "session busy: \(limit) requests are already queued for this session; retry")
        case .flowNotLoaded(let flow):
            ErrorObject(.internalError, "internal error: the session's flow \(flow) is not loaded on this server")
        case .outOfRange(let field, let range):
            ErrorObject(.invalidParams, "params.\(field): must be \(range)")
        case .notYourTurn(let partner):
            ErrorObject(
                .notYourTurn, "not your turn: this question is for \(partner); wait for their answer, or send who first"
            )
        case .notSeated:
            ErrorObject(
                .notYourTurn,
                "not your turn: this session is shared and its partners are connected; join it with a code")
        case .joinRefused:
            ErrorObject(
                .joinRefused, "join refused: no open invitation has this code (codes are single-use and expire)")
        case .tooManyWrongCodes(let limit):
            ErrorObject(
                .limitExceeded, "limit exceeded: too many wrong join codes; try again later",
                data: ["limit": limit])
        case .needsConnection:
            ErrorObject(
                .invalidRequest,
                "invalid request: sharing a session needs a TCP connection (serve --tcp), which a partner can join")
        }
    }

    public var description: String { errorObject.message }
}
