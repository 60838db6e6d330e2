import Foundation
import Logging
import Testing

@testable import SmallChangesMCP

@Suite struct LineTransportTests {
    @Test func aLineOverTheLimitIsAnsweredOnceAndTheNextLineStillArrives() async throws {
        let input = Pipe()
        let output = Pipe()
        let transport = LineTransport(
            input: input.fileHandleForReading.fileDescriptor, output: output.fileHandleForWriting.fileDescriptor,
            maximumLineBytes: 100, logger: Logger(label: "test"))
        try await transport.connect()
        let long = Data(repeating: UInt8(ascii: "a"), count: 300)
        input.fileHandleForWriting.write(long + Data("\n{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":1}\n".utf8))
        try input.fileHandleForWriting.close()
        var lines: [String] = []
        for try await line in await transport.receive() {
            lines.append(String(decoding: line, as: UTF8.self))
        }
        #expect(lines == [#"{"jsonrpc":"2.0","method":"ping","id":1}"#])
        try await transport.send(Data(#"{"jsonrpc":"2.0","id":1,"result":{}}"#.utf8))
        try output.fileHandleForWriting.close()
        let written = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(
            written == """
                {"error":{"code":-32600,"message":"invalid request: the line is longer than 100 bytes"},"id":null,\
                "jsonrpc":"2.0"}
                {"jsonrpc":"2.0","id":1,"result":{}}

                """)
    }
}
