import NIOCore
import Synchronization

/// The lines waiting to be written to one client, bounded in bytes.
///
/// Handlers hand their response here and move on; one writer task drains it to the transport. A
/// client that stops reading fills it, and past the bound the connection is closed rather than the
/// server's memory growing.
final class OutputQueue: Sendable {
    private let stream: AsyncStream<ByteBuffer>
    private let continuation: AsyncStream<ByteBuffer>.Continuation
    private let pendingBytes = Mutex(0)
    private let maximumBytes: Int
    private let onOverflow: @Sendable () -> Void

    init(maximumBytes: Int, onOverflow: @escaping @Sendable () -> Void) {
        (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        self.maximumBytes = maximumBytes
        self.onOverflow = onOverflow
    }

    /// Queues one line (already ending in `\n`); never waits.
    func send(_ line: ByteBuffer) {
        let overflow = pendingBytes.withLock { pending -> Bool in
            pending += line.readableBytes
            return pending > maximumBytes
        }
        if overflow {
            continuation.finish()
            onOverflow()
            return
        }
        continuation.yield(line)
    }

    /// No more lines will be sent; the writer ends once the queued ones are written.
    func finish() {
        continuation.finish()
    }

    /// Writes queued lines in order until `finish()`; returns early if a write fails.
    func drain(_ write: (ByteBuffer) async throws -> Void) async {
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
