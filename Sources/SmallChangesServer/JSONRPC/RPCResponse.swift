/// A response line: a result or an error, and the id of the request it answers. The server writes it and its
/// clients read it.
public struct RPCResponse<Result: Codable & Sendable>: Codable, Sendable {
    public var jsonrpc = "2.0"
    public var id: JSONRPCID
    public var result: Result?
    public var error: ErrorObject?

    public init(id: JSONRPCID, result: Result) {
        self.id = id
        self.result = result
    }

    public init(id: JSONRPCID, error: ErrorObject) where Result == Empty {
        self.id = id
        self.error = error
    }
}
