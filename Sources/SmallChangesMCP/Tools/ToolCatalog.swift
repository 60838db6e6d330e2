import MCP

/// The tools, each with its input and output schema. Outputs are the `serve` protocol's results, as
/// `docs/PROTOCOL.md` shows them (camelCase keys); inputs use the snake_case names MCP tools usually have.
enum ToolCatalog {
    static let sessionID = Schema.string("The session's id, as start_session or list_sessions gave it (s-…).")

    /// The input of a tool that only names a session.
    static let sessionOnly = Schema.object(["session_id": sessionID], required: ["session_id"])

    /// What a turn returns: `answer` and `command`.
    static let turn = Schema.object(
        [
            "accepted": Schema.boolean, "routed": Schema.optionalObject, "needsConfirm": Schema.boolean,
            "messages": Schema.messages, "prompt": Schema.prompt, "finished": Schema.boolean, "quit": Schema.boolean,
            "stands": Schema.text, "answering": Schema.texts,
            "elicited": [
                "type": "array",
                "items": Schema.object(
                    ["question": Schema.text, "answer": Schema.text], required: ["question", "answer"]),
                "description": "Questions the person answered in a form the client showed (elicitation), in order.",
            ],
            "replayed": [
                "type": "boolean",
                "description": "True when this client_msg_id was answered before: nothing was added this time.",
            ],
        ], required: ["accepted", "messages", "finished", "stands"])

    /// Every tool; `flows` are the flows the guide has, for `start_session`.
    static func all(flows: [String]) -> [Tool] {
        [
            Tool(
                name: "start_session",
                title: "Start a session",
                description: """
                    Starts a guided conversation and returns its id and first question. Flows: plan (plan a small \
                    change, about 12 questions), reflect (five minutes on the week), review (look back on a plan; \
                    give reviewing), pair and pair-review (two people; give both names as participants).
                    """,
                inputSchema: Schema.object(
                    [
                        "flow": Schema.string("Which conversation to run.", oneOf: flows),
                        "participants": Schema.strings("Names of the people taking part; a pair flow needs two."),
                        "reviewing": Schema.string("For a review flow: the id of the session whose plan is reviewed."),
                    ], required: ["flow"]),
                annotations: .init(destructiveHint: false, idempotentHint: false, openWorldHint: false),
                outputSchema: Schema.object(
                    [
                        "sessionId": Schema.text, "messages": Schema.messages, "prompt": Schema.prompt,
                        "stands": Schema.text, "answering": Schema.texts,
                    ], required: ["sessionId", "messages", "stands"])),
            Tool(
                name: "answer",
                title: "Answer the current question",
                description: """
                    Passes the person's own words, exactly as they wrote them, as the answer to the session's current \
                    question, and returns what was heard and the next question. Never answer for the person. \
                    client_msg_id makes a retry safe: the same id again adds nothing.
                    """,
                inputSchema: Schema.object(
                    [
                        "session_id": sessionID,
                        "text": Schema.string("The person's reply, verbatim."),
                        "client_msg_id": Schema.string("A fresh id for each reply (a UUID); reuse it only to retry."),
                        "speaker": Schema.string("In a pair: who is answering."),
                    ], required: ["session_id", "text", "client_msg_id"]),
                annotations: .init(destructiveHint: false, idempotentHint: true, openWorldHint: false),
                outputSchema: turn),
            Tool(
                name: "command",
                title: "Move around the conversation",
                description: """
                    Use when the person says so: back (undo the last answer), skip (leave this question), done \
                    (nothing more for a list), who (in a pair: who answers next; argument: the name), edit (reopen \
                    a question of the plan; argument: its field, e.g. aim), block (set the building block of the \
                    last barrier or idea; argument: e.g. leadership).
                    """,
                inputSchema: Schema.object(
                    [
                        "session_id": sessionID,
                        "name": Schema.string("The command.", oneOf: ["back", "skip", "done", "who", "edit", "block"]),
                        "argument": Schema.string("For who: a name; for edit: a plan field; for block: a block."),
                        "client_msg_id": Schema.string("Optional: as for answer, makes a retry safe."),
                    ], required: ["session_id", "name"]),
                annotations: .init(destructiveHint: false, idempotentHint: false, openWorldHint: false),
                outputSchema: turn),
            Tool(
                name: "get_session",
                title: "Where a session stands",
                description: "The session's record, its current question and how many turns it has.",
                inputSchema: sessionOnly,
                annotations: .init(readOnlyHint: true),
                outputSchema: Schema.object(
                    [
                        "session": Schema.session, "prompt": Schema.prompt, "stands": Schema.text,
                        "finished": Schema.boolean, "turns": Schema.integer,
                    ], required: ["session", "stands", "finished", "turns"])),
            Tool(
                name: "list_sessions",
                title: "List sessions",
                description: "Every stored session, the most recently active first.",
                inputSchema: Schema.object([:]),
                annotations: .init(readOnlyHint: true),
                outputSchema: Schema.object(
                    ["sessions": ["type": "array", "items": Schema.session]], required: ["sessions"])),
            Tool(
                name: "check_plan",
                title: "Check a plan",
                description: "Whether the session's plan is ready, and each gap still open.",
                inputSchema: sessionOnly,
                annotations: .init(readOnlyHint: true),
                outputSchema: Schema.object(
                    [
                        "ready": Schema.boolean,
                        "gaps": [
                            "type": "array",
                            "items": Schema.object(["field": Schema.text, "problem": Schema.text]),
                        ],
                    ], required: ["ready", "gaps"])),
            Tool(
                name: "export_plan",
                title: "Export a plan",
                description: "The session's plan as Markdown, JSON or HTML text; no file is written.",
                inputSchema: Schema.object(
                    [
                        "session_id": sessionID,
                        "format": Schema.string("The format (default markdown).", oneOf: ["markdown", "json", "html"]),
                    ], required: ["session_id"]),
                annotations: .init(readOnlyHint: true),
                outputSchema: Schema.object(
                    ["format": Schema.text, "content": Schema.text], required: ["format", "content"])),
            Tool(
                name: "route",
                title: "Route a sentence",
                description: """
                    The intent matcher alone: how a sentence would be heard (barrier, idea, step, measure, …), with \
                    its confidence. Stores nothing.
                    """,
                inputSchema: Schema.object(
                    [
                        "text": Schema.string("The sentence."),
                        "expect": Schema.string("The intent the question expects, to weigh the match (e.g. barrier)."),
                    ], required: ["text"]),
                annotations: .init(readOnlyHint: true),
                outputSchema: Schema.object(
                    [
                        "intent": ["type": ["string", "null"]], "confidence": ["type": "number"], "theme": Schema.text,
                        "alternatives": Schema.objects, "items": Schema.objects, "needsConfirm": Schema.boolean,
                    ], required: ["intent", "confidence"])),
        ]
    }
}
