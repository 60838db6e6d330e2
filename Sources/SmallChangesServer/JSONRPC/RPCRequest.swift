/// A request line as a client sends it: the server's clients (`RemoteSession`, the MCP engine client) write
/// requests with it, so they send exactly the method's `Params` type.
public struct RPCRequest<Params: Encodable & Sendable>: Encodable, Sendable {
    public var jsonrpc = "2.0"
    public var id: JSONRPCID
    public var method: String
    public var params: Params

    public init<Method: RPCMethod>(_: Method.Type, id: JSONRPCID, params: Params) where Method.Params == Params {
        self.init(method: Method.name, id: id, params: params)
    }

    /// A request for a method named at run time, such as a tool relayed by the MCP server.
    public init(method: String, id: JSONRPCID, params: Params) {
        self.id = id
        self.method = method
        self.params = params
    }
}
