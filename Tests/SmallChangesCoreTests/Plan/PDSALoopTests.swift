import Foundation
import Testing

@testable import SmallChangesCore

/// Measures with data, the review that studies them, cycles that follow each other, and the dates that fall due.
@Suite struct PDSALoopTests {
    let now = TestGuide.now  // 2027-01-15, a Friday
    let today = CalendarDay(TestGuide.now)

    func entry(_ text: String) -> ChangePlan.Entry { ChangePlan.Entry(text: text, words: text) }

    /// A finished plan, as the plan flow leaves it.
    func plan() -> ChangePlan {
        var plan = ChangePlan()
        let day = CalendarDay(year: 2026, month: 11, day: 2)
        plan.add(entry("I'm a district nurse in a team of six"), to: .context)
        plan.add(entry("a 10-minute huddle at 8"), to: .ideas)
        plan.add(entry("a 10-minute huddle at 8"), to: .change)
        plan.add(entry("halve missed visits by the end of March"), to: .aim, today: day)
        plan.add(entry("count missed visits each week"), to: .measures)
        plan.add(entry("overtime: whether we stay late more"), to: .measures)
        plan.add(entry("half as many missed visits within six weeks"), to: .predictions)
        plan.add(entry("on Monday I'll book the room"), to: .steps, today: day)
        plan.add(entry("Priya"), to: .partner)
        plan.add(entry("every Friday"), to: .checkIns, today: day)
        var review = entry("in six weeks")
        review.asked = ChangePlan.reviewDateStep
        plan.add(review, to: .checkIns, today: day)
        return plan
    }

    func review(_ plan: ChangePlan) -> Conversation {
        guard let flow = TestGuide.guide.flow("review") else { fatalError("no review flow") }
        return Conversation(guide: TestGuide.guide, flow: flow, participants: [], reviewing: plan)
    }

    /// Twelve weekly figures for the first measure: six high, then six low.
    func logTwelveWeeks(_ conversation: inout Conversation) throws {
        let figures = ["9", "10", "9", "11", "10", "12", "4", "3", "4", "2", "3", "3"]
        for (week, figure) in figures.enumerated() {
            let day = CalendarDay(year: 2026, month: 10, day: 19).adding(days: 7 * week)
            _ = try conversation.log(figure, measure: "1", date: day.description, at: now)
        }
    }

    @Test func theMeasuresHaveKindsAndTheReviewDateIsKeptApart() {
        let plan = plan()
        #expect(plan.measures.map(\.kind) == [.outcome, .balancing])
        #expect(plan.reviewDate?.date == CalendarDay(year: 2026, month: 12, day: 14))
        #expect(plan.partnerCheckIns.map(\.text) == ["every Friday"])
    }

    @Test func aFinishedConversationTakesFiguresWithoutReopeningAndReplayGivesThemBack() throws {
        var conversation = review(plan())
        for answer in ["it dropped by half", "the huddle works when the manager comes", "done", "adopt"] {
            _ = conversation.answer(answer, at: now)
        }
        for _ in 0..<12 where !conversation.isFinished { _ = conversation.perform(.skip, at: now) }
        #expect(conversation.isFinished)
        try logTwelveWeeks(&conversation)
        #expect(conversation.isFinished)
        #expect(conversation.plan.measures[0].values?.count == 12)
        #expect(conversation.turns.last?.kind == .measurement)

        var replayed = review(plan())
        replayed.replay(conversation.turns)
        #expect(replayed.plan == conversation.plan)
    }

    @Test func goingBackNeverUndoesAFigure() throws {
        var conversation = review(plan())
        _ = conversation.answer("it dropped by half", at: now)
        _ = try conversation.log("7", at: now)
        _ = conversation.perform(.back, at: now)
        #expect(conversation.plan.cycles.last?.happened.isEmpty == true)
        #expect(conversation.plan.measures[0].values == [.init(day: today, value: 7)])
    }

    @Test func aFigureThatCannotBeReadIsRefusedNamingWhatWasWrong() {
        var conversation = review(plan())
        #expect(throws: Conversation.LogProblem.self) { try conversation.log("lots", at: now) }
        do {
            _ = try conversation.log("4", date: "blursday", at: now)
            Issue.record("a date it cannot read was taken")
        } catch {
            #expect(error.part == "date")
            #expect(error.description.contains("\u{201C}blursday\u{201D}"))
        }
        #expect(throws: Conversation.LogProblem.self) { try conversation.log("4", measure: "9", at: now) }
        #expect(conversation.turns.isEmpty, "nothing refused is written to the log")
    }

    @Test func theReviewOpensWithTheChangeTheAimThePredictionAndWhatTheRulesShow() throws {
        // The plan's own session, where the figures are logged.
        guard let flow = TestGuide.guide.flow("plan") else { fatalError("no plan flow") }
        var planned = Conversation(guide: TestGuide.guide, flow: flow, participants: [], reviewing: plan())
        try logTwelveWeeks(&planned)
        let opening = review(planned.plan).opening().messages.map(\.text).joined(separator: "\n")
        #expect(opening.contains("Cycle 1, as planned:"))
        #expect(opening.contains("The change: a 10-minute huddle at 8"))
        #expect(opening.contains("Aim: halve missed visits by the end of March (target: half; by:"))
        #expect(opening.contains("You predicted: \u{201C}half as many missed visits within six weeks\u{201D}"))
        #expect(opening.contains("6 points in a row below the median (points 7 to 12): a shift."))
        #expect(opening.contains("Beside your prediction: \u{201C}half as many missed visits within six weeks\u{201D}"))
        #expect(opening.contains("\u{25CF}"), "the chart is drawn")
    }

    @Test func theReviewAsksWhatHappenedOnceAndAdaptOpensTheNextCycleWithItsOwnPrediction() {
        var first = review(plan())
        #expect(first.prompt?.text.contains("half as many missed visits") == true)
        _ = first.answer("missed visits fell from 10 to 3 a week", at: now)
        #expect(first.prompt?.text.contains("what happened") == false)
        _ = first.answer("the huddle only works when the coordinator comes", at: now)
        _ = first.answer("done", at: now)
        _ = first.answer("adapt", at: now)
        _ = first.answer("ask the coordinator to run the huddle", at: now)
        _ = first.answer("Priya on Friday", at: now)
        _ = first.answer("missed visits will stay under 3 a week with the coordinator running it", at: now)
        let cycle = first.plan.cycles.last
        #expect(cycle?.decision?.choice == .adapt)
        #expect(cycle?.decided == today)
        #expect(
            cycle?.predictions?.map(\.text) == [
                "missed visits will stay under 3 a week with the coordinator running it"
            ])
        #expect(first.plan.predictions.map(\.text) == ["half as many missed visits within six weeks"])

        // The next review studies the new prediction, in cycle 2.
        let second = review(first.plan)
        #expect(second.plan.cycles.map(\.number) == [1, 2])
        #expect(second.prompt?.text.contains("stay under 3 a week") == true)
        #expect(second.plan.cycleStarts.first?.cycle == 2)
    }

    @Test func theReviewDateFallsDueUntilAReviewDecidesAndACheckInUntilThePlanIsUsed() {
        let plan = plan()
        let due = plan.due(
            today: CalendarDay(year: 2026, month: 12, day: 20), lastSeen: CalendarDay(year: 2026, month: 11, day: 2))
        #expect(due.map(\.kind) == [.review, .checkIn])
        #expect(due.first?.overdue == true)
        #expect(due.last?.day == CalendarDay(year: 2026, month: 12, day: 18))
        #expect(
            plan.due(
                today: CalendarDay(year: 2026, month: 12, day: 1), lastSeen: CalendarDay(year: 2026, month: 12, day: 1)
            ).isEmpty)

        var reviewed = plan
        reviewed.openCycle()
        reviewed.add(entry("adopt"), to: .decision, today: CalendarDay(year: 2026, month: 12, day: 15))
        #expect(
            reviewed.due(
                today: CalendarDay(year: 2026, month: 12, day: 20),
                lastSeen: CalendarDay(year: 2026, month: 12, day: 19)
            ).isEmpty)
    }
}
