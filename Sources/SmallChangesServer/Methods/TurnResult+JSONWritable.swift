import SmallChangesCore

// The results of `session/answer`, `session/command`, `session/start` and `session/close`, written by hand: keys in
// sorted order.

extension TurnResult: JSONWritable {
    func write(to writer: inout JSONWriter) -> Bool {
        writer.beginObject()
        writer.key("accepted")
        writer.value(accepted)
        if let answering {
            writer.key("answering")
            writer.value(answering)
        }
        writer.key("finished")
        writer.value(finished)
        writer.key("messages")
        writer.value(messages)
        writer.key("needsConfirm")
        writer.value(needsConfirm)
        if let prompt {
            writer.key("prompt")
            writer.value(prompt)
        }
        writer.key("quit")
        writer.value(quit)
        if let routed {
            writer.key("routed")
            guard writer.value(routed) else { return false }
        }
        writer.key("stands")
        writer.value(stands)
        writer.endObject()
        return true
    }
}

extension SessionStart.Result: JSONWritable {
    func write(to writer: inout JSONWriter) -> Bool {
        guard joinExpiresAt == nil else { return false }
        writer.beginObject()
        if let answering {
            writer.key("answering")
            writer.value(answering)
        }
        if let joinCode {
            writer.key("joinCode")
            writer.value(joinCode)
        }
        writer.key("messages")
        writer.value(messages)
        if let prompt {
            writer.key("prompt")
            writer.value(prompt)
        }
        writer.key("sessionId")
        writer.value(sessionId.rawValue)
        writer.key("stands")
        writer.value(stands)
        writer.endObject()
        return true
    }
}

extension SessionClose.Result: JSONWritable {
    func write(to writer: inout JSONWriter) -> Bool {
        writer.beginObject()
        writer.key("closed")
        writer.value(closed)
        writer.endObject()
        return true
    }
}
