import Foundation
import MCP
import NIOCore
import SmallChangesServer

/// Calls the `serve` protocol's methods on the one `Dispatcher`, in process: every session, turn and plan goes
/// through the same code, store and checks as `smallchanges serve`, so an MCP session is a session like any other.
///
/// Params and results are plain JSON, as `docs/PROTOCOL.md` shows them; the MCP tools only rename and relay.
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
            line = try JSONEncoder().encode(Envelope(method: method, params: .object(params)))
        } catch {
            throw EngineError(code: -32602, message: "params: cannot be encoded")
        }
        guard case .request(let request) = parser.parse(line) else {
            throw EngineError(code: -32602, message: "params: nesting too deep or not valid")
        }
        guard let buffer = await dispatcher.handle(request) else {
            throw EngineError(code: -32603, message: "internal error: no response")
        }
        let reply = buffer.readableBytesView.withUnsafeBytes { JSONValue.parse($0) }
        if let error = reply?["error"] {
            guard case .number(let code) = error["code"], case .string(let message) = error["message"] else {
                throw EngineError(code: -32603, message: "internal error: unreadable error")
            }
            throw EngineError(code: Int(code) ?? -32603, message: message)
        }
        guard let result = reply?["result"] else {
            throw EngineError(code: -32603, message: "internal error: unreadable response")
        }
        return Value(result)
    }

    private struct Envelope: Encodable {
        var jsonrpc = "2.0"
        var id = 1
        var method: String
        var params: Value
    }
}
