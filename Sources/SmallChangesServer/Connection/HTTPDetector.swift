import NIOCore

/// Recognises an HTTP request line or header, so a web page posting to the TCP port (a cross-protocol
/// attack) is closed before any of its lines runs.
enum HTTPDetector {
    private static let prefixes: [[UInt8]] = [
        "GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE ", "HOST:",
    ].map { Array($0.utf8) }

    static func looksLikeHTTP(_ line: ByteBuffer) -> Bool {
        let bytes = line.readableBytesView
        // A JSON-RPC line starts with "{" (or whitespace, or "["): only a line starting with a letter is looked at.
        guard let first = bytes.first, (first | 0x20) >= UInt8(ascii: "a"), (first | 0x20) <= UInt8(ascii: "z")
        else { return false }
        func upper(_ byte: UInt8) -> UInt8 { byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte }
        if prefixes.contains(where: { prefix in
            prefix.count <= bytes.count && zip(prefix, bytes).allSatisfy { $0 == upper($1) }
        }) {
            return true
        }
        // A request line ends in " HTTP/1.1".
        return bytes.count >= 9 && bytes.suffix(9).starts(with: " HTTP/1.".utf8)
    }
}
