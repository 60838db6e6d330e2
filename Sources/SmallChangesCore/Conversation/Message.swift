/// One thing the assistant says back, apart from the next question.
public struct Message: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// How an answer was heard ("noted as a barrier: smart use of resources").
        case heard
        /// A suggestion or example drawn from the corpus.
        case example
        /// Guidance: help text, an explanation, a summary.
        case info
        /// Something the person should look at: a gap in the plan, an answer not understood.
        case warning
        /// In a pair: what the other partner said, or where the two differ.
        case pair
    }

    public var kind: Kind
    public var text: String
    /// The corpus card the message draws on, if any.
    public var card: String?
    /// For `pair` messages: whose words these are.
    public var speaker: String?

    public init(_ kind: Kind, _ text: String, card: String? = nil, speaker: String? = nil) {
        self.kind = kind
        self.text = text
        self.card = card
        self.speaker = speaker
    }
}
