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
