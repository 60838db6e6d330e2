import MCP

/// The prompts a person can pick in their assistant (often as slash commands): each starts a flow and reminds the
/// model that it relays questions and answers and writes neither.
enum PromptCatalog {
    static let all: [Prompt] = [
        Prompt(
            name: "plan-a-small-change", title: "Plan a small change",
            description: "Be guided through planning one small change at work, step by step.",
            arguments: [
                .init(name: "participants", description: "Your name, or two names separated by a comma for a pair.")
            ]),
        Prompt(
            name: "reflect", title: "Five-minute reflection",
            description: "One thing that got in the way this week, a way round it, and one small thing to try."),
        Prompt(
            name: "review-a-change", title: "Review a change",
            description: "Look back on a plan made earlier: what happened, what you learned, what next.",
            arguments: [
                .init(name: "session", description: "The id of the session whose plan to review (s-…).", required: true)
            ]),
    ]

    /// The rules every prompt ends with.
    static let relay = """
        Use the SmallChanges tools. Show me each question exactly as the tool gives it, one at a time, and pass my \
        replies to the answer tool exactly as I write them, with a new client_msg_id each time. Do not answer \
        for me, rephrase my words or fill in anything I have not said.
        """
}

extension MCPService {
    func prompt(_ params: GetPrompt.Parameters) async throws -> GetPrompt.Result {
        let arguments = params.arguments ?? [:]
        switch params.name {
        case "plan-a-small-change":
            let names = (arguments["participants"] ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
            let flow = names.count == 2 ? "pair" : "plan"
            let who = names.isEmpty ? "" : " with participants \(names.map { "\"\($0)\"" }.joined(separator: ", "))"
            return GetPrompt.Result(
                description: "Plan a small change",
                messages: [
                    .user(
                        .text(
                            text: """
                                I'd like to plan a small change at work. Start a SmallChanges session with flow \
                                "\(flow)"\(who). \(PromptCatalog.relay)
                                """))
                ])
        case "reflect":
            return GetPrompt.Result(
                description: "Five-minute reflection",
                messages: [
                    .user(
                        .text(
                            text: """
                                I'd like five minutes to reflect on my week. Start a SmallChanges session with flow \
                                "reflect". \(PromptCatalog.relay)
                                """))
                ])
        case "review-a-change":
            guard let session = arguments["session"], !session.isEmpty else {
                throw MCPError.invalidParams("arguments.session: missing")
            }
            do {
                _ = try await engine.call("session/get", ["sessionId": .string(session)])
            } catch {
                throw MCPError.invalidParams("arguments.session: \(error.message)")
            }
            return GetPrompt.Result(
                description: "Review a change",
                messages: [
                    .user(
                        .text(
                            text: """
                                I'd like to review the change I planned in SmallChanges session \(session) (its plan \
                                is the resource smallchanges://plans/\(session).md). Start a session with flow \
                                "review" and reviewing "\(session)". \(PromptCatalog.relay)
                                """))
                ])
        default:
            throw MCPError.invalidParams("unknown prompt: \(params.name)")
        }
    }
}
