public import SmallChangesCore

/// A JSON-RPC method: its name and the shapes of its params and result, the one definition of its wire format
/// for the server and its clients alike (`RemoteSession`, the MCP engine client).
///
/// docs/PROTOCOL.md documents each conformer with one request line and one response line.
public protocol RPCMethod {
    associatedtype Params: Codable & Sendable
    associatedtype Result: Codable & Sendable
    static var name: String { get }
}

extension RPCMethod {
    /// The request's params, read as the line was parsed; the error names the field that is wrong.
    public static func params(of request: Request) throws(ErrorObject) -> Params {
        try request.decodeParams(Params.self)
    }
}

/// Every method a client can call, by name: a request's params are read as its method's `Params`.
enum RPCMethods {
    /// Reads a method's params from a request's members (`nil` when it sent none).
    typealias ParamsReader = @Sendable (KeyedDecodingContainer<MessageKey>?) -> Result<any Sendable, ErrorObject>

    static let all: [(name: String, readParams: ParamsReader)] = [
        entry(Initialize.self), entry(Initialized.self), entry(Ping.self), entry(Auth.self), entry(Shutdown.self),
        entry(Exit.self), entry(FlowsList.self), entry(SessionStart.self), entry(SessionAnswer.self),
        entry(SessionCommand.self), entry(SessionGet.self), entry(SessionList.self), entry(SessionResume.self),
        entry(SessionClose.self), entry(SessionJoin.self), entry(SessionShare.self), entry(PlanGet.self),
        entry(PlanCheck.self), entry(PlanExport.self), entry(PlanLog.self), entry(Route.self), entry(CorpusSearch.self),
    ]

    static let byName: [String: ParamsReader] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0.readParams) })

    private static func entry<Method: RPCMethod>(_: Method.Type) -> (name: String, readParams: ParamsReader) {
        (Method.name, { Method.readParams($0) })
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
