import MCP

/// A protocol error the engine answered with (`docs/PROTOCOL.md`, Errors), told apart by who can act on it.
struct EngineError: Error, Equatable {
    var code: Int
    var message: String

    /// Bad parameters are the calling program's mistake: a protocol error. Anything else (an unknown session,
    /// a limit, a busy store, a partner's turn) is something the person or the model can act on: a tool result
    /// with `isError: true`.
    var isProtocolError: Bool {
        code == -32602 || code == -32600 || code == -32601 || code == -32603
    }

    /// The MCP protocol error for a mistake in the call itself.
    var mcpError: MCPError {
        switch code {
        case -32602, -32600: .invalidParams(message)
        case -32601: .methodNotFound(message)
        default: .internalError(message)
        }
    }
}
