public import Logging
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The protocol on stdin and stdout: one client, the parent process.
///
/// Reads and writes are blocking system calls, so they run on two threads of their own, never on
/// Swift's cooperative pool. Input is pulled one read at a time as the protocol loop asks for lines,
/// so a fast writer on stdin cannot make the server buffer without bound. stdout carries protocol
/// lines only; logs go to stderr.
public final class StdioTransport: Sendable {
    private let dispatcher: Dispatcher
    private let configuration: ServerConfiguration
    private let logger: Logger
    private let input: CInt
    private let output: CInt
    private let stopping = Mutex(false)

    public init(
        dispatcher: Dispatcher, configuration: ServerConfiguration, logger: Logger, input: CInt = 0,
        output: CInt = 1
    ) {
        self.dispatcher = dispatcher
        self.configuration = configuration
        self.logger = logger
        self.input = input
        self.output = output
    }

    /// Serves until the input ends, the client sends `exit`, or `stop()`; returns the exit status:
    /// 0, or 1 for an `exit` without `shutdown` first.
    public func run() async -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        let threads = NIOThreadPool(numberOfThreads: 2)
        threads.start()
        defer { threads.shutdownGracefully { _ in } }
        let outputFD = output
        let queue = OutputQueue()
        let connection = Connection(
            dispatcher: dispatcher, configuration: configuration, face: .stdio, logger: logger)
        let lines = InputLines(
            descriptor: input, maximumLineLength: configuration.maximumLineLength, threads: threads, transport: self)
        return await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await queue.drain { line in
                    try await threads.runIfActive { try Self.writeAll(line, to: outputFD) }
                }
            }
            let ending = await connection.run(events: lines, output: queue)
            queue.finish()
            await group.waitForAll()
            logger.info("stdio session ended", metadata: ["ending": "\(ending)"])
            if case .exit(clean: false) = ending { return 1 }
            return 0
        }
    }

    /// Stops reading; what is in flight is still answered, then `run()` returns.
    public func stop() {
        stopping.withLock { $0 = true }
    }

    fileprivate var isStopping: Bool { stopping.withLock { $0 } }

    private static func writeAll(_ line: ByteBuffer, to descriptor: CInt) throws {
        try line.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, base + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    throw IOError(errnoCode: errno, reason: "write to stdout")
                }
                offset += written
            }
        }
    }
}

/// Lines read from a file descriptor on demand: each `next()` reads only when no line is waiting.
private struct InputLines: AsyncSequence {
    typealias Element = InboundEvent

    let descriptor: CInt
    let maximumLineLength: Int
    let threads: NIOThreadPool
    let transport: StdioTransport

    func makeAsyncIterator() -> Iterator {
        Iterator(
            descriptor: descriptor, framer: LineFramer(maximumLength: maximumLineLength), threads: threads,
            transport: transport)
    }

    struct Iterator: AsyncIteratorProtocol {
        let descriptor: CInt
        var framer: LineFramer
        let threads: NIOThreadPool
        let transport: StdioTransport
        var pending: [InboundEvent] = []
        var next = 0
        var ended = false

        mutating func next() async throws -> InboundEvent? {
            while next == pending.count {
                if ended { return nil }
                pending = []
                next = 0
                let descriptor = self.descriptor
                let transport = self.transport
                let chunk = try await threads.runIfActive { Self.readChunk(descriptor, transport: transport) }
                if let chunk {
                    pending = framer.append(chunk)
                } else {
                    pending = framer.finish()
                    ended = true
                }
            }
            defer { next += 1 }
            return pending[next]
        }

        /// Waits for input and reads up to 64 KiB; `nil` at end of input or when the transport stops.
        private static func readChunk(_ descriptor: CInt, transport: StdioTransport) -> ByteBuffer? {
            var buffer = ByteBuffer()
            while !transport.isStopping {
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let ready = poll(&poller, 1, 200)
                if ready == 0 || (ready < 0 && errno == EINTR) { continue }
                var result = 0
                var readError: CInt = 0
                _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 64 << 10) { bytes in
                    result = read(descriptor, bytes.baseAddress, bytes.count)
                    readError = errno
                    return Swift.max(result, 0)
                }
                if result > 0 { return buffer }
                if result < 0 && (readError == EINTR || readError == EAGAIN) { continue }
                return nil
            }
            return nil
        }
    }
}
