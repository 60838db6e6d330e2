import NIOCore
import Synchronization

/// The lines waiting to be written to one client, bounded in bytes.
///
/// Handlers hand their response here and move on. Over TCP each line goes straight to the channel, whose
/// event loop writes it (one hop, from whichever thread answered); for stdio, one writer task drains a
/// stream to the blocking writes. A client that stops reading fills the queue, and past the bound the
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

    /// A queue that writes to a channel; past the bound the channel is closed.
    init(channel: any Channel, maximumBytes: Int) {
        sink = .channel(channel)
        self.maximumBytes = maximumBytes
        self.onOverflow = { channel.close(promise: nil) }
    }

    /// Queues one line (already ending in `\n`); never waits.
    func send(_ line: ByteBuffer) {
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
        switch sink {
        case .stream(_, let continuation):
            continuation.yield(line)
        case .channel(let channel):
            channel.writeAndFlush(line).whenComplete { _ in
                self.pendingBytes.withLock { $0 -= size }
            }
        }
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
