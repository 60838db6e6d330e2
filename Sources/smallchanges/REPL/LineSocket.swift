import Foundation

#if canImport(Glibc)
    import Glibc

    private let systemClose = Glibc.close
    private let systemSend = Glibc.send
    private let streamSocket = Int32(SOCK_STREAM.rawValue)
    private let noSignal = Int32(MSG_NOSIGNAL)
#elseif canImport(Darwin)
    import Darwin

    private let systemClose = Darwin.close
    private let systemSend = Darwin.send
    private let streamSocket = SOCK_STREAM
    private let noSignal: Int32 = 0
#endif

/// A blocking TCP connection that sends and receives newline-delimited lines: all the client side
/// of the protocol needs, since the REPL waits for each answer anyway.
///
/// Received bytes are kept until a whole line has arrived; a line longer than `maximumLine` closes
/// the connection rather than growing the buffer.
final class LineSocket {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let descriptor: Int32
    private var buffer: [UInt8] = []
    private var closed = false
    private var open = true
    static let maximumLine = 16 << 20

    /// Connects to the first address of `host` that accepts.
    init(host: String, port: Int) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamSocket
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let list else {
            throw Failure(description: "cannot find the server \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError: Int32 = 0
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let address = entry {
            let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            if fd >= 0 {
                if connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
                    descriptor = fd
                    return
                }
                lastError = errno
                _ = systemClose(fd)
            }
            entry = address.pointee.ai_next
        }
        throw Failure(
            description:
                "cannot connect to \(host):\(port): \(String(cString: strerror(lastError))). Is 'smallchanges serve --tcp' running there?"
        )
    }

    deinit { close() }

    /// Sends one line (a `\n` is added).
    func send(_ line: String) throws {
        let bytes = Array((line + "\n").utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { systemSend(descriptor, $0.baseAddress, $0.count, noSignal) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "the server closed the connection")
            }
            sent += count
        }
    }

    /// The next whole line, waiting for it when `wait`; `nil` when none has arrived (without `wait`).
    /// Throws when the server has closed the connection.
    func receive(wait: Bool) throws -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            if closed { throw Failure(description: "the server closed the connection") }
            if !wait && !readable { return nil }
            try fill()
        }
    }

    /// Whether a read would not block.
    var readable: Bool {
        var fd = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&fd, 1, 0) > 0
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            if errno == EINTR { return }
            closed = true
            return
        }
        if count == 0 {
            closed = true
            return
        }
        buffer += chunk[..<count]
        if buffer.count > Self.maximumLine && !buffer.contains(UInt8(ascii: "\n")) {
            closed = true
            buffer.removeAll()
        }
    }

    func close() {
        guard open else { return }
        open = false
        _ = systemClose(descriptor)
    }
}
