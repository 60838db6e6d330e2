import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import smallchanges

/// The REPL's join client: whole lines in order, a descriptor readable while one waits, and the server's end.
@Suite struct LineSocketTests {
    /// Sends back what it reads, as it reads it; closes the connection after sending back `bye`.
    private final class Echo: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = unwrapInboundIn(data)
            let written = context.writeAndFlush(data)
            if String(buffer: bytes).contains("bye") {
                let channel = context.channel
                written.whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }

    private static func echoServer() throws -> any Channel {
        try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Echo()) }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
    }

    private static func isReadable(_ descriptor: Int32, within milliseconds: Int32) -> Bool {
        var watched = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&watched, 1, milliseconds) > 0
    }

    @Test func linesArriveWholeAndInOrderAndTheDescriptorSaysWhenOneWaits() throws {
        let server = try Self.echoServer()
        defer { server.close(promise: nil) }
        let socket = try LineSocket(host: "127.0.0.1", port: try #require(server.localAddress?.port))
        #expect(try socket.receive(wait: false) == nil)
        #expect(!Self.isReadable(socket.descriptor, within: 0))
        try socket.send("one")
        try socket.send("two")
        #expect(try socket.receive(wait: true) == "one")
        #expect(Self.isReadable(socket.descriptor, within: 5_000))
        #expect(try socket.receive(wait: false) == "two")
        #expect(try socket.receive(wait: false) == nil)
        #expect(!Self.isReadable(socket.descriptor, within: 0))
    }

    @Test func theServersEndIsAFailureAndLeavesTheDescriptorReadable() throws {
        let server = try Self.echoServer()
        defer { server.close(promise: nil) }
        let socket = try LineSocket(host: "127.0.0.1", port: try #require(server.localAddress?.port))
        try socket.send("bye")
        #expect(try socket.receive(wait: true) == "bye")
        #expect(throws: LineSocket.Failure.self) { try socket.receive(wait: true) }
        #expect(Self.isReadable(socket.descriptor, within: 0))
        #expect(throws: LineSocket.Failure.self) { try socket.receive(wait: false) }
    }

    @Test func aServerThatIsNotThereIsSaidInTheUsersTerms() throws {
        let server = try Self.echoServer()
        let port = try #require(server.localAddress?.port)
        try server.close().wait()
        #expect {
            _ = try LineSocket(host: "127.0.0.1", port: port)
        } throws: { error in
            "\(error)".hasPrefix("cannot connect to 127.0.0.1:\(port): ")
        }
    }
}
