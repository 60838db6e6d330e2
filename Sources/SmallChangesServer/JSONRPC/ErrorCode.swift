/// The error codes the server answers with: JSON-RPC's five and the documented implementation codes.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, Codable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The line is not JSON, or not UTF-8.
    public static let parseError = ErrorCode(rawValue: -32700)
    /// The JSON is not a request object: a batch, a missing `method`, a line over a limit.
    public static let invalidRequest = ErrorCode(rawValue: -32600)
    public static let methodNotFound = ErrorCode(rawValue: -32601)
    public static let invalidParams = ErrorCode(rawValue: -32602)
    public static let internalError = ErrorCode(rawValue: -32603)
    /// The connection has a token and has not sent `auth` with it yet.
    public static let unauthenticated = ErrorCode(rawValue: -32001)
    /// A request other than `initialize`, `ping` or `auth` before `initialize`.
    public static let notInitialized = ErrorCode(rawValue: -32002)
    /// A server limit was reached: connections, requests in flight, sessions in memory, field length.
    public static let limitExceeded = ErrorCode(rawValue: -32003)
    /// The session store could not read or write; nothing was acknowledged.
    public static let storageUnavailable = ErrorCode(rawValue: -32004)
    /// No session has this id.
    public static let unknownSession = ErrorCode(rawValue: -32010)
    /// Too many requests are already queued for this session.
    public static let sessionBusy = ErrorCode(rawValue: -32011)
    /// In a shared session: the question is for the partner, who is connected.
    public static let notYourTurn = ErrorCode(rawValue: -32012)
    /// `session/join`: no open invitation has this code (wrong, already used, or expired).
    public static let joinRefused = ErrorCode(rawValue: -32013)
    /// `session/answer` with a `promptId`: the session has moved on to another question meanwhile.
    public static let movedOn = ErrorCode(rawValue: -32014)
}
