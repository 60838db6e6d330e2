import NIOCore

/// Where a connection's response and notification lines go; `send` never waits.
protocol LineOutput: Sendable {
    /// Queues one line (already ending in `\n`) for the client.
    func send(_ line: ByteBuffer)
}

/// A connection's output (TCP or stdio): each line goes straight to the channel, whose event loop writes it. Over
/// TCP the bound on what waits unsent is the channel's write-buffer high-water mark; `TCPServer` closes a connection
/// that crosses it, so a client that stops reading cannot make the server hold its responses.
struct ChannelOutput: LineOutput {
    let channel: any Channel

    func send(_ line: ByteBuffer) {
        channel.writeAndFlush(line, promise: nil)
    }
}
