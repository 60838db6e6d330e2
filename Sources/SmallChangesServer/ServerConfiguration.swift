/// The server's limits and switches, each with a documented default, set in one place.
///
/// docs/PROTOCOL.md lists the same defaults; change both together.
public struct ServerConfiguration: Sendable {
    /// Longest request line in bytes, not counting `\n` or `\r\n`. Default 1 MiB.
    public var maximumLineLength: Int
    /// Longest line before `auth` on a connection that needs a token. Default 16 KiB.
    public var maximumUnauthenticatedLineLength: Int
    /// Deepest nesting of arrays and objects in a request. Default 64.
    public var maximumDepth: Int
    /// Longest answer text, query or participant name in bytes. Default 64 KiB.
    public var maximumTextLength: Int
    /// Open TCP connections that have authenticated (or, without a token, sent a line); one more is told so and
    /// closed. Default 256.
    public var maximumConnections: Int
    /// TCP connections still to authenticate (or, without a token, to send their first line), counted apart from
    /// `maximumConnections`, so silent or unauthenticated clients cannot take the room of the others; when they are
    /// all taken, the oldest is closed to let a new one in. Default 32. Without a token, the quota is at least
    /// `maximumConnections`, so a burst of new clients is not cut short.
    public var maximumPendingConnections: Int
    /// Requests being handled for one connection; past it, the server stops reading that connection. Default 32.
    public var maximumInFlightPerConnection: Int
    /// Requests queued for one session; past it, `session busy`. Default 8.
    public var maximumQueuedPerSession: Int
    /// Sessions held in memory; idle ones beyond it are dropped from memory (they stay in the store). Default 10,000.
    public var maximumLiveSessions: Int
    /// Bytes of responses waiting to be written to one TCP connection; past it the connection is closed. Default 8 MiB.
    public var maximumOutputBytes: Int
    /// Time from the first byte of a line to its `\n` on TCP. Default 30 s.
    public var lineDeadline: Duration
    /// Time without input before a TCP connection is closed. Default 15 min.
    public var idleTimeout: Duration
    /// Time a TCP connection that needs a token has to authenticate. Default 10 s.
    public var authenticationGrace: Duration
    /// Time a TCP connection without a token may stay silent before its first line: long enough for a person
    /// typing into `nc`, short beside the idle timeout. Default 60 s.
    public var silenceGrace: Duration
    /// How long the answer to a wrong token waits, so tokens cannot be tried quickly. Default 1 s.
    public var wrongTokenDelay: Duration
    /// Wrong tokens accepted per minute from one source address; past it, `auth` from there is refused unchecked
    /// until the minute has passed. Default 10.
    public var maximumWrongTokensPerMinute: Int
    /// How long a join code from `session/start {share: true}` stays valid. Default 10 min.
    public var joinCodeLifetime: Duration
    /// Wrong join codes one connection may send; later `session/join` requests on it are refused unchecked. Default 5.
    public var maximumWrongJoinCodesPerConnection: Int
    /// Wrong join codes accepted per minute from one source address; past it every `session/join` from there is
    /// refused unchecked until the minute has passed, so reconnecting does not buy more guesses, while clients
    /// elsewhere are not held up. Default 30.
    public var maximumWrongJoinCodesPerMinute: Int
    /// The token TCP clients must send with `auth` first; `nil` when none is required.
    public var token: String?

    public init(
        maximumLineLength: Int = 1 << 20,
        maximumUnauthenticatedLineLength: Int = 16 << 10,
        maximumDepth: Int = 64,
        maximumTextLength: Int = 64 << 10,
        maximumConnections: Int = 256,
        maximumInFlightPerConnection: Int = 32,
        maximumQueuedPerSession: Int = 8,
        maximumLiveSessions: Int = 10_000,
        maximumOutputBytes: Int = 8 << 20,
        lineDeadline: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(15 * 60),
        authenticationGrace: Duration = .seconds(10),
        joinCodeLifetime: Duration = .seconds(10 * 60),
        maximumWrongJoinCodesPerConnection: Int = 5,
        maximumWrongJoinCodesPerMinute: Int = 30,
        token: String? = nil,
        maximumPendingConnections: Int = 32,
        wrongTokenDelay: Duration = .seconds(1),
        maximumWrongTokensPerMinute: Int = 10,
        silenceGrace: Duration = .seconds(60)
    ) {
        self.maximumLineLength = maximumLineLength
        self.maximumUnauthenticatedLineLength = maximumUnauthenticatedLineLength
        self.maximumDepth = maximumDepth
        self.maximumTextLength = maximumTextLength
        self.maximumConnections = maximumConnections
        self.maximumInFlightPerConnection = maximumInFlightPerConnection
        self.maximumQueuedPerSession = maximumQueuedPerSession
        self.maximumLiveSessions = maximumLiveSessions
        self.maximumOutputBytes = maximumOutputBytes
        self.lineDeadline = lineDeadline
        self.idleTimeout = idleTimeout
        self.authenticationGrace = authenticationGrace
        self.joinCodeLifetime = joinCodeLifetime
        self.maximumWrongJoinCodesPerConnection = maximumWrongJoinCodesPerConnection
        self.maximumWrongJoinCodesPerMinute = maximumWrongJoinCodesPerMinute
        self.token = token
        self.maximumPendingConnections = maximumPendingConnections
        self.wrongTokenDelay = wrongTokenDelay
        self.maximumWrongTokensPerMinute = maximumWrongTokensPerMinute
        self.silenceGrace = silenceGrace
    }
}
