public import SmallChangesCore

/// What `session/answer` and `session/command` return: the conversation's `Reply`, and where the session stands.
///
/// On the wire the reply's members sit beside `stands` and `answering` in one object, so a reply field is added
/// in one place (`Reply`) and reaches every face.
public struct TurnResult: Codable, Sendable, Equatable {
    public var reply: Reply
    /// Where the session stands ("Sparking · step 5 of 12").
    public var stands: String
    /// In a pair: who may answer the next question (one name, or both for a question to both).
    public var answering: [String]?

    private enum CodingKeys: String, CodingKey {
        case stands, answering
    }

    public init(_ reply: Reply, stands: String, answering: [String]? = nil) {
        self.reply = reply
        self.stands = stands
        self.answering = answering
    }

    public init(from decoder: any Decoder) throws {
        reply = try Reply(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stands = try container.decode(String.self, forKey: .stands)
        answering = try container.decodeIfPresent([String].self, forKey: .answering)
    }

    public func encode(to encoder: any Encoder) throws {
        try reply.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stands, forKey: .stands)
        try container.encodeIfPresent(answering, forKey: .answering)
    }
}
