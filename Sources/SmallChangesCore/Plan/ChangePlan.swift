/// A change plan: what matters, what gets in the way, the one small change, and how it will be tested,
/// supported and kept going (Plan-Do-Study-Act).
///
/// Every entry keeps the person's own words beside what was made of them, and who said it.
public struct ChangePlan: Codable, Sendable, Equatable {
    /// How a PDSA cycle ended (the Act).
    public enum Choice: String, Codable, Sendable, CaseIterable {
        case adopt, adapt, abandon
    }

    /// One answer, or one item of an answer, as it stands in the plan.
    public struct Entry: Codable, Sendable, Equatable {
        /// What was made of the answer: the item itself when an answer held several.
        public var text: String
        /// The person's own words, exactly as typed.
        public var words: String
        /// Who said it; `nil` for one person, or for what a pair agreed together.
        public var speaker: String?
        /// The question it answered (a step id), so the plan can say why it was asked.
        public var asked: String?
        /// For barriers and ideas: the building block it touches.
        public var theme: Theme?
        /// For barriers: the ways around it.
        public var waysAround: [Entry]?
        /// For aims: where things stand now ("8 a week"), as said.
        public var baseline: String?
        /// For aims: how much, the target as said ("4", "9 out of 10", "halve"), and by when, in words and as a
        /// calendar day.
        public var howMuch: String?
        public var byWhen: String?
        public var byDate: CalendarDay?
        /// For steps: who does what, when.
        public var who: String?
        public var what: String?
        public var when: String?
        /// For steps and check-ins: the calendar day `when` names (the first one, for a rhythm), and the rhythm.
        public var date: CalendarDay?
        public var rhythm: DateReading.Rhythm?
        /// For decisions: adopt, adapt or abandon.
        public var choice: Choice?
        /// For measures: outcome, process or balancing.
        public var kind: MeasureKind?
        /// For measures: what is counted, when said ("minutes", "%", "calls").
        public var unit: String?
        /// For measures: the values logged, oldest day first.
        public var values: [DataPoint]?

        public init(text: String, words: String, speaker: String? = nil, asked: String? = nil, theme: Theme? = nil) {
            self.text = text
            self.words = words
            self.speaker = speaker
            self.asked = asked
            self.theme = theme
        }
    }

    /// One Plan-Do-Study-Act cycle's review.
    public struct Cycle: Codable, Sendable, Equatable {
        public var number: Int
        /// Do: what happened when they tried it, often against a prediction.
        public var happened: [Entry] = []
        /// Study: what they learned.
        public var learning: [Entry] = []
        /// In a pair: what each partner said back about the other's change.
        public var responses: [Entry] = []
        /// Act: adopt, adapt or abandon.
        public var decision: Entry?
        /// What the next cycle will try.
        public var next: [Entry] = []
        /// What the next cycle is predicted to show: its own prediction, tested at the next review.
        public var predictions: [Entry]?
        /// The day the decision was taken: the next cycle starts then.
        public var decided: CalendarDay?

        public init(number: Int) { self.number = number }
    }

    public var participants: [String] = []
    public var context: [Entry] = []
    public var principles: [Entry] = []
    public var barriers: [Entry] = []
    public var ideas: [Entry] = []
    /// The one small change chosen, within the person's power.
    public var change: [Entry] = []
    public var aim: [Entry] = []
    public var measures: [Entry] = []
    public var predictions: [Entry] = []
    public var steps: [Entry] = []
    public var support: [Entry] = []
    /// Who holds them to account.
    public var partner: [Entry] = []
    public var checkIns: [Entry] = []
    public var sustain: [Entry] = []
    public var cycles: [Cycle] = []

    public init(participants: [String] = []) {
        self.participants = participants
    }

    /// Where a field that is a plain list of the plan's own is kept; `nil` for the others (ways around, kept
    /// under their barrier; predictions, which a review's cycle may remake; and the fields of a review's cycle).
    static func list(_ field: PlanField) -> WritableKeyPath<ChangePlan, [Entry]>? {
        switch field {
        case .context: \.context
        case .principles: \.principles
        case .barriers: \.barriers
        case .ideas: \.ideas
        case .change: \.change
        case .aim: \.aim
        case .measures: \.measures
        case .steps: \.steps
        case .support: \.support
        case .partner: \.partner
        case .checkIns: \.checkIns
        case .sustain: \.sustain
        case .waysAround, .predictions, .happened, .learning, .responses, .decision, .nextCycle: nil
        }
    }

    /// The entries of a field (for review fields, those of the latest cycle).
    public func entries(_ field: PlanField) -> [Entry] {
        if let list = Self.list(field) { return self[keyPath: list] }
        return switch field {
        case .waysAround: barriers.flatMap { $0.waysAround ?? [] }
        case .predictions: predictionsInForce
        case .happened: cycles.last?.happened ?? []
        case .learning: cycles.last?.learning ?? []
        case .responses: cycles.last?.responses ?? []
        case .decision: cycles.last?.decision.map { [$0] } ?? []
        case .nextCycle: cycles.last?.next ?? []
        default: []
        }
    }

    /// Adds an entry to a field. `item` is the position in the `over` list for ways around a barrier; dates in
    /// the answer are read against `today`, the day it was given.
    public mutating func add(_ entry: Entry, to field: PlanField, item: Int? = nil, today: CalendarDay? = nil) {
        var entry = entry
        Extraction.enrich(&entry, for: field, today: today)
        if field == .measures {
            entry.kind = MeasureReading.kind(of: entry.text)
            entry.unit = MeasureReading.unit(of: entry.text)
        }
        if let list = Self.list(field) {
            self[keyPath: list].append(entry)
            return
        }
        switch field {
        case .waysAround:
            if let item, barriers.indices.contains(item) {
                barriers[item].waysAround = (barriers[item].waysAround ?? []) + [entry]
            } else {
                ideas.append(entry)
            }
        // In a review, a prediction is the next cycle's own.
        case .predictions where !cycles.isEmpty: withCycle { $0.predictions = ($0.predictions ?? []) + [entry] }
        case .predictions: predictions.append(entry)
        case .happened: withCycle { $0.happened.append(entry) }
        case .learning: withCycle { $0.learning.append(entry) }
        case .responses: withCycle { $0.responses.append(entry) }
        case .decision:
            withCycle {
                $0.decision = entry
                $0.decided = today
            }
        case .nextCycle: withCycle { $0.next.append(entry) }
        default: break
        }
    }

    /// Sets the building block of the last entry of a field; false when the field has no entry.
    public mutating func setThemeOfLast(_ field: PlanField, to theme: Theme) -> Bool {
        switch field {
        case .barriers where !barriers.isEmpty: barriers[barriers.count - 1].theme = theme
        case .ideas where !ideas.isEmpty: ideas[ideas.count - 1].theme = theme
        case .change where !change.isEmpty: change[change.count - 1].theme = theme
        case .waysAround:
            guard let index = barriers.lastIndex(where: { !($0.waysAround ?? []).isEmpty }),
                let ways = barriers[index].waysAround
            else { return false }
            barriers[index].waysAround?[ways.count - 1].theme = theme
        default: return false
        }
        return true
    }

    /// The predictions the current cycle tests: those made at the last review that made any, else the plan's.
    public var predictionsInForce: [Entry] {
        cycles.last { !($0.predictions ?? []).isEmpty }?.predictions ?? predictions
    }

    /// Opens the next PDSA cycle's review.
    public mutating func openCycle() {
        cycles.append(Cycle(number: (cycles.last?.number ?? 0) + 1))
    }

    private mutating func withCycle(_ change: (inout Cycle) -> Void) {
        if cycles.isEmpty { openCycle() }
        change(&cycles[cycles.count - 1])
    }

    /// The plan as one partner of a pair sees it: their own entries and what the pair agreed together.
    public func forSpeaker(_ name: String) -> ChangePlan {
        func keep(_ entries: [Entry]) -> [Entry] {
            entries.filter { $0.speaker == nil || $0.speaker?.caseInsensitiveCompare(name) == .orderedSame }
        }
        var plan = self
        for list in PlanField.allCases.compactMap(Self.list) { plan[keyPath: list] = keep(self[keyPath: list]) }
        plan.predictions = keep(predictions)
        plan.cycles = cycles.map { cycle in
            var cycle = cycle
            cycle.happened = keep(cycle.happened)
            cycle.learning = keep(cycle.learning)
            cycle.responses = keep(cycle.responses)
            cycle.decision = cycle.decision.flatMap { keep([$0]).first }
            cycle.next = keep(cycle.next)
            cycle.predictions = cycle.predictions.map(keep)
            return cycle
        }
        return plan
    }
}
