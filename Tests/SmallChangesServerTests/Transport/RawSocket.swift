import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A plain blocking TCP socket, for what a NIO client cannot easily do: shut down only its write side (as
/// `nc -N` does), or hold a connection open without a pipeline.
final class RawSocket: Sendable {
    private let descriptor: Int32

    /// Connects to 127.0.0.1:`port`; reads give up after `timeout` seconds. `receiveBuffer` shrinks the kernel's
    /// buffer for what the server sends.
    init(port: Int, timeout: Int = 10, receiveBuffer: Int32? = nil, from source: String = "127.0.0.1") throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(source)
        _ = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if var size = receiveBuffer {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// Sends all of `text`; false when the connection would not take it (closed by the server).
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    /// Ends what this side sends; the server may still answer.
    func shutdownWrite() { shutdown(descriptor, Int32(SHUT_WR)) }

    /// Reads until the server closes or resets the connection (`closed`) or the timeout passes; returns the lines
    /// read.
    func readToEnd() -> (lines: [String], closed: Bool) {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var closed = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) { closed = true }
            if count <= 0 { break }
            data += buffer[0..<count]
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        return (lines, closed)
    }

    /// Waits until `count` of the sockets are closed by the server, for `seconds` at most; returns how many are.
    static func closedCount(of sockets: [RawSocket], reaching count: Int, within seconds: Int = 60) -> Int {
        var closed = Set<Int>()
        let deadline = ContinuousClock.now + .seconds(seconds)
        while closed.count < count, ContinuousClock.now < deadline {
            var polled = sockets.enumerated().filter { !closed.contains($0.offset) }.map {
                pollfd(fd: $0.element.descriptor, events: Int16(POLLIN), revents: 0)
            }
            guard poll(&polled, nfds_t(polled.count), 100) >= 0 else { break }
            for entry in polled where entry.revents != 0 {
                var byte: UInt8 = 0
                if read(entry.fd, &byte, 1) <= 0, let index = sockets.firstIndex(where: { $0.descriptor == entry.fd }) {
                    closed.insert(index)
                }
            }
        }
        return closed.count
    }
}
