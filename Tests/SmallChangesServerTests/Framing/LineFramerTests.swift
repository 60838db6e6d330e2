import NIOCore
import Testing

@testable import SmallChangesServer

@Suite struct LineFramerTests {
    private func lines(_ events: [InboundEvent]) -> [String] {
        events.map { event in
            if case .line(let line) = event { return String(buffer: line) }
            return "<\(event)>"
        }
    }

    @Test func aLineOverTheLimitArrivingInOneReadIsRejectedAndTheNextLineStillArrives() {
        let limit = 1 << 20
        var framer = LineFramer(maximumLength: limit)
        var input = ByteBuffer(repeating: UInt8(ascii: "a"), count: limit + 1)
        input.writeString("\n{\"ok\":1}\n")
        #expect(lines(framer.append(input)) == ["<tooLong>", "{\"ok\":1}"])
        #expect(!framer.hasPartialLine)
    }

    @Test func aLineOfExactlyTheLimitIsAccepted() {
        var framer = LineFramer(maximumLength: 8)
        #expect(lines(framer.append(ByteBuffer(string: "12345678\n12345678\r\n"))) == ["12345678", "12345678"])
    }

    @Test func anOverLongLineDrippedByteByByteIsReportedOnceAndSkippedToItsEnd() {
        var framer = LineFramer(maximumLength: 4)
        var events: [InboundEvent] = []
        for byte in Array("abcdefghij\nok\n".utf8) {
            events += framer.append(ByteBuffer(bytes: [byte]))
        }
        #expect(lines(events) == ["<tooLong>", "ok"])
    }

    @Test func crlfLineEndingsAreStripped() {
        var framer = LineFramer(maximumLength: 100)
        #expect(lines(framer.append(ByteBuffer(string: "one\r\ntwo\n\r\n"))) == ["one", "two", ""])
    }

    @Test func aMultibyteCharacterSplitAcrossReadsArrivesWhole() {
        var framer = LineFramer(maximumLength: 100)
        let bytes = Array("{\"text\":\"café 🙂\"}\n".utf8)
        let split = bytes.firstIndex(of: 0xC3)! + 1
        var events = framer.append(ByteBuffer(bytes: bytes[..<split]))
        #expect(events.isEmpty)
        #expect(framer.hasPartialLine)
        events += framer.append(ByteBuffer(bytes: bytes[split...]))
        #expect(lines(events) == ["{\"text\":\"café 🙂\"}"])
    }

    @Test func anUnterminatedLastLineCountsAtTheEndOfInput() {
        var framer = LineFramer(maximumLength: 100)
        #expect(framer.append(ByteBuffer(string: "{\"a\":1}")).isEmpty)
        #expect(lines(framer.finish()) == ["{\"a\":1}"])
    }

    @Test func anUnterminatedLineOverTheLimitIsReportedBeforeItEnds() {
        var framer = LineFramer(maximumLength: 10)
        #expect(lines(framer.append(ByteBuffer(repeating: 0x61, count: 50))) == ["<tooLong>"])
        #expect(lines(framer.append(ByteBuffer(repeating: 0x61, count: 50_000))).isEmpty)
        #expect(lines(framer.append(ByteBuffer(string: "aaa\nnext\n"))) == ["next"])
    }
}
