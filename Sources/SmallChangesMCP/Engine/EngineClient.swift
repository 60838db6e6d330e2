import Foundation
import MCP
import NIOCore
import SmallChangesServer

/// Calls the `serve` protocol's methods on the one `Dispatcher`, in process: every session, turn and plan goes
/// through the same code, store and checks as `smallchanges serve`, so an MCP session is a session like any other.
///
/// Requests and responses are the server's own `RPCRequest` and `RPCResponse`; params and results are plain JSON,
/// as `docs/PROTOCOL.md` shows them, since the MCP tools only rename and relay.
struct EngineClient: Sendable {
    let dispatcher: Dispatcher
    private let parser: MessageParser

    init(dispatcher: Dispatcher, maximumDepth: Int) {
        self.dispatcher = dispatcher
        self.parser = MessageParser(maximumDepth: maximumDepth)
    }

    /// Runs one method and returns its `result` object.
    func call(_ method: String, _ params: [String: Value] = [:]) async throws(EngineError) -> Value {
        let line: Data
        do {
            line = try JSONEncoder().encode(RPCRequest(method: method, id: .number(1), params: Value.object(params)))
        } catch {
            throw EngineError(code: -32602, message: "params: cannot be encoded")
        }
        guard case .request(let request) = parser.parse(line) else {
            throw EngineError(code: -32602, message: "params: nesting too deep or not valid")
        }
        guard let buffer = await dispatcher.handle(request) else {
            throw EngineError(code: -32603, message: "internal error: no response")
        }
        guard
            let response = try? JSONDecoder().decode(RPCResponse<PlainValue>.self, from: Data(buffer.readableBytesView))
        else {
            throw EngineError(code: -32603, message: "internal error: unreadable response")
        }
        if let error = response.error { throw EngineError(code: error.code, message: error.message) }
        guard let result = response.result else {
            throw EngineError(code: -32603, message: "internal error: unreadable response")
        }
        return result.value
    }
}
