import MCP

/// Calls that change a session, made safe to retry: the same `client_msg_id` for the same session runs once.
extension MCPService {
    /// The longest `client_msg_id` accepted, in bytes.
    static let maximumClientMessageIDLength = 256

    /// Runs `body` (which adds turns to `session`) unless a call with this `client_msg_id` already ran.
    ///
    /// A retry in this run gets the first call's result, marked `replayed`. After a restart, where that result is
    /// no longer held, it gets where the session stands. The on-disk log is written before `body` runs and marked
    /// after; an entry left unmarked by a crash counts as taken if the session has more turns than it had then.
    func retrySafe(session: String, message: String, _ body: () async throws -> Value) async throws -> Value {
        guard !message.isEmpty, message.utf8.count <= Self.maximumClientMessageIDLength else {
            throw MCPError.invalidParams(
                "arguments.client_msg_id: must be 1 to \(Self.maximumClientMessageIDLength) bytes")
        }
        let key = AnsweredResults.Key(session: session, message: message)
        if let earlier = answered.withLock({ $0[key] }) { return Self.marked(earlier) }
        let before = try await engine.call("session/get", ["sessionId": .string(session)])
        let turnsBefore = before.objectValue?["turns"]?.intValue ?? 0
        if let entry = try messageLog.entry(session: session, message: message) {
            if entry.applied || turnsBefore > entry.turnsBefore { return Self.alreadyTaken(before) }
            // Written before a call that never committed its turn (the engine refused it, or the program
            // stopped): it was not taken, so take it now.
            try messageLog.forget(session: session, message: message)
        }
        try messageLog.begin(session: session, message: message, turnsBefore: turnsBefore)
        let result: Value
        do {
            result = try await body()
        } catch {
            try? messageLog.forget(session: session, message: message)
            throw error
        }
        try messageLog.markApplied(session: session, message: message)
        answered.withLock { $0.insert(result, for: key) }
        return result
    }

    private static func marked(_ result: Value) -> Value {
        guard var object = result.objectValue else { return result }
        object["replayed"] = true
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
                ["kind": "info", "text": "That was already taken (same client_msg_id): nothing was added."]
            ],
            "finished": object["finished"] ?? false, "quit": false, "stands": object["stands"] ?? "",
        ]
        if !prompt.isNull { result["prompt"] = prompt }
        return .object(result)
    }
}
