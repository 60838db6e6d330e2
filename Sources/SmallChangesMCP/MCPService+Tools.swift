import Foundation
import Logging
import MCP

/// The tools: each renames its arguments to a `serve` method's params and returns that method's result, as
/// structured content and as the same JSON in a text block.
extension MCPService {
    func call(
        _ params: CallTool.Parameters, server: Server, dataURLStrings: DataURLStrings
    ) async throws(MCPError) -> CallTool.Result {
        let arguments = ToolArguments(params.arguments, dataURLStrings: dataURLStrings)
        do {
            let output = try await run(params.name, arguments, server: server)
            dataURLStrings.protect(output)
            return Self.success(output)
        } catch let error as MCPError {
            throw error
        } catch let error as EngineError {
            if error.isProtocolError { throw error.mcpError }
            return Self.failure(code: error.code, message: error.message)
        } catch {
            logger.error("tool failed", metadata: ["tool": "\(params.name)", "error": "\(type(of: error))"])
            return Self.failure(code: -32004, message: "storage unavailable: nothing was saved; retry later")
        }
    }

    private func run(_ tool: String, _ arguments: ToolArguments, server: Server) async throws -> Value {
        switch tool {
        case "start_session":
            return try await engine.call(
                "session/start",
                Self.params([
                    "flow": .string(try arguments.string("flow")),
                    "participants": try arguments.optionalStrings("participants").map { .array($0.map(Value.string)) },
                    "reviewing": try arguments.optionalString("reviewing").map(Value.string),
                ]))
        case "answer":
            return try await answer(arguments, server: server)
        case "command":
            let session = try arguments.string("session_id")
            let params = Self.params([
                "sessionId": .string(session), "name": .string(try arguments.string("name")),
                "argument": try arguments.optionalString("argument").map(Value.string),
            ])
            guard let message = try arguments.optionalString("client_msg_id") else {
                return try await engine.call("session/command", params)
            }
            return try await retrySafe(session: session, message: message) {
                try await engine.call("session/command", params)
            }
        case "get_session":
            return try await engine.call("session/get", ["sessionId": .string(try arguments.string("session_id"))])
        case "list_sessions":
            return try await engine.call("session/list")
        case "check_plan":
            return try await engine.call("plan/check", ["sessionId": .string(try arguments.string("session_id"))])
        case "export_plan":
            return try await engine.call(
                "plan/export",
                [
                    "sessionId": .string(try arguments.string("session_id")),
                    "format": .string(try arguments.optionalString("format") ?? "markdown"),
                ])
        case "route":
            return try await engine.call(
                "route",
                Self.params([
                    "text": .string(try arguments.string("text")),
                    "expect": try arguments.optionalString("expect").map(Value.string),
                ]))
        default:
            throw MCPError.invalidParams("unknown tool: \(tool)")
        }
    }

    /// Params without the members left out.
    static func params(_ members: [String: Value?]) -> [String: Value] {
        members.compactMapValues { $0 }
    }

    static func success(_ output: Value) -> CallTool.Result {
        // Typed as optional so the non-throwing initializer is chosen.
        let structured: Value? = output
        return CallTool.Result(
            content: [.text(text: json(output), annotations: nil, _meta: nil)], structuredContent: structured)
    }

    /// A result the person or the model can act on: what went wrong, in the engine's words.
    static func failure(code: Int, message: String) -> CallTool.Result {
        let structured: Value? = ["error": ["code": .int(code), "message": .string(message)]]
        return CallTool.Result(
            content: [.text(text: message, annotations: nil, _meta: nil)], structuredContent: structured, isError: true)
    }

    static func json(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
