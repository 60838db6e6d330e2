import NIOCore

/// Where a connection's response and notification lines go; `send` never waits.
protocol LineOutput: Sendable {
    /// Queues one line (already ending in `\n`) for the client.
    func send(_ line: ByteBuffer)
}

/// The lines waiting to be written to one stdio client: handlers hand their response here and move on,
/// and one writer task drains them to the blocking writes, in order.
final class OutputQueue: LineOutput {
    private let stream: AsyncStream<ByteBuffer>
    private let continuation: AsyncStream<ByteBuffer>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
    }

    func send(_ line: ByteBuffer) {
        continuation.yield(line)
    }

    /// No more lines will be sent; the writer ends once the queued ones are written.
    func finish() {
        continuation.finish()
    }

    /// Writes queued lines in order until `finish()`; returns early if a write fails.
    func drain(_ write: (ByteBuffer) async throws -> Void) async {
        do {
            for await line in stream { try await write(line) }
        } catch {
            continuation.finish()
        }
    }
}

/// A TCP connection's output: each line goes straight to the channel, whose event loop writes it. The bound
/// on what waits unsent is the channel's write-buffer high-water mark; `ProtocolHandler` closes a connection
/// that crosses it, so a client that stops reading cannot make the server hold its responses.
struct ChannelOutput: LineOutput {
    let channel: any Channel

    func send(_ line: ByteBuffer) {
        channel.writeAndFlush(line, promise: nil)
    }
}
