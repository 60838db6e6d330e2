import Logging
import MCP

/// The `answer` tool: retry-safe on `client_msg_id` (see `retrySafe`), and, for a client that declared
/// elicitation, the questions that only need a pick (is this what you meant? which one?) asked as a form the
/// person fills in themselves.
extension MCPService {
    /// The most questions one `answer` call asks by elicitation, so a client that keeps accepting cannot loop.
    static let maximumElicitationsPerAnswer = 4

    func answer(_ arguments: ToolArguments, server: Server) async throws -> Value {
        let session = try arguments.string("session_id")
        let text = try arguments.string("text")
        let message = try arguments.string("client_msg_id")
        let speaker = try arguments.optionalString("speaker")
        return try await retrySafe(session: session, message: message) {
            let first = try await take(text, in: session, speaker: speaker)
            return await askByElicitation(
                after: first, session: session, speaker: speaker, server: server,
                dataURLStrings: arguments.dataURLStrings)
        }
    }

    /// While the next question is a pick among choices and the client can show a form, asks it there and takes
    /// the person's pick as the next answer. Stops at the first question that is not a pick, or that the person
    /// declines or cancels: the result then carries that question, as it does for a client without elicitation.
    private func askByElicitation(
        after first: Value, session: String, speaker: String?, server: Server, dataURLStrings: DataURLStrings?
    ) async -> Value {
        guard clientElicits.withLock({ $0 }) else { return first }
        var result = first
        var messages = first.objectValue?["messages"]?.arrayValue ?? []
        var elicited: [Value] = []
        for _ in 0..<Self.maximumElicitationsPerAnswer {
            guard let prompt = result.objectValue?["prompt"]?.objectValue, let question = prompt["text"]?.stringValue,
                let choices = Self.choices(of: prompt), !choices.isEmpty
            else { break }
            let schema = Elicitation.RequestSchema(
                properties: [
                    "answer": ["type": "string", "title": "Your answer", "enum": .array(choices.map(Value.string))]
                ],
                required: ["answer"])
            guard let reply = await Self.ask(question, schema, on: server, within: elicitationTimeout) else {
                logger.notice("elicitation failed or timed out")
                break
            }
            guard reply.action == .accept, let pick = Self.text(reply.content?["answer"], dataURLStrings),
                choices.contains(pick)
            else { break }
            guard let next = try? await take(pick, in: session, speaker: speaker) else { break }
            elicited.append(["question": .string(question), "answer": .string(pick)])
            messages += next.objectValue?["messages"]?.arrayValue ?? []
            result = next
        }
        guard !elicited.isEmpty, var object = result.objectValue else { return first }
        object["messages"] = .array(messages)
        object["elicited"] = .array(elicited)
        return .object(object)
    }

    /// One turn: `text` as the answer to the session's current question.
    private func take(_ text: String, in session: String, speaker: String?) async throws(EngineError) -> Value {
        try await engine.call(
            "session/answer",
            Self.params(["sessionId": .string(session), "text": .string(text), "speaker": speaker.map(Value.string)]))
    }

    /// Asks for a form and waits for it at most `timeout`; `nil` when it failed or took longer. The client may
    /// still answer later: that answer is dropped, and the question stays in the tool's result.
    private static func ask(
        _ message: String, _ schema: Elicitation.RequestSchema, on server: Server, within timeout: Duration
    ) async -> CreateElicitation.Result? {
        let first = FirstOutcome<CreateElicitation.Result?>()
        return await withCheckedContinuation { continuation in
            first.start(continuation)
            Task {
                let result = try? await server.requestElicitation(message: message, requestedSchema: schema)
                first.finish(result)
            }
            Task {
                try? await Task.sleep(for: timeout)
                first.finish(nil)
            }
        }
    }

    /// A string from a form, as the client sent it (see `DataURLStrings`).
    private static func text(_ value: Value?, _ dataURLStrings: DataURLStrings?) -> String? {
        switch value {
        case .string(let text): text
        case .data(let mimeType, let data): dataURLStrings?.original(mimeType: mimeType, data: data)
        default: nil
        }
    }

    /// The picks a question offers: its choices, or yes and no.
    private static func choices(of prompt: [String: Value]) -> [String]? {
        switch prompt["type"]?.stringValue {
        case "choice": prompt["choices"]?.arrayValue?.compactMap(\.stringValue)
        case "yes_no": ["yes", "no"]
        default: nil
        }
    }
}
