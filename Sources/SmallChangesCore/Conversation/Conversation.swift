public import Foundation

/// One guided session: the state of a flow plus the plan it has built, moved on one input at a time.
///
/// A value type with no I/O: the REPL and the server both feed it inputs and show its replies, so the
/// same answers always give the same plan. Every input becomes a `Turn` in `turns`; replaying those
/// turns into a fresh conversation rebuilds exactly the same state.
public struct Conversation: Sendable {
    public let guide: Guide
    public let flow: Flow
    public let participants: [String]
    /// The event log: everything said, in order.
    public private(set) var turns: [Turn] = []

    var state: State
    /// Snapshots taken before each accepted answer, so "go back" can undo it.
    var history: [State] = []

    struct State: Sendable, Equatable {
        var plan: ChangePlan
        var stepIndex = 0
        /// Position in the `over` list of an `each` step.
        var item = 0
        /// In a pair, whose part of an `each`-audience step it is.
        var partnerIndex = 0
        /// Answers given so far to the current list step.
        var answered = 0
        var pending: Pending?
        var finished = false
        /// In a pair: who speaks next when the question is for both (set by `/who`).
        var nextSpeaker: String?
    }

    /// An answer heard as something other than what the question asked, awaiting confirmation.
    struct Pending: Sendable, Equatable {
        var text: String
        var speaker: String?
        var heard: Intent
        var theme: Theme?
    }

    /// Starts a conversation on a flow.
    ///
    /// - Parameter reviewing: for a review flow, the plan being reviewed; its next PDSA cycle is opened.
    public init(guide: Guide, flow: Flow, participants: [String], reviewing: ChangePlan? = nil) {
        self.guide = guide
        self.flow = flow
        self.participants = participants
        askedFields = Set(flow.steps.map(\.field))
        var plan = reviewing ?? ChangePlan(participants: participants)
        if plan.participants.isEmpty { plan.participants = participants }
        if flow.review { plan.openCycle() }
        state = State(plan: plan)
        settle()
    }

    public var plan: ChangePlan { state.plan }
    public var isFinished: Bool { state.finished }

    /// The fields this flow asks about, for readiness checks that only judge what was asked.
    public let askedFields: Set<PlanField>

    /// What is missing or weak in the plan, among the fields this flow asks about.
    public var gaps: [ReadinessGap] { state.plan.readiness(asking: askedFields) }

    /// How many gaps there are, without describing them.
    public var gapCount: Int { state.plan.readinessGapCount(asking: askedFields) }

    /// Where the session stands, for prompts and listings: "Sparking · step 5 of 14".
    public var whereItStands: String {
        guard !state.finished, flow.steps.indices.contains(state.stepIndex) else { return "finished" }
        return "\(flow.steps[state.stepIndex].stage) · step \(state.stepIndex + 1) of \(flow.steps.count)"
    }

    // MARK: - Inputs

    /// The welcome and the first question. Records nothing.
    public func opening() -> Reply {
        var messages = [Message(.info, flow.welcome)]
        messages += arrivalMessages()
        return Reply(accepted: true, messages: messages, prompt: prompt, finished: state.finished)
    }

    /// Takes one free-text answer.
    ///
    /// - Parameter speaker: who typed it; in a pair, `nil` means the partner the question is for.
    public mutating func answer(_ text: String, speaker: String? = nil, at time: Date) -> Reply {
        let trimmed = Self.trimmingWhitespace(text)
        guard !trimmed.isEmpty else {
            return Reply(
                accepted: false, messages: [Message(.warning, "I didn't catch an answer. Take your time.")],
                prompt: prompt, finished: state.finished)
        }
        guard !state.finished else {
            return Reply(
                accepted: false,
                messages: [Message(.info, "This session is finished: your plan is saved. You can read or export it.")],
                prompt: nil, finished: true)
        }
        let routing = guide.matcher.route(trimmed, expecting: expectedIntent)
        let turn = Turn(kind: .answer, speaker: resolveSpeaker(speaker), text: trimmed, at: time, routing: routing)
        return apply(turn)
    }

    /// Carries out a command (`back`, `skip`, `done`, `who`).
    public mutating func perform(_ command: Command, at time: Date) -> Reply {
        apply(Turn(kind: .command, text: command.name, argument: command.argument, at: time))
    }

    /// Rebuilds the state from a stored log, as if each turn had just been said.
    public mutating func replay(_ log: [Turn]) {
        for turn in log { _ = apply(turn) }
    }

    /// Applies one turn from the log. Answers carry their routing, so replay never routes again.
    ///
    /// The reply's prompt is built here, once: the steps below leave it `nil`.
    @discardableResult
    mutating func apply(_ turn: Turn) -> Reply {
        turns.append(turn)
        let before = position
        var reply: Reply
        switch turn.kind {
        case .command:
            reply = applyCommand(Command(name: turn.text, argument: turn.argument), turn: turn)
        case .answer:
            let routing = turn.routing ?? guide.matcher.route(turn.text, expecting: expectedIntent)
            reply = applyAnswer(turn, routing: routing)
            reply.routed = routing
            // `/who` names the speaker of one answer only.
            if state.pending == nil { state.nextSpeaker = nil }
        }
        if position != before {
            reply.messages += arrivalMessages()
        }
        if state.finished && !reply.finished {
            reply.finished = true
            reply.messages += farewell()
        }
        reply.prompt = state.finished ? nil : prompt
        return reply
    }

    private var position: (step: Int, item: Int, partner: Int, finished: Bool) {
        (state.stepIndex, state.item, state.partnerIndex, state.finished)
    }

    /// The intent the current question expects, as `prompt?.expects` says, without building the prompt.
    var expectedIntent: Intent? {
        guard let step = currentStep else { return nil }
        return state.pending == nil ? step.expects : .yes
    }

    // MARK: - The current question

    var currentStep: Step? {
        guard !state.finished, flow.steps.indices.contains(state.stepIndex) else { return nil }
        return flow.steps[state.stepIndex]
    }

    /// The question the conversation is waiting on, or `nil` when the flow is finished.
    public var prompt: Prompt? {
        guard let step = currentStep else { return nil }
        let speaker = askedSpeaker(step)
        if let pending = state.pending {
            let theme = pending.theme.map { " about \($0.blockName)" } ?? ""
            return Prompt(
                id: step.id + ".confirm", text: "I heard that as \(pending.heard.noun)\(theme): is that right?",
                expects: .yes, type: .yesNo, choices: ["yes", "no"], step: state.stepIndex + 1, of: flow.steps.count,
                stage: step.stage, source: step.source, speaker: speaker)
        }
        var text = (step.collect == .list && state.answered > 0) ? (step.more ?? step.ask) : step.ask
        if step.collect == .each, let entry = overEntries(step).dropFirst(state.item).first?.entry {
            text = Self.fill(text, "{item}", with: entry.text)
        }
        text = Self.fill(text, "{name}", with: speaker ?? "you")
        let partner = participants.first { $0 != speaker } ?? "your partner"
        text = Self.fill(text, "{partner}", with: partner)
        let choices = choiceList(step)
        let type: Prompt.AnswerType =
            switch step.collect {
            case .list: .list
            case .choice: choices.isEmpty ? .text : .choice
            case .one, .each: .text
            }
        return Prompt(
            id: step.id, text: text, expects: step.expects, type: type, choices: choices.isEmpty ? nil : choices,
            step: state.stepIndex + 1, of: flow.steps.count, stage: step.stage, source: step.source, speaker: speaker)
    }

    var isPair: Bool { participants.count > 1 }

    /// Replaces a `{placeholder}` in a question; plain Swift, because the prompt is built on every turn.
    static func fill(_ text: String, _ placeholder: String, with value: String) -> String {
        // A whole UTF-8 sequence can only match at a character boundary, so matching bytes is safe.
        guard UTF8Scan.contains(text, UInt8(ascii: "{")), let first = placeholder.utf8.first else { return text }
        let bytes = Array(text.utf8)
        let pattern = Array(placeholder.utf8)
        var filled: [UInt8] = []
        filled.reserveCapacity(bytes.count + value.utf8.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == first, index + pattern.count <= bytes.count,
                bytes[index..<(index + pattern.count)].elementsEqual(pattern)
            {
                filled.append(contentsOf: value.utf8)
                index += pattern.count
            } else {
                filled.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: filled, as: UTF8.self)
    }

    /// In a pair, who the current question is for.
    func askedSpeaker(_ step: Step) -> String? {
        guard isPair else { return nil }
        if let next = state.nextSpeaker { return next }
        switch step.audience {
        case .each: return participants[min(state.partnerIndex, participants.count - 1)]
        case .both, .anyone: return participants.first
        }
    }

    func resolveSpeaker(_ given: String?) -> String? {
        guard isPair else { return given }
        if let given, let match = participants.first(where: { $0.caseInsensitiveCompare(given) == .orderedSame }) {
            return match
        }
        return currentStep.flatMap(askedSpeaker)
    }

    /// The entries an `each` or `choice` step goes through, with their positions in the plan field.
    func overEntries(_ step: Step) -> [(index: Int, entry: ChangePlan.Entry)] {
        guard let over = step.over else { return [] }
        let all = Array(state.plan.entries(over).enumerated()).map { (index: $0.offset, entry: $0.element) }
        guard isPair, step.audience == .each, let speaker = askedSpeaker(step) else { return all }
        return all.filter { $0.entry.speaker == nil || $0.entry.speaker == speaker }
    }

    func choiceList(_ step: Step) -> [String] {
        guard step.collect == .choice else { return [] }
        if let choices = step.choices, !choices.isEmpty { return choices }
        return overEntries(step).map(\.entry.text)
    }

    // MARK: - Answers

    mutating func applyAnswer(_ turn: Turn, routing: Routing) -> Reply {
        guard let step = currentStep else {
            return Reply(accepted: false, prompt: nil, finished: true)
        }
        if let pending = state.pending {
            return resolvePending(pending, turn: turn, routing: routing, step: step)
        }
        if step.collect == .choice, !routing.intent.isNavigation, let choice = resolveChoice(turn.text, step: step) {
            // A pick stands for what it picked: the entry keeps the words and theme of the idea chosen, not "2".
            let picked = overEntries(step).first { $0.entry.text == choice }?.entry
            return record(
                turn, text: choice, routing: routing, in: step, pick: (picked?.words ?? choice, picked?.theme))
        }
        if let content = longAnswerHeardAsControl(turn.text, routing: routing, step: step) {
            return record(turn, text: turn.text, routing: content, in: step)
        }
        switch routing.intent {
        case .unsure:
            return Reply(accepted: false, messages: examples(for: step), prompt: nil)
        case .help:
            return Reply(accepted: false, messages: [Message(.info, Self.helpText)], prompt: nil)
        case .back:
            return goBack()
        case .skip:
            return skip(step)
        case .done:
            return done(step)
        case .showPlan:
            return Reply(
                accepted: false, messages: [Message(.info, state.plan.markdown(title: flow.title, gaps: gaps))],
                prompt: nil)
        case .quit:
            return Reply(
                accepted: true, messages: [Message(.info, "Stopping here for now: everything you said is kept.")],
                prompt: nil, quit: true)
        case .oos where step.expects == nil, .yes where step.expects == nil, .no where step.expects == nil:
            // An open question (where you work, a word to your partner) takes whatever is said; it can look
            // like small talk or a bare "well done" to the matcher.
            return record(turn, text: turn.text, routing: routing, in: step)
        case .oos:
            return Reply(
                accepted: false,
                messages: [
                    Message(
                        .warning,
                        "That sounds like something outside this session, so I'll leave it. Back to the question:")
                ],
                prompt: nil)
        case .yes, .no:
            return Reply(
                accepted: false,
                messages: [
                    Message(
                        .warning,
                        "Could you say a little more, in your own words? (Say \u{201C}not sure\u{201D} for examples.)")
                ],
                prompt: nil)
        default:
            break
        }
        // Plan content.
        if routing.items.count > 1 {
            return recordItems(turn, routing: routing, step: step)
        }
        if fits(routing.intent, step) {
            return record(turn, text: turn.text, routing: routing, in: step)
        }
        if routing.needsConfirm {
            state.pending = Pending(
                text: turn.text, speaker: turn.speaker, heard: routing.intent,
                theme: routing.intent.hasTheme ? routing.theme : nil)
            return Reply(accepted: false, routed: routing, needsConfirm: true, prompt: nil)
        }
        return recordElsewhere(turn, text: turn.text, intent: routing.intent, theme: routing.theme, step: step)
    }

    /// A long answer only weakly heard as a command ("well done, and ask her to join" is not "done"):
    /// when the question's own kind of answer is among the alternatives, or the question is open, it is
    /// taken as an answer. Returns the routing to record it with, or `nil` to treat it as the command.
    func longAnswerHeardAsControl(_ text: String, routing: Routing, step: Step) -> Routing? {
        // An open question takes almost anything as its answer, so a command there must be clearly meant.
        let doubt = step.expects == nil ? 0.9 : 0.7
        guard !routing.intent.isPlanContent, routing.intent != .oos, routing.confidence < doubt,
            text.split(separator: " ").count >= 6
        else { return nil }
        if step.expects == nil { return routing }
        guard let fitting = routing.alternatives.first(where: { fits($0.intent, step) }) else { return nil }
        var content = routing
        content.intent = fitting.intent
        content.confidence = fitting.confidence
        return content
    }

    /// Whether an answer heard as `intent` belongs in the current step's field.
    func fits(_ intent: Intent, _ step: Step) -> Bool {
        guard intent.isPlanContent else { return false }
        guard let expected = step.expects else { return true }
        if intent == expected { return true }
        let lenient: Set<Intent> =
            switch step.field {
            case .context: Set(Intent.allCases.filter(\.isPlanContent))
            case .waysAround, .change, .nextCycle: [.idea, .step, .support, .sustain, .aim]
            case .happened: [.learning, .prediction, .decision, .barrier, .measure]
            case .partner, .checkIns: [.support, .step]
            case .learning: [.learning, .prediction, .decision]
            case .responses: Set(Intent.allCases.filter(\.isPlanContent))
            default: []
            }
        return lenient.contains(intent)
    }

    mutating func resolvePending(_ pending: Pending, turn: Turn, routing: Routing, step: Step) -> Reply {
        let entryTurn = Turn(kind: .answer, speaker: pending.speaker, text: pending.text, at: turn.at)
        switch routing.intent {
        case .yes:
            state.pending = nil
            return recordElsewhere(
                entryTurn, text: pending.text, intent: pending.heard, theme: pending.theme, step: step)
        case .no:
            state.pending = nil
            let theme = step.expects?.hasTheme == true ? pending.theme : nil
            let heard = Routing(intent: step.expects ?? pending.heard, confidence: 1, theme: theme)
            return record(entryTurn, text: pending.text, routing: heard, in: step)
        case .back:
            state.pending = nil
            return Reply(
                accepted: false, messages: [Message(.info, "All right, I've set that answer aside.")], prompt: nil)
        case .quit, .help, .showPlan:
            var reply = applyAnswerIgnoringPending(turn, routing: routing, step: step)
            reply.needsConfirm = true
            return reply
        default:
            return Reply(
                accepted: false, needsConfirm: true,
                messages: [Message(.warning, "Please say yes or no, so I put it in the right place.")], prompt: nil)
        }
    }

    private mutating func applyAnswerIgnoringPending(_ turn: Turn, routing: Routing, step: Step) -> Reply {
        let saved = state.pending
        state.pending = nil
        let reply = applyAnswer(turn, routing: routing)
        state.pending = saved
        return reply
    }

    /// Records an answer where the current question puts it, and moves on.
    ///
    /// - Parameter pick: for an answer that picked one of the choices offered, the words and theme that go with
    ///   the choice (the matcher's reading of "2" says nothing).
    mutating func record(
        _ turn: Turn, text: String, routing: Routing, in step: Step, pick: (words: String, theme: Theme?)? = nil
    ) -> Reply {
        history.append(state)
        var entry = ChangePlan.Entry(
            text: text, words: pick?.words ?? turn.text, speaker: entrySpeaker(turn, step), asked: step.id)
        if step.field == .barriers || step.field == .ideas || step.field == .waysAround || step.field == .change {
            entry.theme = pick.map(\.theme) ?? (routing.intent.hasTheme ? routing.theme : nil)
        }
        var item: Int?
        if step.collect == .each {
            item = overEntries(step).dropFirst(state.item).first?.index
        }
        state.plan.add(entry, to: step.field, item: item)
        let stored = state.plan.entries(step.field).last ?? entry
        let message = Message(.heard, heardLine(step.field, stored))
        advance(after: step)
        return Reply(accepted: true, messages: [message], prompt: nil)
    }

    /// Records an answer said out of turn in the field its intent belongs to, and asks the question again.
    mutating func recordElsewhere(_ turn: Turn, text: String, intent: Intent, theme: Theme?, step: Step) -> Reply {
        guard let field = PlanField(intent: intent) else {
            return Reply(accepted: false, prompt: nil)
        }
        history.append(state)
        var entry = ChangePlan.Entry(text: text, words: turn.text, speaker: entrySpeaker(turn, step), asked: step.id)
        entry.theme = intent.hasTheme ? theme : nil
        state.plan.add(entry, to: field)
        let stored = state.plan.entries(field).last ?? entry
        return Reply(
            accepted: true,
            messages: [Message(.heard, heardLine(field, stored)), Message(.info, "Back to the question:")],
            prompt: nil)
    }

    /// Records each item of an answer that held several.
    mutating func recordItems(_ turn: Turn, routing: Routing, step: Step) -> Reply {
        history.append(state)
        var messages: [Message] = []
        var inStep = 0
        for item in routing.items where item.intent.isPlanContent {
            let field = fits(item.intent, step) ? step.field : (PlanField(intent: item.intent) ?? step.field)
            var entry = ChangePlan.Entry(
                text: item.text, words: turn.text, speaker: entrySpeaker(turn, step), asked: step.id)
            entry.theme = item.intent.hasTheme ? item.theme : nil
            var position: Int?
            if field == step.field, step.collect == .each {
                position = overEntries(step).dropFirst(state.item).first?.index
            }
            state.plan.add(entry, to: field, item: position)
            if field == step.field { inStep += 1 }
            messages.append(Message(.heard, heardLine(field, state.plan.entries(field).last ?? entry)))
        }
        if inStep > 0 {
            if step.collect == .list { state.answered += inStep - 1 }
            advance(after: step)
        } else {
            messages.append(Message(.info, "Back to the question:"))
        }
        return Reply(accepted: true, messages: messages, prompt: nil)
    }

    func entrySpeaker(_ turn: Turn, _ step: Step) -> String? {
        guard isPair, step.audience != .both else { return nil }
        return turn.speaker
    }

    // MARK: - Moving through the flow

    /// Moves on after an answer was recorded in the current step.
    mutating func advance(after step: Step) {
        switch step.collect {
        case .list:
            state.answered += 1
        case .each:
            state.item += 1
            if state.item >= overEntries(step).count { finishPart(step) }
        case .one, .choice:
            finishPart(step)
        }
    }

    /// Ends the current partner's part of a step, or the step itself.
    mutating func finishPart(_ step: Step) {
        state.answered = 0
        state.item = 0
        if isPair, step.audience == .each, state.partnerIndex + 1 < participants.count {
            state.partnerIndex += 1
            settle()
            return
        }
        state.partnerIndex = 0
        state.stepIndex += 1
        settle()
    }

    /// Skips steps that have nothing to ask about (ways around when no barrier was named).
    mutating func settle() {
        while let step = currentStep {
            if step.collect == .each, overEntries(step).isEmpty {
                if isPair, step.audience == .each, state.partnerIndex + 1 < participants.count {
                    state.partnerIndex += 1
                    continue
                }
                state.partnerIndex = 0
                state.item = 0
                state.stepIndex += 1
                continue
            }
            break
        }
        if state.stepIndex >= flow.steps.count { state.finished = true }
    }

    mutating func skip(_ step: Step) -> Reply {
        history.append(state)
        if step.collect == .each {
            state.item += 1
            if state.item >= overEntries(step).count { finishPart(step) }
        } else {
            finishPart(step)
        }
        return Reply(accepted: true, messages: [Message(.info, "Skipped for now.")], prompt: nil)
    }

    mutating func done(_ step: Step) -> Reply {
        if step.collect == .list, state.answered == 0 {
            return skip(step)
        }
        history.append(state)
        finishPart(step)
        return Reply(
            accepted: true, messages: [Message(.heard, "noted: that's all for \(step.field.title)")], prompt: nil)
    }

    mutating func goBack() -> Reply {
        guard let previous = history.popLast() else {
            return Reply(
                accepted: false, messages: [Message(.info, "There's nothing to go back to yet.")], prompt: nil)
        }
        state = previous
        return Reply(accepted: true, messages: [Message(.info, "Gone back: that answer is undone.")], prompt: nil)
    }

    mutating func applyCommand(_ command: Command?, turn: Turn) -> Reply {
        guard let command else {
            return Reply(
                accepted: false, messages: [Message(.warning, "Unknown command \"\(turn.text)\".")], prompt: nil)
        }
        if state.pending != nil, command != .back {
            state.pending = nil
        }
        guard let step = currentStep else {
            return Reply(accepted: false, prompt: nil, finished: true)
        }
        switch command {
        case .back:
            if state.pending != nil {
                state.pending = nil
                return Reply(
                    accepted: false, messages: [Message(.info, "All right, I've set that answer aside.")],
                    prompt: nil)
            }
            return goBack()
        case .skip:
            return skip(step)
        case .done:
            return done(step)
        case .who(let name):
            guard let match = participants.first(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
                let names = participants.joined(separator: " or ")
                return Reply(
                    accepted: false,
                    messages: [
                        Message(
                            .warning,
                            "\(name) is not in this session: say \(names.isEmpty ? "a participant's name" : names).")
                    ], prompt: nil)
            }
            state.nextSpeaker = match
            return Reply(accepted: true, messages: [Message(.info, "Next answer by \(match).")], prompt: nil)
        }
    }

    /// Finds which of the offered choices an answer picks: by number, by name, or by its words.
    func resolveChoice(_ text: String, step: Step) -> String? {
        let choices = choiceList(step)
        guard !choices.isEmpty else { return nil }
        let lower = text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        let ordinals = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
        let digits = lower.filter(\.isNumber)
        if !digits.isEmpty, lower.count <= 12, let number = Int(digits), choices.indices.contains(number - 1) {
            return choices[number - 1]
        }
        if let index = ordinals.firstIndex(where: { lower.range(of: "\\b\($0)\\b", options: .regularExpression) != nil }
        ),
            choices.indices.contains(index), lower.split(separator: " ").count <= 4
        {
            return choices[index]
        }
        if let exact = choices.first(where: { $0.lowercased() == lower }) { return exact }
        // "adapt: move it to Tuesdays" picks adapt and keeps the words, which say how.
        if step.field == .decision, let choice = Extraction.choice(in: text),
            choices.contains(where: { $0.lowercased().hasPrefix(choice.rawValue) })
        {
            return text
        }
        if lower.count >= 4, let match = choices.first(where: { $0.lowercased().contains(lower) }) { return match }
        return nil
    }

    // MARK: - What the assistant says

    /// What the conversation understands besides answers, for help screens.

    public static let helpText = """
        Answer each question in your own words; there are no wrong answers.
        Say "not sure" for examples, "done" when a list is complete, "go back" to undo your last answer, \
        "skip" to leave a question for later, "show my plan" to see it so far, or "stop" to finish for now \
        (everything is kept).
        """

    func heardLine(_ field: PlanField, _ entry: ChangePlan.Entry) -> String {
        var details: [String] = []
        if let theme = entry.theme { details.append(theme.blockName) }
        if let howMuch = entry.howMuch { details.append("how much: \(howMuch)") }
        if field == .aim { details.append("by when: \(entry.byWhen ?? "not said yet")") }
        if let who = entry.who, field == .steps { details.append("who: \(who)") }
        if field == .steps || field == .checkIns { details.append("when: \(entry.when ?? "not said yet")") }
        if let choice = entry.choice { details.append(choice.rawValue) }
        if field == .change { details.insert("\u{201C}\(entry.text)\u{201D}", at: 0) }
        let name: String =
            switch field {
            case .principles: "noted as a principle"
            case .barriers: "noted as a barrier"
            case .ideas: "noted as an idea"
            case .waysAround: "noted as a way around"
            case .change: "noted as your small change"
            case .aim: "noted as your aim"
            case .measures: "noted as a measure"
            case .predictions: "noted as a prediction"
            case .steps: "noted as a step"
            case .support: "noted as support"
            case .partner: "noted as your accountability partner"
            case .checkIns: "noted as a check-in"
            case .sustain: "noted as how it lasts"
            case .context: "noted as context"
            case .happened: "noted as what happened"
            case .learning: "noted as learning"
            case .responses: "noted as a response to your partner"
            case .decision: "noted as your decision"
            case .nextCycle: "noted for the next cycle"
            }
        return details.isEmpty ? name : "\(name): \(details.joined(separator: "; "))"
    }

    /// Examples from the corpus for the current question, when the person is unsure.
    func examples(for step: Step) -> [Message] {
        var cards = step.examples.compactMap(guide.corpus.card)
        var theme: Theme?
        if step.collect == .each, let entry = overEntries(step).dropFirst(state.item).first?.entry {
            theme = entry.theme
        }
        if cards.isEmpty, let expects = step.expects {
            cards = guide.corpus.examples(for: expects, theme: theme, limit: 3)
        }
        var messages = [Message(.info, "Here are some examples others have used:")]
        for card in cards.prefix(3) {
            var text = "\(card.title): \(Self.firstSentence(card.text))"
            if let idea = card.ideas.first { text += " For instance: \(idea)" }
            text += " (from \u{201C}\(card.source)\u{201D})"
            messages.append(Message(.example, text, card: card.id))
        }
        if cards.isEmpty {
            messages = [Message(.info, "Anything that comes to mind is a good start; you can change it later.")]
        }
        return messages
    }

    /// Said when the conversation arrives at a new question: its hint, and for a barrier with a
    /// building block, that block's ideas.
    func arrivalMessages() -> [Message] {
        guard let step = currentStep, state.pending == nil else { return [] }
        var messages: [Message] = []
        if state.answered == 0, state.item == 0, state.partnerIndex == 0, let hint = step.hint {
            messages.append(Message(.info, hint))
        }
        if step.collect == .each, step.over == .barriers,
            let theme = overEntries(step).dropFirst(state.item).first?.entry.theme,
            let block = guide.corpus.block(theme), !block.ideas.isEmpty
        {
            let ideas = block.ideas.prefix(2).map { "\u{2022} \($0)" }.joined(separator: "\n")
            messages.append(
                Message(
                    .example, "This touches \(theme.blockName). Ideas from that building block:\n\(ideas)",
                    card: block.id))
        }
        return messages
    }

    func farewell() -> [Message] {
        var messages = [Message(.info, flow.farewell)]
        let gaps = self.gaps
        if !gaps.isEmpty {
            messages.append(
                Message(.warning, "Worth coming back to: " + gaps.map(\.problem).joined(separator: "; ") + "."))
        }
        return messages
    }

    /// Two lines on where things stand, shown when a session is resumed.
    public func summary() -> [String] {
        let plan = state.plan
        var parts: [String] = []
        func count(_ n: Int, _ noun: String) { if n > 0 { parts.append("\(n) \(noun)\(n == 1 ? "" : "s")") } }
        count(plan.principles.count, "principle")
        count(plan.barriers.count, "barrier")
        count(plan.ideas.count, "idea")
        count(plan.steps.count, "step")
        var first = "\(flow.title): " + (parts.isEmpty ? "nothing written yet" : parts.joined(separator: ", "))
        if let change = plan.change.last { first += "; your change: \u{201C}\(change.text)\u{201D}" }
        let second: String
        if state.finished {
            let gaps = self.gaps
            second =
                gaps.isEmpty
                ? "Finished, and the plan is ready."
                : "Finished; still open: \(gaps.map(\.problem).prefix(2).joined(separator: "; "))."
        } else {
            second = "You were at \(whereItStands): \(prompt?.text ?? "")"
        }
        return [first + ".", second]
    }

    /// `text` without leading and trailing white space, as Foundation's `trimmingCharacters(in:
    /// .whitespacesAndNewlines)` trims it, in plain Swift because it runs on every answer.
    static func trimmingWhitespace(_ text: String) -> String {
        // Foundation's set is Unicode `White_Space` plus U+200B ZERO WIDTH SPACE (once a space separator).
        let trimmed = Substring(text).trimmingScalars { $0.properties.isWhitespace || $0 == "\u{200B}" }
        return trimmed.utf8.count == text.utf8.count ? text : String(trimmed)
    }

    static func firstSentence(_ text: String) -> String {
        guard let end = text.firstIndex(where: { ".!?".contains($0) }) else { return text }
        return String(text[...end])
    }
}

extension Intent {
    /// Intents that move around the conversation rather than answer a choice.
    var isNavigation: Bool {
        [.back, .skip, .help, .quit, .showPlan, .unsure, .done].contains(self)
    }
}
