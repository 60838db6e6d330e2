/// A notification line the server sends (`session/turn`, `session/joined`, `session/left`): a request without an
/// id, never answered. The server writes it and `RemoteSession` reads it.
public struct RPCNotification<Params: Codable & Sendable>: Codable, Sendable {
    public var jsonrpc = "2.0"
    public var method: String
    public var params: Params

    public init(method: String, params: Params) {
        self.method = method
        self.params = params
    }
}
