/// What the assistant says: heard lines, help, examples, arrival hints, the placement question, the farewell and
/// the summary. Made when shown, from the state; nothing here changes it.
extension Conversation {
    /// What the conversation understands besides answers, for help screens.
    public static let helpText = """
        Answer each question in your own words; there are no wrong answers.
        Say "not sure" for examples, "done" when a list is complete, "go back" to undo your last answer, \
        "no, that's not what I meant" if I filed something in the wrong place, "skip" to leave a question for \
        later (I'll ask again before the end), "show my plan" to see it so far, or "stop" to finish for now \
        (everything is kept). If I name the wrong building block, say "it's more about leadership" (or any block).
        """

    func heardLine(_ field: PlanField, _ entry: ChangePlan.Entry) -> String {
        var details: [String] = []
        if let theme = entry.theme { details.append(theme.blockName) }
        if let baseline = entry.baseline { details.append("from: \(baseline)") }
        if let howMuch = entry.howMuch {
            details.append(entry.baseline == nil ? "how much: \(howMuch)" : "to: \(howMuch)")
        }
        if field == .aim { details.append("by when: \(Self.dated(entry.byWhen, entry.byDate))") }
        if let who = entry.who, field == .steps || field == .partner { details.append("who: \(who)") }
        if field == .steps || field == .checkIns { details.append("when: \(Self.dated(entry.when, entry.date))") }
        if let rhythm = entry.rhythm { details.append(rhythm.rawValue) }
        if let choice = entry.choice { details.append(choice.rawValue) }
        if field == .change { details.insert("\u{201C}\(entry.text)\u{201D}", at: 0) }
        let name = "noted as \(field.itemName)"
        return details.isEmpty ? name : "\(name): \(details.joined(separator: "; "))"
    }

    /// "14th jan (2027-01-14)", or "not said yet".
    static func dated(_ words: String?, _ day: CalendarDay?) -> String {
        guard let words else { return "not said yet" }
        guard let day else { return words }
        return "\(words) (\(day))"
    }

    /// The lines shown when an answer was split into several items.
    func splitNote(count: Int) -> Message {
        Message(.info, "I took that as \(count) separate items. Say \u{201C}no\u{201D} to keep it as one.")
    }

    /// Said when the building block is uncertain: the two likeliest, and how to name one.
    func blockOffer(_ options: [Theme]) -> Message {
        Message(
            .info,
            "This may touch \(options[0].blockName) or \(options[1].blockName). If one fits, say "
                + "\u{201C}it's about \(options[0].rawValue.replacingOccurrences(of: "_", with: " "))\u{201D} (or /block NAME)."
        )
    }

    /// The question asked when an answer may belong elsewhere.
    func placementQuestion(_ pending: Pending, step: Step) -> String {
        "That sounds like \(pending.heard.soundsLike). Add it to \(pending.heard.title) (1), or keep it as "
            + "\(step.field.itemName) (2)?"
    }

    /// Examples from the corpus for the current question, when the person is unsure; asked again, it shows others.
    func examples(for step: Step, round: Int) -> [Message] {
        var cards = step.examples.compactMap(guide.corpus.card)
        var theme: Theme?
        if step.collect == .each, let entry = overEntries(step).dropFirst(state.item).first?.entry {
            theme = entry.theme
        }
        if let expects = step.expects {
            for card in guide.corpus.examples(for: expects, theme: theme, limit: 9) where !cards.contains(card) {
                cards.append(card)
            }
        }
        guard !cards.isEmpty else {
            return [Message(.info, "Anything that comes to mind is a good start; you can change it later.")]
        }
        let start = (round * 3) % cards.count
        let shown = (0..<min(3, cards.count)).map { cards[(start + $0) % cards.count] }
        var messages = [
            Message(.info, round == 0 ? "Here are some examples others have used:" : "Some other examples:")
        ]
        for card in shown {
            var text = "\(card.title): \(Self.firstSentence(card.text))"
            if let idea = card.ideas.first { text += " For instance: \(idea)" }
            text += " (from \u{201C}\(card.source)\u{201D})"
            messages.append(Message(.example, text, card: card.id))
        }
        return messages
    }

    /// Said when the conversation arrives at a new question: its hint, and for a barrier with a
    /// building block, that block's ideas.
    func arrivalMessages() -> [Message] {
        guard let step = currentStep, state.pending == nil else { return [] }
        var messages: [Message] = []
        if state.revisiting, state.answered == 0, state.item == 0 {
            messages.append(Message(.info, "Before we finish, back to a question you skipped:"))
        }
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

    /// The end: the farewell, the plan's summary, its gaps, and how to export or reopen it.
    func farewell() -> [Message] {
        var messages = [Message(.info, flow.farewell)]
        let lines = planSummary()
        if !lines.isEmpty {
            messages.append(
                Message(.info, "Your plan in brief:\n" + lines.map { "\u{2022} \($0)" }.joined(separator: "\n")))
        }
        let gaps = self.gaps
        if !gaps.isEmpty {
            messages.append(
                Message(.warning, "Worth coming back to: " + gaps.map(\.problem).joined(separator: "; ") + "."))
        }
        // The parts named are this flow's own, so a reflection is not told to edit an aim it never asked for.
        let parts = flow.steps.suffix(2).map { "/edit \($0.id)" }.joined(separator: ", ")
        messages.append(
            Message(
                .info, "You can export it (/export md, html, json or ics) or reopen a part to change it (\(parts), …).")
        )
        return messages
    }

    /// The plan's key lines: the change, the aim, the measures, the first step, the partner and the next check-in.
    func planSummary() -> [String] {
        let plan = state.plan
        var lines: [String] = []
        if let change = plan.change.last { lines.append("Change: \(change.text)") }
        if let aim = plan.aim.last { lines.append("Aim: \(aim.text)") }
        if !plan.measures.isEmpty { lines.append("Measures: \(plan.measures.map(\.text).joined(separator: "; "))") }
        if let step = plan.steps.first { lines.append("First step: \(step.text)") }
        if let partner = plan.partner.last { lines.append("Partner: \(partner.who ?? partner.text)") }
        if let checkIn = plan.partnerCheckIns.last {
            lines.append("Check-in: \(Self.dated(checkIn.when ?? checkIn.text, checkIn.date))")
        }
        if let review = plan.reviewDate {
            lines.append("Review: \(Self.dated(review.when ?? review.text, review.date))")
        }
        if let cycle = plan.cycles.last, let decision = cycle.decision {
            lines.append("Decision: \(decision.choice?.rawValue ?? decision.text)")
        }
        return lines
    }

    /// Two lines on where things stand, shown when a session is resumed.
    public func summary() -> [String] {
        let plan = state.plan
        // Every part of the plan this flow has filled, in the flow's order: "context, 2 barriers, an aim".
        var parts: [String] = []
        var seen: Set<PlanField> = []
        for field in flow.steps.map(\.field) where seen.insert(field).inserted {
            let count = plan.entries(field).count
            guard count > 0, field != .change else { continue }
            parts.append(
                count == 1 ? field.itemName.replacingOccurrences(of: "your ", with: "") : "\(count) \(field.title)")
        }
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
            second = "You were at \(stands): \(prompt?.text ?? "")"
        }
        return [first + ".", second]
    }

    static func firstSentence(_ text: String) -> String {
        guard let end = text.firstIndex(where: { ".!?".contains($0) }) else { return text }
        return String(text[...end])
    }
}

extension PlanField {
    /// One item of the field, as in "noted as a barrier" or "keep it as your aim".
    var itemName: String {
        switch self {
        case .principles: "a principle"
        case .barriers: "a barrier"
        case .ideas: "an idea"
        case .waysAround: "a way around"
        case .change: "your small change"
        case .aim: "your aim"
        case .measures: "a measure"
        case .predictions: "a prediction"
        case .steps: "a step"
        case .support: "support"
        case .partner: "your accountability partner"
        case .checkIns: "a check-in"
        case .sustain: "how it lasts"
        case .context: "context"
        case .happened: "what happened"
        case .learning: "learning"
        case .responses: "a response to your partner"
        case .decision: "your decision"
        case .nextCycle: "the next cycle"
        }
    }

    /// What an answer for this field sounds like, for "That sounds like …".
    var soundsLike: String {
        switch self {
        case .principles: "something that matters to you"
        case .barriers: "something that gets in the way"
        case .ideas, .waysAround, .nextCycle, .change: "an idea for a change"
        case .aim: "an aim"
        case .measures: "a way to tell if it's working"
        case .predictions: "a prediction"
        case .steps: "a step you'll take"
        case .support, .partner: "someone who can help"
        case .checkIns: "a check-in"
        case .sustain: "a way to make it last"
        case .context: "context"
        case .happened: "what happened"
        case .learning: "something you learned"
        case .responses: "a response"
        case .decision: "a decision about the change"
        }
    }

    /// Words a person may use for the field ("problem" for barriers), for placement answers and `/edit`.
    var spokenNames: [String] {
        var names = [rawValue, title]
        switch self {
        case .barriers: names += ["barrier", "problem", "problems", "obstacle", "issue", "issues", "gets in the way"]
        case .principles: names += ["principle", "value", "values", "what matters"]
        case .ideas: names += ["idea", "suggestion"]
        case .waysAround: names += ["way around", "ways-around"]
        case .change: names += ["change", "small change", "my change"]
        case .aim: names += ["aims", "goal", "target"]
        case .measures: names += ["measure", "measuring"]
        case .predictions: names += ["prediction", "predict"]
        case .steps: names += ["step", "first step", "action", "actions"]
        case .partner: names += ["accountability", "buddy"]
        case .checkIns: names += ["check-in", "check in", "checkin", "check ins", "checkins"]
        case .sustain: names += ["last", "lasting", "sustainability", "keep it going"]
        case .nextCycle: names += ["next", "next cycle"]
        default: break
        }
        return names
    }
}
