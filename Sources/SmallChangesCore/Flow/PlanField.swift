/// The part of a change plan that an answer fills.
public enum PlanField: String, Codable, Sendable, CaseIterable, Hashable {
    case context, principles, barriers
    case waysAround = "ways_around"
    case ideas, change, aim, measures, predictions, steps, support
    /// The accountability partner.
    case partner
    case checkIns = "check_ins"
    case sustain
    /// The Do of a PDSA cycle: what happened when they tried it.
    case happened
    case learning
    /// In a pair review: what the partner says back about the other's change.
    case responses
    case decision
    case nextCycle = "next_cycle"

    /// The plan field an answer with this intent belongs in when it is said out of turn.
    public init?(intent: Intent) {
        switch intent {
        case .principle: self = .principles
        case .barrier: self = .barriers
        case .idea: self = .ideas
        case .aim: self = .aim
        case .measure: self = .measures
        case .prediction: self = .predictions
        case .step: self = .steps
        case .support: self = .support
        case .sustain: self = .sustain
        case .learning: self = .learning
        case .decision: self = .decision
        default: return nil
        }
    }

    /// Whether the field belongs to a review's PDSA cycle (Do, Study, Act), filled only by a review flow.
    public var isReview: Bool {
        [.happened, .learning, .responses, .decision, .nextCycle].contains(self)
    }

    /// How the field is named to the person ("noted under …").
    public var title: String {
        switch self {
        case .context: "context"
        case .principles: "principles"
        case .barriers: "barriers"
        case .waysAround: "ways around"
        case .ideas: "ideas"
        case .change: "the change"
        case .aim: "aim"
        case .measures: "measures"
        case .predictions: "predictions"
        case .steps: "steps"
        case .support: "support"
        case .partner: "accountability partner"
        case .checkIns: "check-ins"
        case .sustain: "how it lasts"
        case .happened: "what happened"
        case .learning: "learning"
        case .responses: "your partner's response"
        case .decision: "decision"
        case .nextCycle: "next cycle"
        }
    }
}
