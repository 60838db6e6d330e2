import Dispatch
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if canImport(Glibc)
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    private let systemWrite = Darwin.write
#endif

/// Writes log lines to a file descriptor (stderr) from a thread of its own, so logging never blocks the caller.
///
/// A server's event loops log as connections come and go: when stderr is a pipe nobody reads, a blocking write
/// would stop the loop, and every connection on it. Lines wait here, at most `capacity` of them; past that, new
/// lines are dropped and counted, and the count is written once the writer catches up.
final class LogWriter: Sendable {
    /// The process's writer to stderr, started on first use.
    static let standardError = LogWriter(descriptor: STDERR_FILENO)

    private struct State {
        var lines: [String] = []
        var dropped = 0
        var writing = false
    }

    private let descriptor: Int32
    private let capacity: Int
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    init(descriptor: Int32, capacity: Int = 1024) {
        self.descriptor = descriptor
        self.capacity = capacity
        let thread = Thread { [self] in run() }
        thread.name = "smallchanges log writer"
        thread.start()
    }

    /// Queues a line (ending in `\n`); never waits. Returns false when the queue was full and the line was dropped.
    @discardableResult
    func write(_ line: String) -> Bool {
        let queued = state.withLock { state in
            guard state.lines.count < capacity else {
                state.dropped += 1
                return false
            }
            state.lines.append(line)
            return true
        }
        if queued { wake.signal() }
        return queued
    }

    /// How many lines were dropped because the queue was full.
    var dropped: Int { state.withLock { $0.dropped } }

    /// Waits, at most `timeout`, until every queued line is written: at exit, so the last lines are not lost.
    func flush(within timeout: Duration = .milliseconds(500)) {
        let deadline = ContinuousClock.now + timeout
        while state.withLock({ !$0.lines.isEmpty || $0.writing }), ContinuousClock.now < deadline {
            usleep(2_000)
        }
    }

    private func run() {
        while true {
            wake.wait()
            let (lines, dropped) = state.withLock { state -> ([String], Int) in
                let taken = (state.lines, state.dropped)
                state.lines.removeAll(keepingCapacity: true)
                state.dropped = 0
                state.writing = true
                return taken
            }
            for line in lines { writeAll(line) }
            if dropped > 0 { writeAll("smallchanges: \(dropped) log lines dropped: stderr was not being read\n") }
            state.withLock { $0.writing = false }
        }
    }

    private func writeAll(_ line: String) {
        var bytes = Array(line.utf8)
        while !bytes.isEmpty {
            let written = systemWrite(descriptor, bytes, bytes.count)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes.removeFirst(written)
        }
    }
}

/// A `LogHandler` that formats as swift-log's `StreamLogHandler` does and hands the line to a ``LogWriter``.
struct BackgroundLogHandler: LogHandler {
    let label: String
    let writer: LogWriter
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        let merged = metadata.merging(explicit ?? [:]) { _, new in new }
        let shown =
            merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: " ")
        writer.write("\(Self.timestamp()) \(level) \(label) :\(shown) [\(source)] \(message)\n")
    }

    private static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
