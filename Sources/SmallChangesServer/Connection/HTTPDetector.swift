import NIOCore

/// Recognises an HTTP request line or header, so a web page posting to the TCP port (a cross-protocol
/// attack) is closed before any of its lines runs.
enum HTTPDetector {
    private static let prefixes: [[UInt8]] = [
        "GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE ", "HOST:",
    ].map { Array($0.utf8) }

    static func looksLikeHTTP(_ line: ByteBuffer) -> Bool {
        let view = line.readableBytesView
        guard let first = view.first, (first | 0x20) >= UInt8(ascii: "a"), (first | 0x20) <= UInt8(ascii: "z") else {
            return false
        }
        let head = view.prefix(8).map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }
        if prefixes.contains(where: { head.starts(with: $0) }) { return true }
        // A request line ends in " HTTP/1.1".
        let tail = Array(view.suffix(9))
        return tail.starts(with: Array(" HTTP/1.".utf8))
    }
}
