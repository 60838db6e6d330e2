public import NIOCore

/// What a transport hands the protocol: a complete line, or a reason the line could not be read.
public enum InboundEvent: Sendable, Equatable {
    /// One line, without its `\n` or a trailing `\r`.
    case line(ByteBuffer)
    /// A line longer than the limit; its bytes were discarded up to the next `\n`.
    case tooLong
    /// A line was started but not finished within the line deadline.
    case deadlineExceeded
    /// Nothing arrived within the idle timeout.
    case idle
    /// The grace period ended before the client authenticated (or, without a token, sent a line).
    case graceExpired
    /// The server is stopping: answer what is in flight, then end.
    case stopping
    /// The client closed its side (a TCP half-close): answer every line read before it, then end.
    case inputEnded
}

/// Sent down a connection's pipeline when the server stops; the framer turns it into `.stopping`.
struct ServerStopping: Sendable {}
