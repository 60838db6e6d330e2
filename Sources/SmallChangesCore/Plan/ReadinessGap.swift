/// Something missing or weak in a plan, named so the person can fix it.
public struct ReadinessGap: Codable, Sendable, Equatable {
    public var field: PlanField
    public var problem: String

    public init(field: PlanField, problem: String) {
        self.field = field
        self.problem = problem
    }
}

extension ChangePlan {
    /// What is missing or weak, checked against the rules of a good improvement plan.
    ///
    /// - Parameter fields: the fields the flow asks for; gaps are only reported for those, so a short
    ///   reflection is not told it lacks a balancing measure.
    public func readiness(asking fields: Set<PlanField> = Set(PlanField.allCases)) -> [ReadinessGap] {
        var gaps: [ReadinessGap] = []
        gaps.reserveCapacity(12)
        checkReadiness(asking: fields, describing: true) { field, problem in
            gaps.append(ReadinessGap(field: field, problem: problem ?? ""))
        }
        return gaps
    }

    /// How many gaps `readiness(asking:)` names, without writing out what each one is: a session's listing
    /// shows the count after every turn.
    public func readinessGapCount(asking fields: Set<PlanField> = Set(PlanField.allCases)) -> Int {
        var count = 0
        checkReadiness(asking: fields, describing: false) { _, _ in count += 1 }
        return count
    }

    /// The rules, in order: calls `gap` with each gap's field and, when `describing`, its problem (only then
    /// worked out).
    private func checkReadiness(
        asking fields: Set<PlanField>, describing: Bool, _ gap: (PlanField, String?) -> Void
    ) {
        func need(_ field: PlanField, _ problem: @autoclosure () -> String) {
            if fields.contains(field) { gap(field, describing ? problem() : nil) }
        }
        if barriers.isEmpty { need(.barriers, "no barrier named yet: what gets in the way?") }
        if change.isEmpty && (!fields.contains(.change) || ideas.isEmpty) {
            need(.change, "no small change chosen yet")
        }
        if change.isEmpty && !ideas.isEmpty { need(.change, "no small change chosen from your ideas yet") }
        if let aim = aim.last {
            if aim.howMuch == nil { need(.aim, "the aim has no number: how much, or how many?") }
            if aim.byWhen == nil { need(.aim, "the aim has no date: by when?") }
        } else {
            need(.aim, "no aim yet: what, how much, by when?")
        }
        if measures.isEmpty { need(.measures, "no measure yet: how will you know it is working?") }
        if predictions.isEmpty { need(.predictions, "no prediction yet: what do you expect to happen?") }
        if steps.isEmpty {
            need(.steps, "no first step yet: who does what, when?")
        } else {
            for (index, step) in steps.enumerated() where step.when == nil {
                need(.steps, "step \(index + 1) (\"\(step.text.prefix(40))\") has no when")
            }
        }
        if support.isEmpty && partner.isEmpty { need(.support, "no one named to support you or hold you to account") }
        if checkIns.isEmpty {
            need(.checkIns, "no check-in date set")
        } else if checkIns.allSatisfy({ $0.when == nil }) {
            need(.checkIns, "the check-ins have no date or rhythm: when will you meet?")
        }
        if sustain.isEmpty { need(.sustain, "nothing yet on how the change will last") }
        if let cycle = cycles.last {
            if cycle.learning.isEmpty && cycle.happened.isEmpty {
                need(.learning, "nothing yet on what happened or what you learned")
            }
            if cycle.decision == nil { need(.decision, "no decision yet: adopt, adapt or abandon?") }
        }
    }
}

extension ReadinessGap {
    /// A plan's readiness in a word or two: "ready", "1 gap", "4 gaps".
    public static func verdict(count: Int) -> String {
        count == 0 ? "ready" : count == 1 ? "1 gap" : "\(count) gaps"
    }
}
