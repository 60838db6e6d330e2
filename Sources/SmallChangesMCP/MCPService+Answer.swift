import Logging
import MCP

/// The `answer` tool: retry-safe on `client_msg_id`, and, for a client that declared elicitation, the questions
/// that only need a pick (is this what you meant? which one?) asked as a form the person fills in themselves.
extension MCPService {
    /// The longest `client_msg_id` accepted, in bytes.
    static let maximumClientMessageIDLength = 256

    /// The most questions one `answer` call asks by elicitation, so a client that keeps accepting cannot loop.
    static let maximumElicitationsPerAnswer = 4

    func answer(_ arguments: ToolArguments, server: Server) async throws -> Value {
        let session = try arguments.string("session_id")
        let text = try arguments.string("text")
        let message = try arguments.string("client_msg_id")
        let speaker = try arguments.optionalString("speaker")
        guard !message.isEmpty, message.utf8.count <= Self.maximumClientMessageIDLength else {
            throw MCPError.invalidParams(
                "arguments.client_msg_id: must be 1 to \(Self.maximumClientMessageIDLength) bytes")
        }
        let key = AnsweredResults.Key(session: session, message: message)
        if let earlier = answered.withLock({ $0[key] }) { return Self.marked(earlier, replayed: true) }
        let before = try await engine.call("session/get", ["sessionId": .string(session)])
        let turnsBefore = before.objectValue?["turns"]?.intValue ?? 0
        if let entry = try messageLog.entry(session: session, message: message) {
            if entry.applied || turnsBefore > entry.turnsBefore { return Self.alreadyTaken(before) }
            // Written before a call that never committed its turn (the engine refused it, or the program
            // stopped): the answer was not taken, so take it now.
            try messageLog.forget(session: session, message: message)
        }
        try messageLog.begin(session: session, message: message, turnsBefore: turnsBefore)
        let first: Value
        do {
            first = try await take(text, in: session, speaker: speaker)
        } catch {
            try? messageLog.forget(session: session, message: message)
            throw error
        }
        let result = await askByElicitation(after: first, session: session, speaker: speaker, server: server)
        try messageLog.markApplied(session: session, message: message)
        answered.withLock { $0.insert(result, for: key) }
        return result
    }

    /// While the next question is a pick among choices and the client can show a form, asks it there and takes
    /// the person's pick as the next answer. Stops at the first question that is not a pick, or that the person
    /// declines or cancels: the result then carries that question, as it does for a client without elicitation.
    private func askByElicitation(after first: Value, session: String, speaker: String?, server: Server) async -> Value
    {
        guard clientElicits.withLock({ $0 }) else { return first }
        var result = first
        var messages = first.objectValue?["messages"]?.arrayValue ?? []
        var elicited: [Value] = []
        for _ in 0..<Self.maximumElicitationsPerAnswer {
            guard let prompt = result.objectValue?["prompt"]?.objectValue, let question = prompt["text"]?.stringValue,
                let choices = Self.choices(of: prompt), !choices.isEmpty
            else { break }
            let reply: CreateElicitation.Result
            do {
                reply = try await server.requestElicitation(
                    message: question,
                    requestedSchema: .init(
                        properties: [
                            "answer": [
                                "type": "string", "title": "Your answer", "enum": .array(choices.map(Value.string)),
                            ]
                        ],
                        required: ["answer"]))
            } catch {
                logger.notice("elicitation failed", metadata: ["error": "\(type(of: error))"])
                break
            }
            guard reply.action == .accept, let pick = reply.content?["answer"]?.stringValue, choices.contains(pick)
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

    /// The picks a question offers: its choices, or yes and no.
    private static func choices(of prompt: [String: Value]) -> [String]? {
        switch prompt["type"]?.stringValue {
        case "choice": prompt["choices"]?.arrayValue?.compactMap(\.stringValue)
        case "yes_no": ["yes", "no"]
        default: nil
        }
    }

    private static func marked(_ result: Value, replayed: Bool) -> Value {
        guard var object = result.objectValue else { return result }
        object["replayed"] = .bool(replayed)
        return .object(object)
    }

    /// For a retry whose first result is no longer in memory (the program restarted): where the session stands.
    private static func alreadyTaken(_ session: Value) -> Value {
        let object = session.objectValue ?? [:]
        let prompt = object["prompt"] ?? .null
        var result: [String: Value] = [
            "accepted": true, "replayed": true,
            "needsConfirm": .bool(prompt.objectValue?["id"]?.stringValue?.hasSuffix(".place") ?? false),
            "messages": [
                ["kind": "info", "text": "That answer was already taken (same client_msg_id): nothing was added."]
            ],
            "finished": object["finished"] ?? false, "quit": false, "stands": object["stands"] ?? "",
        ]
        if !prompt.isNull { result["prompt"] = prompt }
        return .object(result)
    }
}
