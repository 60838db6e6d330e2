import ArgumentParser

/// Where a SmallChanges server listens: `[HOST:]PORT`, by default 127.0.0.1:4747 like `serve --tcp`.
struct ServerAddress: ExpressibleByArgument, CustomStringConvertible, Equatable {
    var host: String
    var port: Int

    static let standard = ServerAddress(host: "127.0.0.1", port: 4747)

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    init?(argument: String) {
        var host = "127.0.0.1"
        var portText = Substring(argument)
        if let colon = argument.lastIndex(of: ":") {
            host = String(argument[..<colon]).trimmingCharacters(in: ["[", "]"])
            portText = argument[argument.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (1...65535).contains(port) else { return nil }
        self.host = host
        self.port = port
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
