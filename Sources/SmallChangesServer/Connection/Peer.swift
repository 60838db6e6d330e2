public import NIOCore
import Synchronization

/// The connection a request came from, as far as the dispatcher needs it: somewhere to send
/// notifications, and the count of wrong join codes it has sent.
///
/// A request handled in-process (tests, `Dispatcher.handle`) has no peer, so it cannot share a session.
public final class Peer: Sendable {
    private let sendLine: @Sendable (ByteBuffer) -> Void
    private let wrongCodes = Mutex(0)
    /// Whether a partner can reach a session this connection shares: over TCP; on stdio nobody else can join.
    let canShare: Bool
    /// Where the connection comes from (its IP address), which limits such as wrong join codes count per.
    let source: String

    /// - Parameters:
    ///   - send: queues one line for the client; never waits.
    ///   - canShare: whether sessions it starts may be shared (a TCP connection, which partners can join).
    ///   - source: the client's address; connections without one (stdio) share the empty source.
    public init(send: @escaping @Sendable (ByteBuffer) -> Void, canShare: Bool, source: String = "") {
        self.sendLine = send
        self.canShare = canShare
        self.source = source
    }

    /// Queues a notification line for this client.
    func send(_ line: ByteBuffer) {
        sendLine(line)
    }

    /// Counts one wrong join code and returns how many this connection has sent.
    func countWrongCode() -> Int {
        wrongCodes.withLock { count in
            count += 1
            return count
        }
    }

    /// How many wrong join codes this connection has sent.
    var wrongCodeCount: Int { wrongCodes.withLock { $0 } }
}
