import Foundation
import Testing

@testable import SmallChangesCore

@Suite struct MeasureTests {
    let today = CalendarDay(year: 2026, month: 12, day: 9)  // a Wednesday

    func plan(_ measures: [String]) -> ChangePlan {
        var plan = ChangePlan()
        for text in measures { plan.add(ChangePlan.Entry(text: text, words: text), to: .measures) }
        return plan
    }

    @Test(arguments: [
        ("count the discharges where the patient could explain their medicines", ChangePlan.MeasureKind.outcome),
        ("how many huddles were held each week", .process),
        ("whether my notes get shorter and less useful", .balancing),
        ("overtime on the ward", .balancing),
        ("a balancing measure: the time handover takes", .balancing),
    ])
    func aMeasureKindIsReadFromItsWords(text: String, kind: ChangePlan.MeasureKind) {
        #expect(MeasureReading.kind(of: text) == kind)
    }

    @Test func aUnitIsReadWhereOneIsSaid() {
        #expect(MeasureReading.unit(of: "how many calls come in after 10") == "calls")
        #expect(MeasureReading.unit(of: "minutes each meeting lasts") == "minutes")
        #expect(MeasureReading.unit(of: "% of patients seen on time") == "%")
        #expect(MeasureReading.unit(of: "whether people seem happier") == nil)
    }

    @Test func aMeasureIsFoundByNumberKindOrWords() {
        let plan = plan(["count missed visits", "overtime hours", "huddles held"])
        #expect(plan.measureIndex(named: nil) == 0)
        #expect(plan.measureIndex(named: "2") == 1)
        #expect(plan.measureIndex(named: "balancing") == 1)
        #expect(plan.measureIndex(named: "huddles") == 2)
        #expect(plan.measureIndex(named: "4") == nil)
        #expect(plan.measureIndex(named: "s") == nil, "matches several")
    }

    @Test func loggedValuesGoInDayOrderAndASecondValueForADayCorrectsIt() {
        let day1 = CalendarDay(year: 2026, month: 11, day: 2)
        let day2 = CalendarDay(year: 2026, month: 11, day: 9)
        let recorded = plan(["count missed visits"]).recording([
            MeasureValue(measure: 0, day: day2, value: 5), MeasureValue(measure: 0, day: day1, value: 8),
            MeasureValue(measure: 0, day: day2, value: 4), MeasureValue(measure: 3, day: day2, value: 1),
        ])
        #expect(recorded.measures[0].values == [.init(day: day1, value: 8), .init(day: day2, value: 4)])
    }

    @Test func pastDaysAreReadBackwardsWithDateReading() {
        #expect(DateReading.pastDay(in: "2026-11-30", today: today) == CalendarDay(year: 2026, month: 11, day: 30))
        #expect(DateReading.pastDay(in: "yesterday", today: today) == CalendarDay(year: 2026, month: 12, day: 8))
        #expect(DateReading.pastDay(in: "monday", today: today) == CalendarDay(year: 2026, month: 12, day: 7))
        #expect(DateReading.pastDay(in: "friday", today: today) == CalendarDay(year: 2026, month: 12, day: 4))
        #expect(DateReading.pastDay(in: "the 20th", today: today) == CalendarDay(year: 2026, month: 11, day: 20))
        #expect(DateReading.pastDay(in: "next friday", today: today) == nil)
        #expect(DateReading.pastDay(in: "2026-12-25", today: today) == nil)
        #expect(DateReading.pastDay(in: "blursday", today: today) == nil)
    }
}
