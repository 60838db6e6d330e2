public import Foundation

/// One guided session: the state of a flow plus the plan it has built, moved on one input at a time.
///
/// A value type with no I/O: the REPL and the server both feed it inputs and show its replies, so the
/// same answers always give the same plan. Every input becomes a `Turn` in `turns`; replaying those
/// turns into a fresh conversation rebuilds exactly the same state. What an answer means is decided by
/// `AnswerPolicy`; this type moves through the flow and carries the decision out.
public struct Conversation: Sendable {
    public let guide: Guide
    public let flow: Flow
    public let participants: [String]
    /// The event log: everything said, in order.
    public private(set) var turns: [Turn] = []

    var state: State
    /// Snapshots taken before each accepted answer, so "go back" can undo it.
    var history: [State] = []
    /// Figures logged for the measures, kept beside the state so "go back" never undoes them.
    var logged: [MeasureValue] = []

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
        /// In a pair, on a question each partner answers: who has had their turn at it, so after `/who` the
        /// question goes to the partner who has not, and nobody is asked twice.
        var partsDone: Set<String> = []
        /// The last answer stored, so a correction can say what it takes back and "no" can join a split list.
        var last: LastAnswer?
        /// How many times "not sure" was said at this question, so each time shows other examples.
        var unsureCount = 0
        /// Questions skipped with nothing said, asked again before the end.
        var skipped: [Int] = []
        /// Questions already asked again, so a second skip lets them go.
        var revisited: Set<Int> = []
        /// True when the last answer was not kept (asked again): a correction then has nothing of it to take back.
        var lastRejected = false
        /// True while answering a question out of order (a skipped one, or one reopened with `/edit`): once it is
        /// answered the conversation goes back to the end.
        var revisiting = false
    }

    /// An answer that may belong elsewhere, waiting for the person to say where.
    struct Pending: Sendable, Equatable {
        var text: String
        var speaker: String?
        /// Where it sounded like it belongs.
        var heard: PlanField
        var theme: Theme?
    }

    /// The last answer stored and where it went.
    struct LastAnswer: Sendable, Equatable {
        var words: String
        var speaker: String?
        var fields: [PlanField]
        /// True when it was split into several items.
        var split: Bool
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

    public var plan: ChangePlan { state.plan.recording(logged) }
    public var isFinished: Bool { state.finished }

    /// The fields this flow asks about, for readiness checks that only judge what was asked.
    public let askedFields: Set<PlanField>

    /// What is missing or weak in the plan, among the fields this flow asks about.
    public var gaps: [ReadinessGap] { state.plan.readiness(asking: askedFields) }

    /// How many gaps there are, without describing them.
    public var gapCount: Int { state.plan.readinessGapCount(asking: askedFields) }

    /// Where the session stands, for prompts and listings: "Sparking · step 5 of 14".
    public var stands: String { Flow.stands(at: position, in: flow) }

    /// The question the session is at, by its step's id and number; `nil` once finished.
    public var position: SessionRecord.Position? {
        guard !state.finished, flow.steps.indices.contains(state.stepIndex) else { return nil }
        let numbering = self.numbering
        return SessionRecord.Position(stepID: flow.steps[state.stepIndex].id, step: numbering.step, of: numbering.of)
    }

    // MARK: - Inputs

    /// The welcome and the first question. Records nothing.
    public func opening() -> Reply {
        var messages = [Message(.info, flow.welcome)] + studyOpening()
        messages += arrivalMessages()
        return Reply(accepted: true, messages: messages, prompt: prompt, finished: state.finished)
    }

    /// Takes one free-text answer.
    ///
    /// - Parameter speaker: who typed it; in a pair, `nil` means the partner the question is for.
    public mutating func answer(_ text: String, speaker: String? = nil, at time: Date) -> Reply {
        // Foundation's `.whitespacesAndNewlines` is Unicode's White_Space property.
        let trimmed = String(Substring(text).trimmingScalars { $0.properties.isWhitespace })
        guard !trimmed.isEmpty else {
            return Reply(
                accepted: false, messages: [Message(.warning, "I didn't catch an answer. Take your time.")],
                prompt: prompt, finished: state.finished)
        }
        guard !state.finished else {
            return Reply(
                accepted: false,
                messages: [
                    Message(
                        .info,
                        "This session is finished: your plan is saved. You can read or export it, or reopen a part "
                            + "with /edit.")
                ],
                prompt: nil, finished: true)
        }
        var routing = guide.matcher.route(trimmed, expecting: expectedIntent)
        // What follows a correction ("no, that's not my aim. my aim is ...") is routed now, against the question
        // the correction goes back to, and kept with the turn so replay never routes again.
        let correction = Correction.read(trimmed)
        if let rest = correction?.rest {
            let back = history.last.flatMap {
                flow.steps.indices.contains($0.stepIndex) ? flow.steps[$0.stepIndex] : nil
            }
            var heard = guide.matcher.route(rest, expecting: back?.expects ?? expectedIntent)
            if heard.items.count > 1 { heard.items = [] }
            routing.items = [Routing.Item(text: rest, intent: heard.intent, theme: heard.theme)]
        }
        let turn = Turn(kind: .answer, speaker: resolveSpeaker(speaker), text: trimmed, at: time, routing: routing)
        return apply(turn, correction: correction)
    }

    /// Carries out a command (`back`, `skip`, `done`, `who`, `edit`, `block`).
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
        apply(turn, correction: turn.kind == .answer ? Correction.read(turn.text) : nil)
    }

    /// Applies one turn, given what `Correction.read` makes of an answer's text: read once per answer.
    mutating func apply(_ turn: Turn, correction: Correction?) -> Reply {
        turns.append(turn)
        let before = place
        let wasFinished = state.finished
        var reply: Reply
        switch turn.kind {
        case .command:
            reply = applyCommand(Command(name: turn.text, argument: turn.argument), turn: turn)
        case .answer:
            let routing = turn.routing ?? guide.matcher.route(turn.text, expecting: expectedIntent)
            let kept = history.count
            reply = applyAnswer(turn, routing: routing, correction: correction)
            if history.count > kept { state.lastRejected = false }
            reply.routed = routing
            // `/who` names the speaker of one answer only.
            if state.pending == nil { state.nextSpeaker = nil }
        case .measurement:
            reply = applyMeasurement(turn)
        }
        if place != before {
            reply.messages += arrivalMessages()
        }
        if state.finished && !wasFinished {
            reply.finished = true
            reply.messages += farewell()
        }
        reply.finished = reply.finished || state.finished
        reply.prompt = state.finished ? nil : prompt
        return reply
    }

    private var place: (step: Int, item: Int, partner: Int, finished: Bool) {
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
            return Prompt(
                id: step.id + ".place", text: placementQuestion(pending, step: step), expects: .yes, type: .choice,
                choices: [pending.heard.title, step.field.title], step: numbering.step, of: numbering.of,
                stage: step.stage, source: step.source, speaker: speaker)
        }
        var text = (step.collect == .list && state.answered > 0) ? (step.more ?? step.ask) : step.ask
        if step.collect == .each, let entry = overEntries(step).dropFirst(state.item).first?.entry {
            text = text.replacingOccurrences(of: "{item}", with: entry.text)
        }
        // Most questions name nobody: only those with a placeholder are searched for one.
        if text.utf8.contains(UInt8(ascii: "{")) {
            text = text.replacingOccurrences(of: "{name}", with: speaker ?? "you")
            let partner = participants.first { $0 != speaker } ?? "your partner"
            text = text.replacingOccurrences(of: "{partner}", with: partner)
        }
        let choices = choiceList(step)
        let type: Prompt.AnswerType =
            switch step.collect {
            case .list: .list
            case .choice: choices.isEmpty ? .text : .choice
            case .one, .each: .text
            }
        return Prompt(
            id: step.id, text: text, expects: step.expects, type: type, choices: choices.isEmpty ? nil : choices,
            step: numbering.step, of: numbering.of, stage: step.stage, source: step.source, speaker: speaker)
    }

    var isPair: Bool { participants.count > 1 }

    /// "Step 2 of 5", counting only the questions there is something to ask about: a review with no prediction
    /// to look back on has no "what happened to your prediction?" question, and starts at step 1.
    var numbering: (step: Int, of: Int) {
        func asked(_ step: Step) -> Bool {
            guard step.collect == .each, let over = step.over else { return true }
            return !state.plan.entries(over).isEmpty
        }
        let before = flow.steps.prefix(state.stepIndex).filter(asked).count
        return (before + 1, flow.steps.filter(asked).count)
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

    func policy(for step: Step, at time: Date) -> AnswerPolicy {
        AnswerPolicy(
            step: step, choices: choiceList(step), askedFields: askedFields,
            canTakeBack: !history.isEmpty && !state.lastRejected,
            lastWasSplit: state.last?.split == true && state.last?.fields.isEmpty == false,
            answeredHere: state.answered,
            today: CalendarDay(time))
    }

    mutating func applyAnswer(_ turn: Turn, routing: Routing, correction: Correction?) -> Reply {
        guard let step = currentStep else {
            return Reply(accepted: false, prompt: nil, finished: true)
        }
        if let pending = state.pending {
            return resolvePlacement(pending, turn: turn, routing: routing, step: step)
        }
        if step.field == .barriers || step.field == .ideas || step.field == .waysAround || step.field == .change,
            let corrected = ThemeCorrection.read(turn.text)
        {
            return correctTheme(corrected)
        }
        let decision = policy(for: step, at: turn.at).decide(turn.text, routing: routing, correction: correction)
        return carryOut(decision, turn: turn, routing: routing, step: step)
    }

    mutating func carryOut(_ decision: AnswerPolicy.Decision, turn: Turn, routing: Routing, step: Step) -> Reply {
        switch decision {
        case .fileHere(let heard):
            return record(turn, text: turn.text, routing: heard, in: step)
        case .fileItems(let items):
            return recordItems(turn, items: items, step: step)
        case .fileElsewhere(let field, let theme):
            return recordElsewhere(turn, text: turn.text, field: field, theme: theme, step: step)
        case .askWhere(let field, let theme):
            state.pending = Pending(text: turn.text, speaker: turn.speaker, heard: field, theme: theme)
            return Reply(accepted: false, routed: routing, needsConfirm: true, prompt: nil)
        case .pick(let index):
            return pick(index, turn: turn, routing: routing, step: step)
        case .takeBack(let correction):
            return takeBack(correction, turn: turn, routing: routing)
        case .joinLast:
            return joinLast(turn)
        case .control(let intent):
            return control(intent, step: step)
        case .askAgain(let reason):
            state.lastRejected = true
            return askAgain(reason, step: step)
        }
    }

    mutating func control(_ intent: Intent, step: Step) -> Reply {
        switch intent {
        case .unsure:
            let round = state.unsureCount
            state.unsureCount += 1
            return Reply(accepted: false, messages: examples(for: step, round: round), prompt: nil)
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
                accepted: false, messages: [Message(.info, plan.markdown(title: flow.title, gaps: gaps))],
                prompt: nil)
        case .quit:
            return Reply(
                accepted: true, messages: [Message(.info, "Stopping here for now: everything you said is kept.")],
                prompt: nil, quit: true)
        default:
            return askAgain(.sayMore, step: step)
        }
    }

    func askAgain(_ reason: AnswerPolicy.Reason, step: Step) -> Reply {
        let text: String =
            switch reason {
            case .outOfScope:
                "That doesn't seem to be about your plan, so I've left it out. Back to the question:"
            case .sayMore:
                "Could you say a little more, in your own words? (Say \u{201C}not sure\u{201D} for examples.)"
            case .unclearChoice:
                "Which one do you mean? Say its number: "
                    + choiceList(step).enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "; ")
                    + (step.field == .change ? ". Or describe a different change in a sentence." : ".")
            case .nothingToTakeBack:
                "There's nothing to take back yet. Back to the question:"
            }
        return Reply(accepted: false, messages: [Message(.warning, text)], prompt: nil)
    }

    /// The answer to "Add it to X (1), or keep it as Y (2)?".
    mutating func resolvePlacement(_ pending: Pending, turn: Turn, routing: Routing, step: Step) -> Reply {
        let entryTurn = Turn(kind: .answer, speaker: pending.speaker, text: pending.text, at: turn.at)
        let options = [pending.heard, step.field]
        var chosen: Int?
        if Correction.read(turn.text) != nil || routing.intent == .back {
            state.pending = nil
            return Reply(
                accepted: false, messages: [Message(.info, "All right, I've set that answer aside.")], prompt: nil)
        }
        if let index = ChoiceReading.pick(turn.text, from: options.map(\.title), field: step.field) {
            chosen = index
        } else if let index = options.firstIndex(where: { field in
            let lower = turn.text.lowercased()
            return field.spokenNames.contains { lower.contains($0) }
        }) {
            chosen = index
        } else if lowerWords(turn.text).contains(where: { ["keep", "here", "leave"].contains($0) }) {
            chosen = 1
        } else if routing.intent == .yes {
            chosen = 0
        } else if routing.intent == .no {
            chosen = 1
        }
        switch chosen {
        case 0:
            state.pending = nil
            return recordElsewhere(
                entryTurn, text: pending.text, field: pending.heard, theme: pending.theme, step: step)
        case 1:
            state.pending = nil
            let theme = step.expects?.hasTheme == true ? pending.theme : nil
            let heard = Routing(intent: step.expects ?? .idea, confidence: 1, theme: theme)
            return record(entryTurn, text: pending.text, routing: heard, in: step)
        default:
            if [.quit, .help, .showPlan].contains(routing.intent) {
                var reply = control(routing.intent, step: step)
                reply.needsConfirm = true
                return reply
            }
            return Reply(
                accepted: false, needsConfirm: true,
                messages: [Message(.warning, "Please say 1 or 2, so I put it in the right place.")], prompt: nil)
        }
    }

    func lowerWords(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter }.map(String.init)
    }

    /// Takes back the last answer, says which, and files what the correction says where it belongs.
    mutating func takeBack(_ correction: Correction, turn: Turn, routing: Routing) -> Reply {
        guard let previous = history.popLast() else {
            return askAgain(.nothingToTakeBack, step: currentStep ?? flow.steps[0])
        }
        let taken = state.last
        state = previous
        var messages: [Message] = []
        if let taken {
            let place = taken.fields.first.map { " (it was noted as \($0.itemName))" } ?? ""
            messages.append(Message(.info, "Taken back: \u{201C}\(taken.words)\u{201D}\(place)."))
        } else {
            messages.append(Message(.info, "Taken back: your last answer."))
        }
        guard let step = currentStep else { return Reply(accepted: true, messages: messages, prompt: nil) }
        if let taken, correction.oneThing || (taken.split && correction.belongs == nil && correction.rest == nil) {
            let heard = Routing(intent: step.expects ?? .idea, confidence: 1)
            let retold = Turn(kind: .answer, speaker: taken.speaker, text: taken.words, at: turn.at)
            var reply = record(retold, text: taken.words, routing: heard, in: step)
            reply.messages = messages + reply.messages
            return reply
        }
        if let taken, let field = correction.belongs, askedFields.contains(field) {
            let retold = Turn(kind: .answer, speaker: taken.speaker, text: taken.words, at: turn.at)
            if field == step.field {
                let heard = Routing(intent: step.expects ?? .idea, confidence: 1)
                let reply = record(retold, text: taken.words, routing: heard, in: step)
                messages += reply.messages
            } else {
                let theme = field == .barriers || field == .ideas ? guide.matcher.theme(of: taken.words) : nil
                let reply = recordElsewhere(retold, text: taken.words, field: field, theme: theme, step: step)
                messages += reply.messages.filter { $0.kind == .heard }
            }
        }
        if let rest = routing.items.first, correction.rest != nil, let step = currentStep {
            let restTurn = Turn(kind: .answer, speaker: turn.speaker, text: rest.text, at: turn.at)
            let restRouting = Routing(intent: rest.intent, confidence: 1, theme: rest.theme)
            let decision = policy(for: step, at: turn.at).decide(
                rest.text, routing: restRouting, correction: Correction.read(rest.text))
            // What follows a correction is kept only as an answer: never a second undo, skip or stop.
            guard case .fileHere = decision, rest.intent.isPlanContent else {
                messages.append(Message(.info, "Let's try that again:"))
                return Reply(accepted: true, messages: messages, prompt: nil)
            }
            let reply = carryOut(decision, turn: restTurn, routing: restRouting, step: step)
            messages += reply.messages
            return Reply(accepted: true, needsConfirm: reply.needsConfirm, messages: messages, prompt: nil)
        }
        messages.append(Message(.info, "Let's try that again:"))
        return Reply(accepted: true, messages: messages, prompt: nil)
    }

    /// "No" right after a list answer was split: the items become one again.
    mutating func joinLast(_ turn: Turn) -> Reply {
        guard let taken = state.last, let previous = history.popLast() else {
            return askAgain(.nothingToTakeBack, step: currentStep ?? flow.steps[0])
        }
        state = previous
        guard let step = currentStep else { return Reply(accepted: true, prompt: nil) }
        let retold = Turn(kind: .answer, speaker: taken.speaker, text: taken.words, at: turn.at)
        let heard = Routing(intent: step.expects ?? .idea, confidence: 1, theme: nil)
        var reply = record(retold, text: taken.words, routing: heard, in: step)
        reply.messages.insert(Message(.info, "Kept as one item."), at: 0)
        return reply
    }

    /// "It's more about leadership": sets the building block of the last barrier or idea.
    mutating func correctTheme(_ theme: Theme) -> Reply {
        guard let field = state.last?.fields.last, [.barriers, .ideas, .waysAround, .change].contains(field),
            state.plan.setThemeOfLast(field, to: theme)
        else {
            return Reply(
                accepted: false,
                messages: [Message(.warning, "There's no barrier or idea yet to give a building block to.")],
                prompt: nil)
        }
        return Reply(
            accepted: true, messages: [Message(.heard, "building block changed to \(theme.blockName)")], prompt: nil)
    }

    /// Records the choice at `index` of a choice question.
    mutating func pick(_ index: Int, turn: Turn, routing: Routing, step: Step) -> Reply {
        let choices = choiceList(step)
        guard choices.indices.contains(index) else { return askAgain(.unclearChoice, step: step) }
        let choice = choices[index]
        // A pick stands for what it picked: the entry keeps the words and theme of the idea chosen, not "2".
        if step.field == .decision {
            // "adapt: move it to Tuesdays" picks adapt and keeps the words, which say how.
            let text = turn.text.split(separator: " ").count > 1 ? turn.text : choice
            return record(turn, text: text, routing: routing, in: step)
        }
        let picked = overEntries(step).first { $0.entry.text == choice }?.entry
        return record(turn, text: choice, routing: routing, in: step, pick: (picked?.words ?? choice, picked?.theme))
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
        state.plan.add(entry, to: step.field, item: item, today: CalendarDay(turn.at))
        state.last = LastAnswer(
            words: pick?.words ?? turn.text, speaker: turn.speaker, fields: [step.field], split: false)
        let stored = state.plan.entries(step.field).last ?? entry
        var messages = [Message(.heard, heardLine(step.field, stored))]
        if stored.theme == nil, pick == nil, let options = routing.themeOptions, options.count == 2,
            [.barriers, .ideas, .waysAround, .change].contains(step.field)
        {
            messages.append(blockOffer(options))
        }
        advance(after: step, speaker: isPair ? turn.speaker : nil)
        return Reply(accepted: true, messages: messages, prompt: nil)
    }

    /// Records an answer said out of turn in the field it belongs to, and asks the question again.
    mutating func recordElsewhere(_ turn: Turn, text: String, field: PlanField, theme: Theme?, step: Step) -> Reply {
        history.append(state)
        var entry = ChangePlan.Entry(text: text, words: turn.text, speaker: entrySpeaker(turn, step), asked: step.id)
        entry.theme = field == .barriers || field == .ideas ? theme : nil
        state.plan.add(entry, to: field, today: CalendarDay(turn.at))
        state.last = LastAnswer(words: turn.text, speaker: turn.speaker, fields: [field], split: false)
        let stored = state.plan.entries(field).last ?? entry
        return Reply(
            accepted: true,
            messages: [Message(.heard, heardLine(field, stored)), Message(.info, "Back to the question:")],
            prompt: nil)
    }

    /// Records each item of an answer that held several.
    mutating func recordItems(_ turn: Turn, items: [Routing.Item], step: Step) -> Reply {
        history.append(state)
        var messages: [Message] = []
        var inStep = 0
        var fields: [PlanField] = []
        for item in items where item.intent.isPlanContent {
            let policy = policy(for: step, at: turn.at)
            var field = step.field
            if !policy.fits(item.intent), let elsewhere = PlanField(intent: item.intent),
                askedFields.contains(elsewhere)
            {
                field = elsewhere
            }
            var entry = ChangePlan.Entry(
                text: item.text, words: turn.text, speaker: entrySpeaker(turn, step), asked: step.id)
            if field == .barriers || field == .ideas || field == .waysAround || field == .change {
                entry.theme = item.intent.hasTheme ? item.theme : nil
            }
            var position: Int?
            if field == step.field, step.collect == .each {
                position = overEntries(step).dropFirst(state.item).first?.index
            }
            state.plan.add(entry, to: field, item: position, today: CalendarDay(turn.at))
            fields.append(field)
            if field == step.field { inStep += 1 }
            messages.append(Message(.heard, heardLine(field, state.plan.entries(field).last ?? entry)))
        }
        // A list the person laid out stays a list, and "no" then closes it; clauses split at "and" are joined
        // again by "no".
        let joinable = AnswerSplitter.pieces(turn.text).kind == .clauses
        state.last = LastAnswer(words: turn.text, speaker: turn.speaker, fields: fields, split: joinable)
        if joinable { messages.append(splitNote(count: fields.count)) }
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

    /// Moves on after an answer was recorded in the current step; `speaker` is who gave it, in a pair.
    mutating func advance(after step: Step, speaker: String? = nil) {
        switch step.collect {
        case .list:
            state.answered += 1
        case .each:
            state.item += 1
            if state.item >= overEntries(step).count { finishPart(step) }
        case .one, .choice:
            finishPart(step, by: speaker)
        }
    }

    /// Ends a partner's part of a step (`by` the partner who answered, when `/who` named another), or the step.
    mutating func finishPart(_ step: Step, by speaker: String? = nil) {
        state.answered = 0
        state.item = 0
        state.unsureCount = 0
        if isPair, step.audience == .each {
            state.partsDone.insert(speaker ?? participants[min(state.partnerIndex, participants.count - 1)])
            if let next = participants.firstIndex(where: { !state.partsDone.contains($0) }) {
                state.partnerIndex = next
                settle()
                return
            }
        }
        state.partsDone = []
        state.partnerIndex = 0
        state.stepIndex = state.revisiting ? flow.steps.count : state.stepIndex + 1
        state.revisiting = false
        settle()
    }

    /// Skips steps that have nothing to ask about (ways around when no barrier was named), and before the end
    /// goes back to a question that was skipped.
    mutating func settle() {
        while let step = currentStep {
            if step.collect == .each, overEntries(step).isEmpty {
                if isPair, step.audience == .each {
                    state.partsDone.insert(participants[min(state.partnerIndex, participants.count - 1)])
                    if let next = participants.firstIndex(where: { !state.partsDone.contains($0) }) {
                        state.partnerIndex = next
                        continue
                    }
                }
                state.partsDone = []
                state.partnerIndex = 0
                state.item = 0
                state.stepIndex = state.revisiting ? flow.steps.count : state.stepIndex + 1
                state.revisiting = false
                continue
            }
            break
        }
        if state.stepIndex >= flow.steps.count {
            if let again = state.skipped.first(where: { !state.revisited.contains($0) }) {
                state.skipped.removeAll { $0 == again }
                state.revisited.insert(again)
                state.stepIndex = again
                state.revisiting = true
                settle()
                return
            }
            state.finished = true
        }
    }

    /// Leaves the question; `later` (a skip, not "that's all") asks it again before the end if nothing was said.
    mutating func skip(_ step: Step, later: Bool = true) -> Reply {
        history.append(state)
        if step.collect == .each {
            state.item += 1
            if state.item >= overEntries(step).count { finishPart(step) }
        } else {
            let nothingSaid = state.answered == 0 && state.plan.entries(step.field).isEmpty
            if later, nothingSaid, !state.revisited.contains(state.stepIndex), !(isPair && step.audience == .each) {
                state.skipped.append(state.stepIndex)
            }
            finishPart(step)
        }
        let note =
            later && state.skipped.contains(where: { !state.revisited.contains($0) }) && step.collect != .each
            ? "Skipped for now: I'll ask again before the end." : "Skipped."
        return Reply(accepted: true, messages: [Message(.info, note)], prompt: nil)
    }

    mutating func done(_ step: Step) -> Reply {
        if step.collect != .list || state.answered == 0 {
            return skip(step, later: false)
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
        let taken = state.last
        state = previous
        let what = taken.map { " It was: \u{201C}\($0.words)\u{201D}." } ?? ""
        return Reply(
            accepted: true, messages: [Message(.info, "Gone back: that answer is undone.\(what)")], prompt: nil)
    }

    /// Reopens a finished plan's question (`/edit aim`), to answer it again; then the plan is finished again.
    mutating func edit(_ name: String) -> Reply {
        let lower = name.lowercased().trimmingCharacters(in: .whitespaces)
        guard
            let index = flow.steps.firstIndex(where: { $0.id == lower || $0.field.spokenNames.contains(lower) })
        else {
            let names = flow.steps.map(\.id).joined(separator: ", ")
            return Reply(
                accepted: false,
                messages: [Message(.warning, "There is no \u{201C}\(name)\u{201D} to edit: say one of \(names).")],
                prompt: nil)
        }
        history.append(state)
        state.pending = nil
        state.finished = false
        state.stepIndex = index
        state.answered = 0
        state.item = 0
        state.partnerIndex = 0
        state.revisiting = true
        settle()
        return Reply(
            accepted: true, messages: [Message(.info, "Reopened: \(flow.steps[index].field.title).")], prompt: nil)
    }

    mutating func applyCommand(_ command: Command?, turn: Turn) -> Reply {
        guard let command else {
            return Reply(
                accepted: false, messages: [Message(.warning, "Unknown command \"\(turn.text)\".")], prompt: nil)
        }
        if case .edit(let name) = command { return edit(name) }
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
        case .edit:
            return Reply(accepted: false, prompt: nil)
        case .block(let name):
            guard let theme = Theme.named(name) else {
                let names = Theme.allCases.map(\.rawValue).joined(separator: ", ")
                return Reply(
                    accepted: false,
                    messages: [Message(.warning, "\(name) is not a building block: say one of \(names).")],
                    prompt: nil)
            }
            return correctTheme(theme)
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
}
