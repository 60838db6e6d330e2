public import SmallChangesCore

/// What `session/answer` and `session/command` return: the conversation's reply and where it stands.
public struct TurnResult: Codable, Sendable, Equatable {
    /// False when the answer could not be placed and the question is asked again: a normal result, not an error.
    public var accepted: Bool
    /// How the answer was heard: `intent`, `confidence`, `theme`, `alternatives`; absent for commands.
    public var routed: Routing?
    public var needsConfirm: Bool
    public var messages: [Message]
    /// The next question; absent when the flow is finished.
    public var prompt: Prompt?
    public var finished: Bool
    public var quit: Bool
    /// Where the session stands ("Sparking · step 5 of 12").
    public var stands: String
    /// In a pair: who may answer the next question (one name, or both for a question to both).
    public var answering: [String]?

    public init(_ reply: Reply, stands: String, answering: [String]? = nil) {
        accepted = reply.accepted
        routed = reply.routed
        needsConfirm = reply.needsConfirm
        messages = reply.messages
        prompt = reply.prompt
        finished = reply.finished
        quit = reply.quit
        self.stands = stands
        self.answering = answering
    }
}
