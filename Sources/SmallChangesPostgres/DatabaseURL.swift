import Foundation
import NIOSSL
public import PostgresNIO

/// Where a PostgreSQL database is and who to log in as, read from a `postgres://` URL.
///
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE`, as libpq reads it, with `?host=/run/postgresql` for a Unix
/// socket folder and `?sslmode=disable|prefer|require` (default `prefer`). The password never appears in
/// `description`, so a URL can be logged.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// The folder of the server's Unix socket, when it is reached that way instead of over TCP.
    public var socketFolder: String?
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// The schema the tables live in (`?search_path=NAME`), when not `public`: one database can then hold the
    /// sessions of several services, or of several test runs.
    public var searchPath: String?

    /// How the connection is encrypted.
    public enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    /// Reads a URL; the error says what is wrong with it without echoing a password.
    public init(_ text: String) throws(DatabaseURLError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            ["postgres", "postgresql"].contains(scheme)
        else {
            throw DatabaseURLError("a database URL starts with postgres:// (postgres://user@host:5432/database)")
        }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components.port ?? query["port"].flatMap(Int.init) ?? 5432
        socketFolder = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        guard let user = components.user ?? query["user"], !user.isEmpty else {
            throw DatabaseURLError("the database URL names no user (postgres://USER@host/database)")
        }
        username = user.removingPercentEncoding ?? user
        password = (components.password ?? query["password"]).map { $0.removingPercentEncoding ?? $0 }
        let path = String(components.path.drop { $0 == "/" })
        guard !path.isEmpty, !path.contains("/") else {
            throw DatabaseURLError("the database URL names no database (postgres://user@host/DATABASE)")
        }
        database = path
        let mode = query["sslmode"] ?? (socketFolder == nil ? "prefer" : "disable")
        guard let tls = TLSMode(rawValue: mode == "allow" ? "prefer" : mode == "verify-full" ? "require" : mode)
        else {
            throw DatabaseURLError("sslmode=\(mode) is not one of disable, prefer, require")
        }
        self.tls = tls
        searchPath = query["search_path"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// This database with a new, empty schema of its own as the search path: for tests, which then run in parallel
    /// and see only their own sessions.
    package func withFreshSchema() throws -> DatabaseURL {
        var url = self
        url.searchPath = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try PostgresSessionStore.createSchema(url.searchPath ?? "", at: self)
        return url
    }

    public var description: String {
        let place = socketFolder.map { "\($0) (socket)" } ?? "\(host):\(port)"
        return "postgres://\(username)@\(place)/\(database)" + (searchPath.map { "?search_path=\($0)" } ?? "")
    }

    /// The path of the server's Unix socket, as libpq names it inside the socket folder.
    var socketPath: String? {
        socketFolder.map { "\($0)/.s.PGSQL.\(port)" }
    }

    var clientConfiguration: PostgresClient.Configuration {
        var configuration =
            if let socketPath {
                PostgresClient.Configuration(
                    unixSocketPath: socketPath, username: username, password: password, database: database)
            } else {
                PostgresClient.Configuration(
                    host: host, port: port, username: username, password: password, database: database,
                    tls: clientTLS)
            }
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    private var startupParameters: [(String, String)] {
        [("application_name", "smallchanges")] + (searchPath.map { [("search_path", $0)] } ?? [])
    }

    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration =
            if let socketPath {
                PostgresConnection.Configuration(
                    unixSocketPath: socketPath, username: username, password: password, database: database)
            } else {
                PostgresConnection.Configuration(
                    host: host, port: port, username: username, password: password, database: database,
                    tls: try connectionTLS())
            }
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    private var clientTLS: PostgresClient.Configuration.TLS {
        switch tls {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }

    private func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
        switch tls {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }
}

/// A database URL that cannot be used, and why.
public struct DatabaseURLError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
