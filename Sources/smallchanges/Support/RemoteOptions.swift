import ArgumentParser
import Foundation

/// How to reach a running `smallchanges serve --tcp`: for the commands that share a session.
struct RemoteOptions: ParsableArguments {
    @Option(name: .long, help: "The server, as [HOST:]PORT (default 127.0.0.1:4747, where 'serve --tcp' listens).")
    var server: ServerAddress?

    @Option(name: .long, help: "A file holding the server's token, when it was started with --token-file.")
    var tokenFile: String?

    /// The token to send first, read from `--token-file`.
    func token() throws -> String? {
        guard let tokenFile else { return nil }
        return try ServeCommand.readToken(tokenFile)
    }
}
