/// What an answer means to the conversation: the routing labels of `Prompts/intents.yaml`.
///
/// These raw values are a contract shared by the REPL, the protocol, the plan and outside tools:
/// never rename them.
public enum Intent: String, CaseIterable, Codable, Sendable, Hashable {
    // Plan content: the answer adds something to the change plan.
    case principle, barrier, idea, aim, measure, prediction, step, support, sustain, learning, decision
    // Conversation control: the person wants something from the conversation.
    case unsure, help, back, skip, done
    case showPlan = "show_plan"
    case quit, yes, no
    /// Out of scope: unrelated to the session.
    case oos

    /// Whether an answer with this intent adds content to the plan.
    public var isPlanContent: Bool {
        switch self {
        case .principle, .barrier, .idea, .aim, .measure, .prediction, .step, .support, .sustain, .learning,
            .decision:
            true
        default:
            false
        }
    }

    /// Whether answers with this intent carry a building-block theme.
    public var hasTheme: Bool { self == .barrier || self == .idea }
}
