import Foundation
import Logging
import Testing

@testable import smallchanges

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct LogWriterTests {
    @Test func loggingToAPipeNobodyReadsNeverBlocksAndDropsLines() throws {
        var ends: [Int32] = [0, 0]
        // Both ends stay open for the life of the test process: the writer's thread stays blocked on the full pipe,
        // and closing the read end would raise SIGPIPE.
        #expect(pipe(&ends) == 0)
        let writer = LogWriter(descriptor: ends[1], capacity: 64)
        let logger = Logger(label: "test") { label in
            var handler = BackgroundLogHandler(label: label, writer: writer)
            handler.logLevel = .info
            return handler
        }
        let started = ContinuousClock.now
        // A pipe holds 64 KiB: far more than that is logged, and nobody reads it.
        for index in 0..<20_000 {
            logger.notice("connection closed", metadata: ["index": "\(index)", "reason": "idle timeout"])
        }
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(writer.dropped > 0)
    }

    @Test func linesAreWrittenInOrderWhenTheReaderKeepsUp() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let writer = LogWriter(descriptor: ends[1])
        for index in 0..<10 { writer.write("line \(index)\n") }
        writer.flush(within: .seconds(2))
        close(ends[1])
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(ends[0], &buffer, buffer.count)
        let text = String(decoding: buffer[0..<max(0, count)], as: UTF8.self)
        #expect(text == (0..<10).map { "line \($0)\n" }.joined())
    }
}
