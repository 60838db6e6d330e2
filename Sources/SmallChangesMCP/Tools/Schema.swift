import MCP

/// The few JSON Schema shapes the tools' input and output schemas are built from.
enum Schema {
    static func object(_ properties: [String: Value], required: [String] = []) -> Value {
        var schema: [String: Value] = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        return .object(schema)
    }

    static func string(_ description: String, oneOf values: [String]? = nil) -> Value {
        var schema: [String: Value] = ["type": "string", "description": .string(description)]
        if let values { schema["enum"] = .array(values.map { .string($0) }) }
        return .object(schema)
    }

    static func strings(_ description: String) -> Value {
        ["type": "array", "items": ["type": "string"], "description": .string(description)]
    }

    static let boolean: Value = ["type": "boolean"]
    static let integer: Value = ["type": "integer"]
    static let text: Value = ["type": "string"]
    static let objects: Value = ["type": "array", "items": ["type": "object"]]
    static let texts: Value = ["type": "array", "items": ["type": "string"]]

    /// An object that may be absent or `null`.
    static let optionalObject: Value = ["type": ["object", "null"]]

    /// The question the session waits on (`docs/PROTOCOL.md`, The prompt object).
    static let prompt: Value = [
        "type": ["object", "null"],
        "properties": [
            "id": text, "text": text, "expects": text,
            "type": ["type": "string", "enum": ["text", "list", "choice", "yes_no"]],
            "choices": texts, "step": integer, "of": integer, "stage": text, "source": text, "speaker": text,
        ],
    ]

    /// What the assistant says besides the next question.
    static let messages: Value = [
        "type": "array",
        "items": [
            "type": "object",
            "properties": [
                "kind": ["type": "string", "enum": ["heard", "example", "info", "warning", "pair"]],
                "text": text, "card": text, "speaker": text,
            ],
            "required": ["kind", "text"],
        ],
    ]

    /// A stored session's record.
    static let session: Value = object(
        [
            "id": text, "flow": text, "participants": texts, "startedAt": text, "lastActiveAt": text,
            "stage": text, "readiness": text, "finished": boolean, "reviewOf": text,
        ], required: ["id", "flow", "finished"])
}
