public import SmallChangesCore

/// A JSON-RPC method: its name and the shapes of its params and result.
///
/// docs/PROTOCOL.md documents each conformer with one request line and one response line.
public protocol RPCMethod {
    associatedtype Params: Decodable & Sendable
    associatedtype Result: Encodable & Sendable
    static var name: String { get }

    /// The request's params; absent params read as an empty object. The error names the field that is wrong.
    static func params(of request: Request) throws(ErrorObject) -> Params
}

extension RPCMethod {
    /// Decodes the params through `Decoder`.
    public static func params(of request: Request) throws(ErrorObject) -> Params {
        try request.decodeParams(Params.self)
    }
}

/// Params of a method that acts on one session: such requests run one at a time per session, in order.
public protocol SessionParams: Decodable, Sendable {
    var sessionId: SessionID { get }
}

/// An empty params object or result, `{}`.
public struct Empty: Codable, Sendable, Equatable {
    public init() {}
}
