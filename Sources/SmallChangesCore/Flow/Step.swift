/// One question of a flow.
public struct Step: Codable, Sendable, Equatable, Identifiable {
    /// How many answers a step takes.
    public enum Collect: String, Codable, Sendable {
        /// One answer.
        case one
        /// Answers one at a time until the person says they are done.
        case list
        /// One answer for each entry of an earlier list (a way around each barrier).
        case each
        /// One of a list of choices (possibly drawn from an earlier list).
        case choice
    }

    /// In a pair: who is asked.
    public enum Audience: String, Codable, Sendable {
        /// Whoever is speaking (solo flows).
        case anyone
        /// Each partner in turn, each for their own plan.
        case each
        /// The pair together, for shared agreements.
        case both
    }

    public let id: String
    /// The part of the flow: a workshop stage ("Inspiring", "Sparking", "Living") or "Review".
    public let stage: String
    /// Where answers go in the plan.
    public let field: PlanField
    /// The question. `{item}` stands for the entry a `each` step is about; `{name}` for the partner asked.
    public let ask: String
    /// For `list` steps: the follow-up question ("What else gets in the way?").
    public let more: String?
    /// The intent an answer is expected to have: a prior for the matcher, not a rule.
    public let expects: Intent?
    public let collect: Collect
    /// For `each` steps and `choice` steps drawn from the plan: the field whose entries it goes through.
    public let over: PlanField?
    /// Fixed choices for `choice` steps.
    public let choices: [String]?
    /// Where the question comes from: a workshop stage, a building block or a PDSA field.
    public let source: String
    /// Corpus cards offered when the person is unsure; when empty, cards are chosen by field.
    public let examples: [String]
    /// A short tip shown with the question the first time.
    public let hint: String?
    public let audience: Audience

    public init(
        id: String, stage: String, field: PlanField, ask: String, more: String? = nil, expects: Intent?,
        collect: Collect = .one, over: PlanField? = nil, choices: [String]? = nil, source: String,
        examples: [String] = [], hint: String? = nil, audience: Audience = .anyone
    ) {
        self.id = id
        self.stage = stage
        self.field = field
        self.ask = ask
        self.more = more
        self.expects = expects
        self.collect = collect
        self.over = over
        self.choices = choices
        self.source = source
        self.examples = examples
        self.hint = hint
        self.audience = audience
    }
}
