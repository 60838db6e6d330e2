import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes whole lines to a file descriptor with blocking system calls, one line at a time.
///
/// A line is written to its last byte before the next one starts, so two writers never interleave. When the
/// descriptor was left non-blocking by the parent, `EAGAIN` waits in `poll` for room, rather than sleeping in
/// the middle of a line as swift-sdk's `StdioTransport` does.
final class LineWriter: Sendable {
    /// The descriptor could not be written (the reader went away).
    struct Closed: Error {
        var errno: Int32
    }

    private let descriptor: Int32
    private let lock = Mutex(())

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Writes `line` and a `\n`; `line` must not hold a newline of its own.
    func write(_ line: Data) throws(Closed) {
        var framed = line
        framed.append(UInt8(ascii: "\n"))
        let failure: Int32? = lock.withLock { _ in
            Self.writeAll([UInt8](framed), to: descriptor)
        }
        if let failure { throw Closed(errno: failure) }
    }

    /// Writes every byte, waiting for room when the descriptor is full; returns `errno` on failure.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
        var remaining = bytes
        while !remaining.isEmpty {
            #if canImport(Glibc)
                let written = Glibc.write(descriptor, remaining, remaining.count)
            #else
                let written = Darwin.write(descriptor, remaining, remaining.count)
            #endif
            if written > 0 {
                remaining.removeFirst(written)
                continue
            }
            let error = errno
            if error == EINTR { continue }
            if error == EAGAIN || error == EWOULDBLOCK {
                var waiting = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&waiting, 1, -1)
                continue
            }
            return error
        }
        return nil
    }
}
