import Foundation
import Logging
import SmallChangesServer

/// The echo floor: the server's own TCP transport (framing, limits, output bound), with every line answered by
/// itself, so what the protocol costs above it is what the benchmark compares.
enum EchoServer {
    /// Listens on 127.0.0.1 (`port` 0 picks a free one, said on stderr as `smallchanges serve --tcp` says it) until
    /// the process is stopped.
    static func run(port: Int, maximumConnections: Int) async throws {
        var configuration = ServerConfiguration()
        configuration.maximumConnections = maximumConnections
        var logger = Logger(label: "bench-serve.echo")
        logger.logLevel = .critical
        let server = TCPServer(
            host: "127.0.0.1", port: port, configuration: configuration, service: .lines { $0 }, logger: logger)
        let address = try await server.bind()
        FileHandle.standardError.write(Data("echo server: listening on 127.0.0.1:\(address.port ?? 0)\n".utf8))
        await server.run()
    }
}
