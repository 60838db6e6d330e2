public import Foundation
public import Logging
public import MCP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// MCP's stdio transport for swift-sdk's `Server`, written for this program: newline-delimited JSON-RPC, read
/// and written with blocking system calls on threads of their own.
///
/// Compared with the SDK's `StdioTransport`: a line longer than `maximumLineBytes` is answered with one error
/// and skipped instead of buffered without bound; a full stdout waits in `poll` instead of sleeping mid-line;
/// whole lines are written under one lock, so they never interleave; and calls for one session reach the server
/// in the order they arrived (see `SessionTurnstile`). stdout carries nothing but these lines.
public actor LineTransport: Transport {
    public nonisolated let logger: Logger
    private let input: Int32
    private let writer: LineWriter
    private let maximumLineBytes: Int
    private let turnstile: SessionTurnstile
    /// Strings swift-sdk would change for data URLs, as they were.
    public nonisolated let dataURLStrings = DataURLStrings()
    private let messages: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private var reading = false

    /// - Parameters:
    ///   - maximumLineBytes: the longest line read, not counting its `\n`.
    ///   - maximumWaitingPerSession: calls for one session that may wait behind the one in flight; more are
    ///     answered with `-32011` (session busy).
    public init(
        input: Int32 = 0, output: Int32 = 1, maximumLineBytes: Int = 1 << 20, maximumWaitingPerSession: Int = 64,
        logger: Logger
    ) {
        self.input = input
        self.writer = LineWriter(descriptor: output)
        self.maximumLineBytes = maximumLineBytes
        self.turnstile = SessionTurnstile(maximumWaitingPerSession: maximumWaitingPerSession)
        self.logger = logger
        (messages, continuation) = AsyncThrowingStream.makeStream(of: Data.self, bufferingPolicy: .unbounded)
    }

    /// How many requests were handed to the server and are not answered yet.
    public nonisolated var requestsInFlight: Int { turnstile.inFlight }

    public func connect() async throws {
        guard !reading else { return }
        reading = true
        let reader = LineReader(
            descriptor: input, maximumLineBytes: maximumLineBytes, writer: writer, turnstile: turnstile,
            dataURLStrings: dataURLStrings, continuation: continuation, logger: logger)
        let thread = Thread { reader.run() }
        thread.name = "smallchanges.mcp.stdin"
        thread.start()
    }

    public func disconnect() async {
        continuation.finish()
    }

    public func send(_ data: Data) async throws {
        do {
            try writer.write(dataURLStrings.restore(data))
        } catch {
            logger.notice("stdout closed", metadata: ["errno": "\(error.errno)"])
            throw MCPError.transportError(error)
        }
        if let next = turnstile.completed(data) { continuation.yield(next) }
    }

    public func receive() -> AsyncThrowingStream<Data, any Error> {
        messages
    }
}

/// The stdin side of `LineTransport`: splits what it reads into lines and admits each through the turnstile.
private final class LineReader: Sendable {
    let descriptor: Int32
    let maximumLineBytes: Int
    let writer: LineWriter
    let turnstile: SessionTurnstile
    let dataURLStrings: DataURLStrings
    let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    let logger: Logger

    init(
        descriptor: Int32, maximumLineBytes: Int, writer: LineWriter, turnstile: SessionTurnstile,
        dataURLStrings: DataURLStrings, continuation: AsyncThrowingStream<Data, any Error>.Continuation,
        logger: Logger
    ) {
        self.descriptor = descriptor
        self.maximumLineBytes = maximumLineBytes
        self.writer = writer
        self.turnstile = turnstile
        self.dataURLStrings = dataURLStrings
        self.continuation = continuation
        self.logger = logger
    }

    /// Reads until the end of input, then finishes the stream.
    func run() {
        var pending = Data()
        var skipping = false
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            #if canImport(Glibc)
                let count = Glibc.read(descriptor, &chunk, chunk.count)
            #else
                let count = Darwin.read(descriptor, &chunk, chunk.count)
            #endif
            if count < 0 {
                let error = errno
                if error == EINTR { continue }
                if error == EAGAIN || error == EWOULDBLOCK {
                    var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    _ = poll(&waiting, 1, -1)
                    continue
                }
                logger.notice("stdin failed", metadata: ["errno": "\(error)"])
                break
            }
            if count == 0 { break }
            var start = 0
            for index in 0..<count where chunk[index] == UInt8(ascii: "\n") {
                if !skipping { pending.append(contentsOf: chunk[start..<index]) }
                if pending.count > maximumLineBytes { tooLong() } else if !skipping { take(pending) }
                pending.removeAll(keepingCapacity: true)
                skipping = false
                start = index + 1
            }
            if !skipping { pending.append(contentsOf: chunk[start..<count]) }
            if !skipping, pending.count > maximumLineBytes {
                tooLong()
                pending = Data()
                skipping = true
            }
        }
        if !skipping, !pending.isEmpty { take(pending) }
        continuation.finish()
    }

    private func take(_ line: Data) {
        var line = line
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else { return }
        dataURLStrings.remember(line: line)
        switch turnstile.admit(line) {
        case .deliver:
            continuation.yield(line)
            if let next = turnstile.cancelled(line) { continuation.yield(next) }
        case .held:
            break
        case .refuse(let error):
            try? writer.write(error)
        }
    }

    private func tooLong() {
        logger.notice("line over the limit skipped", metadata: ["limit": "\(maximumLineBytes)"])
        let error = #"{"error":{"code":-32600,"message":"invalid request: the line is longer than "#
        try? writer.write(Data((error + "\(maximumLineBytes) bytes\"},\"id\":null,\"jsonrpc\":\"2.0\"}").utf8))
    }
}
