/// The question a conversation is waiting on, with enough structure for a client to render it as a form.
public struct Prompt: Codable, Sendable, Equatable {
    /// How the answer is expected to be given.
    public enum AnswerType: String, Codable, Sendable {
        /// Free text, one item.
        case text
        /// Free text, one item per answer until the person says they are done.
        case list
        /// One of `choices`.
        case choice
        /// Yes or no.
        case yesNo = "yes_no"
    }

    /// The step's id in its flow (`barriers`), or a confirmation id (`barriers.confirm`).
    public var id: String
    public var text: String
    /// The intent an answer to this question is expected to have; `nil` when any answer fits (context).
    public var expects: Intent?
    public var type: AnswerType
    public var choices: [String]?
    /// One-based position of this step in the flow, and the flow's number of steps.
    public var step: Int
    public var of: Int
    /// The workshop stage or part of the flow ("Inspiring", "Sparking", "Living", "Review").
    public var stage: String
    /// Where the question comes from: a workshop stage, a building block or a PDSA field.
    public var source: String
    /// In a pair, who is asked; `nil` when anyone may answer.
    public var speaker: String?

    public init(
        id: String, text: String, expects: Intent?, type: AnswerType, choices: [String]? = nil, step: Int, of: Int,
        stage: String, source: String, speaker: String? = nil
    ) {
        self.id = id
        self.text = text
        self.expects = expects
        self.type = type
        self.choices = choices
        self.step = step
        self.of = of
        self.stage = stage
        self.source = source
        self.speaker = speaker
    }
}
