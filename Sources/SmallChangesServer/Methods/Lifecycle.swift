/// `initialize`: the first request on a connection; says what the server can do.
public enum Initialize: RPCMethod {
    public static let name = "initialize"

    public struct Params: Codable, Sendable {
        public var protocolVersion: String?
        public var clientInfo: ClientInfo?

        public init(protocolVersion: String?, clientInfo: ClientInfo?) {
            self.protocolVersion = protocolVersion
            self.clientInfo = clientInfo
        }
    }

    public struct ClientInfo: Codable, Sendable {
        public var name: String?
        public var version: String?

        public init(name: String?, version: String? = nil) {
            self.name = name
            self.version = version
        }
    }

    public struct Result: Codable, Sendable {
        public var protocolVersion: String
        public var serverInfo: ServerInfo
        public var capabilities: Capabilities
    }

    public struct ServerInfo: Codable, Sendable {
        public var name: String
        public var version: String
    }

    public struct Capabilities: Codable, Sendable {
        /// Ids of the flows `session/start` accepts.
        public var flows: [String]
        /// Formats `plan/export` writes.
        public var exports: [String]
        /// Every method the server answers.
        public var methods: [String]
    }
}

/// `initialized`: a notification the client sends after `initialize`; nothing is answered.
public enum Initialized: RPCMethod {
    public static let name = "initialized"
    public typealias Params = Empty
    public typealias Result = Empty
}

/// `ping`: answered with `{}`, also before `initialize`.
public enum Ping: RPCMethod {
    public static let name = "ping"
    public typealias Params = Empty
    public typealias Result = Empty
}

/// `auth`: the first request on a TCP connection when the server has a token.
public enum Auth: RPCMethod {
    public static let name = "auth"

    public struct Params: Codable, Sendable {
        public var token: String

        public init(token: String) { self.token = token }
    }

    public struct Result: Codable, Sendable {
        public var authenticated: Bool
    }
}

/// `shutdown`: the client is about to leave; later requests other than `exit` are refused.
public enum Shutdown: RPCMethod {
    public static let name = "shutdown"
    public typealias Params = Empty
    public typealias Result = Empty
}

/// `exit`: a notification that ends the connection (on stdio, the process: 0 after `shutdown`, else 1).
public enum Exit: RPCMethod {
    public static let name = "exit"
    public typealias Params = Empty
    public typealias Result = Empty
}
