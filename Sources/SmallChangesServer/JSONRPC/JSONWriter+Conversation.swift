import SmallChangesCore

/// The conversation's values, written as `JSONEncoder` writes them: keys in sorted order, `nil` members left out.
extension JSONWriter {
    mutating func value(_ id: JSONRPCID) {
        switch id {
        case .string(let string): value(string)
        case .number(let number): value(number)
        case .integer(let digits): integer(digits)
        case .null: null()
        }
    }

    mutating func value(_ messages: [Message]) {
        beginArray()
        for message in messages {
            beginObject()
            if let card = message.card {
                key("card")
                value(card)
            }
            key("kind")
            value(message.kind.rawValue)
            if let speaker = message.speaker {
                key("speaker")
                value(speaker)
            }
            key("text")
            value(message.text)
            endObject()
        }
        endArray()
    }

    mutating func value(_ prompt: Prompt) {
        beginObject()
        if let choices = prompt.choices {
            key("choices")
            value(choices)
        }
        if let expects = prompt.expects {
            key("expects")
            value(expects.rawValue)
        }
        key("id")
        value(prompt.id)
        key("of")
        value(prompt.of)
        key("source")
        value(prompt.source)
        if let speaker = prompt.speaker {
            key("speaker")
            value(speaker)
        }
        key("stage")
        value(prompt.stage)
        key("step")
        value(prompt.step)
        key("text")
        value(prompt.text)
        key("type")
        value(prompt.type.rawValue)
        endObject()
    }

    /// Returns false, part-way through, when a confidence is not a finite number.
    mutating func value(_ routing: Routing) -> Bool {
        beginObject()
        key("alternatives")
        beginArray()
        for alternative in routing.alternatives {
            beginObject()
            key("confidence")
            guard value(alternative.confidence) else { return false }
            key("intent")
            value(alternative.intent.rawValue)
            endObject()
        }
        endArray()
        key("confidence")
        guard value(routing.confidence) else { return false }
        key("intent")
        value(routing.intent.rawValue)
        key("items")
        beginArray()
        for item in routing.items {
            beginObject()
            key("intent")
            value(item.intent.rawValue)
            key("text")
            value(item.text)
            if let theme = item.theme {
                key("theme")
                value(theme.rawValue)
            }
            endObject()
        }
        endArray()
        key("needsConfirm")
        value(routing.needsConfirm)
        if let theme = routing.theme {
            key("theme")
            value(theme.rawValue)
        }
        endObject()
        return true
    }
}
