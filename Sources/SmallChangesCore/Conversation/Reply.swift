/// What the conversation says after one input: the same for the REPL and the protocol.
public struct Reply: Codable, Sendable, Equatable {
    /// True when the input changed the plan or moved the conversation on; false when it asks again.
    public var accepted: Bool
    /// How the answer was heard; `nil` for commands.
    public var routed: Routing?
    /// True when the conversation is asking the person to confirm how an answer was heard.
    public var needsConfirm: Bool
    public var messages: [Message]
    /// The next question; `nil` when the flow is finished or the person asked to stop.
    public var prompt: Prompt?
    /// True once the flow has no more questions.
    public var finished: Bool
    /// True when the person asked to stop for now (the session is kept).
    public var quit: Bool

    public init(
        accepted: Bool, routed: Routing? = nil, needsConfirm: Bool = false, messages: [Message] = [],
        prompt: Prompt?, finished: Bool = false, quit: Bool = false
    ) {
        self.accepted = accepted
        self.routed = routed
        self.needsConfirm = needsConfirm
        self.messages = messages
        self.prompt = prompt
        self.finished = finished
        self.quit = quit
    }
}
