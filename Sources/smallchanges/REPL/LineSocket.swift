import Foundation
import NIOCore
import NIOPosix
import SmallChangesServer
import Synchronization

/// A TCP connection that sends and receives newline-delimited lines, for the REPL's blocking loop: NIO reads and
/// frames what arrives (with the server's `LineFramer`), and the REPL takes whole lines when it wants them.
///
/// `descriptor` is readable while a line waits to be taken or once the server has closed, so readline can wake for
/// a partner's turn. A line longer than `maximumLine` closes the connection rather than growing the buffer.
final class LineSocket: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let maximumLine = 16 << 20

    private let channel: any Channel
    private let inbox: Inbox

    /// A descriptor to watch for arrivals.
    var descriptor: Int32 { inbox.descriptor }

    /// Connects to the first address of `host` that accepts.
    init(host: String, port: Int) throws {
        let inbox = Inbox()
        self.inbox = inbox
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(LineClientHandler(inbox: inbox))
            }
        }
        do {
            channel = try bootstrap.connect(host: host, port: port).wait()
        } catch let error as NIOConnectionError where error.connectionErrors.isEmpty {
            throw Failure(description: "cannot find the server \(host)")
        } catch {
            let cause = (error as? NIOConnectionError)?.connectionErrors.last?.error ?? error
            let reason = (cause as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(cause)"
            throw Failure(
                description:
                    "cannot connect to \(host):\(port): \(reason). Is 'smallchanges serve --tcp' running there?")
        }
    }

    deinit { close() }

    /// Sends one line (a `\n` is added).
    func send(_ line: String) throws {
        var buffer = channel.allocator.buffer(capacity: line.utf8.count + 1)
        buffer.writeString(line)
        buffer.writeInteger(UInt8(ascii: "\n"))
        do {
            try channel.writeAndFlush(buffer).wait()
        } catch {
            throw Failure(description: "the server closed the connection")
        }
    }

    /// The next whole line, waiting for it when `wait`; `nil` when none has arrived (without `wait`).
    /// Throws when the server has closed the connection.
    func receive(wait: Bool) throws -> String? {
        try inbox.take(wait: wait)
    }

    func close() {
        channel.close(promise: nil)
    }
}

/// The lines that have arrived and not been taken, and a pipe that holds one byte for each of them and one for the
/// end of the connection.
private final class Inbox: Sendable {
    private let state = Mutex<(lines: [String], closed: Bool)>(([], false))
    private let pipe = Pipe()

    var descriptor: Int32 { pipe.fileHandleForReading.fileDescriptor }

    func arrive(_ line: String) {
        state.withLock { $0.lines.append(line) }
        signal()
    }

    func end() {
        let first = state.withLock { state in
            defer { state.closed = true }
            return !state.closed
        }
        if first { signal() }
    }

    func take(wait: Bool) throws -> String? {
        let (waiting, closed) = state.withLock { ($0.lines.isEmpty, $0.closed) }
        if waiting && closed { throw LineSocket.Failure(description: "the server closed the connection") }
        if waiting && !wait { return nil }
        // Blocks until the byte of a line, or of the end, is there.
        _ = try? pipe.fileHandleForReading.read(upToCount: 1)
        guard let line = state.withLock({ $0.lines.isEmpty ? nil : $0.lines.removeFirst() }) else {
            // The end's byte stays, so the descriptor stays readable.
            signal()
            throw LineSocket.Failure(description: "the server closed the connection")
        }
        return line
    }

    private func signal() {
        try? pipe.fileHandleForWriting.write(contentsOf: [1])
    }
}

/// Frames a connection's input into lines for its `Inbox`.
private final class LineClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var framer = LineFramer(maximumLength: LineSocket.maximumLine)
    private let inbox: Inbox

    init(inbox: Inbox) {
        self.inbox = inbox
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        for event in framer.append(unwrapInboundIn(data)) {
            guard case .line(let line) = event else {
                context.close(promise: nil)
                return
            }
            inbox.arrive(String(buffer: line))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        inbox.end()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
