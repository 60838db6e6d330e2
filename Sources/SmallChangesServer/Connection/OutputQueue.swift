import NIOCore
import Synchronization

/// The lines waiting to be written to one client, bounded in bytes.
///
/// Handlers hand their response here and move on. Over TCP each line goes straight to the channel, whose
/// event loop writes it; the bound is the channel's write-buffer high-water mark, and the protocol handler
/// closes a connection that crosses it (see `TCPServer`). For stdio, one writer task drains a stream to the
/// blocking writes, bounded here. A client that stops reading fills the queue, and past the bound the
/// connection is closed rather than the server's memory growing.
final class OutputQueue: Sendable {
    private enum Sink: Sendable {
        case stream(AsyncStream<ByteBuffer>, AsyncStream<ByteBuffer>.Continuation)
        case channel(any Channel)
    }

    private let sink: Sink
    private let pendingBytes = Mutex(0)
    private let maximumBytes: Int
    private let onOverflow: @Sendable () -> Void

    /// A queue drained by `drain(_:)`.
    init(maximumBytes: Int, onOverflow: @escaping @Sendable () -> Void) {
        let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        sink = .stream(stream, continuation)
        self.maximumBytes = maximumBytes
        self.onOverflow = onOverflow
    }

    /// A queue that writes to a channel, bounded by the channel's write-buffer water mark.
    init(channel: any Channel) {
        sink = .channel(channel)
        self.maximumBytes = .max
        self.onOverflow = {}
    }

    /// Queues one line (already ending in `\n`); never waits.
    func send(_ line: ByteBuffer) {
        if case .channel(let channel) = sink {
            channel.writeAndFlush(line, promise: nil)
            return
        }
        let size = line.readableBytes
        let overflow = pendingBytes.withLock { pending -> Bool in
            pending += size
            return pending > maximumBytes
        }
        if overflow {
            finish()
            onOverflow()
            return
        }
        if case .stream(_, let continuation) = sink { continuation.yield(line) }
    }

    /// No more lines will be sent; a drained queue's writer ends once the queued ones are written.
    func finish() {
        if case .stream(_, let continuation) = sink { continuation.finish() }
    }

    /// Writes queued lines in order until `finish()`; returns early if a write fails. A queue that writes
    /// to a channel has nothing to drain.
    func drain(_ write: (ByteBuffer) async throws -> Void) async {
        guard case .stream(let stream, let continuation) = sink else { return }
        do {
            for await line in stream {
                try await write(line)
                pendingBytes.withLock { $0 -= line.readableBytes }
            }
        } catch {
            continuation.finish()
        }
    }
}
