public import NIOCore

/// Splits a byte stream into lines, enforcing the length limit on every line, also on one that
/// arrives whole in a single read.
///
/// NIO's `maximumBufferSize` only caps input that has no `\n` yet; a long line delivered with its
/// `\n` in one read would pass it. This framer measures each line, discards an over-long one up to
/// the next `\n`, and reports it once.
public struct LineFramer: Sendable {
    /// Longest accepted line in bytes, not counting its `\n` or a trailing `\r`.
    public let maximumLength: Int
    private var buffer = ByteBuffer()
    /// Bytes of `buffer` already searched for `\n`, so a line dripped in small reads is scanned once.
    private var scanned = 0
    /// True while skipping the rest of an over-long line.
    private var discarding = false

    public init(maximumLength: Int) {
        self.maximumLength = maximumLength
    }

    /// True when part of a line has arrived and its end has not.
    public var hasPartialLine: Bool { buffer.readableBytes > 0 || discarding }

    /// Bytes of the line that has started and not ended.
    public var partialLength: Int { discarding ? 0 : buffer.readableBytes }

    /// Drops the line that has started, and the rest of it up to the next `\n`.
    public mutating func abandonPartialLine() {
        buffer = ByteBuffer()
        scanned = 0
        discarding = true
    }

    /// Takes the next chunk of input and returns the events it completes.
    public mutating func append(_ input: ByteBuffer) -> [InboundEvent] {
        var input = input
        if buffer.readableBytes == 0 {
            buffer = input
            scanned = 0
        } else {
            buffer.writeBuffer(&input)
        }
        var events: [InboundEvent] = []
        while true {
            let view = buffer.readableBytesView
            let searchFrom = view.startIndex + scanned
            guard let newline = view[searchFrom...].firstIndex(of: UInt8(ascii: "\n")) else {
                if discarding {
                    buffer.clear()
                    scanned = 0
                } else if buffer.readableBytes > maximumLength + 1 {
                    // Longer than any line ending in "\r\n" could be: report it now, skip the rest.
                    events.append(.tooLong)
                    discarding = true
                    buffer.clear()
                    scanned = 0
                } else {
                    scanned = buffer.readableBytes
                }
                break
            }
            let length = newline - view.startIndex
            scanned = 0
            if discarding {
                discarding = false
                buffer.moveReaderIndex(forwardBy: length + 1)
                continue
            }
            let endsWithCR = length > 0 && view[newline - 1] == UInt8(ascii: "\r")
            let contentLength = endsWithCR ? length - 1 : length
            if contentLength > maximumLength {
                events.append(.tooLong)
                buffer.moveReaderIndex(forwardBy: length + 1)
                continue
            }
            // A line is handed on as a slice of what was read: no copy.
            if let line = buffer.readSlice(length: contentLength) {
                events.append(.line(line))
            }
            buffer.moveReaderIndex(forwardBy: length + 1 - contentLength)
        }
        if buffer.readableBytes == 0 {
            buffer = ByteBuffer()
        }
        return events
    }

    /// Ends the input: an unfinished last line counts as a line, so input without a final `\n` works.
    public mutating func finish() -> [InboundEvent] {
        defer {
            buffer = ByteBuffer()
            scanned = 0
            discarding = false
        }
        guard !discarding, buffer.readableBytes > 0 else { return [] }
        var line = buffer
        if line.readableBytesView.last == UInt8(ascii: "\r") {
            line.moveWriterIndex(to: line.writerIndex - 1)
        }
        return [.line(line)]
    }
}
