/// A guided conversation, read from a file in Prompts/: an ordered list of questions and where
/// their answers go in the plan.
public struct Flow: Codable, Sendable, Equatable, Identifiable {
    public var id: String
    public var title: String
    /// One or two sentences shown when listing flows.
    public var summary: String
    /// Said once at the start.
    public var welcome: String
    /// Said when the last question has been answered.
    public var farewell: String
    /// True for flows run by two partners together.
    public var pair: Bool
    /// True for flows that review an existing plan.
    public var review: Bool
    public var steps: [Step]

    public init(
        id: String, title: String, summary: String, welcome: String, farewell: String, pair: Bool = false,
        review: Bool = false, steps: [Step]
    ) {
        self.id = id
        self.title = title
        self.summary = summary
        self.welcome = welcome
        self.farewell = farewell
        self.pair = pair
        self.review = review
        self.steps = steps
    }
}

extension Flow {
    /// Where a session at `position` stands, in words: "Sparking · step 5 of 14", or "finished" for none. The
    /// stage is named by the flow's step, when the flow is known and still has it.
    public static func stands(at position: SessionRecord.Position?, in flow: Flow?) -> String {
        guard let position else { return "finished" }
        let step = position.stepID.flatMap { id in flow?.steps.first { $0.id == id } }
        return (step.map { "\($0.stage) · " } ?? "") + "step \(position.step) of \(position.of)"
    }
}
