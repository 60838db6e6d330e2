import Foundation
import Testing

@testable import SmallChangesCore

@Suite struct PlanExportTests {
    func entry(_ text: String, words: String? = nil) -> ChangePlan.Entry {
        ChangePlan.Entry(text: text, words: words ?? text)
    }

    func plan() -> ChangePlan {
        var plan = ChangePlan()
        let day = CalendarDay(year: 2026, month: 11, day: 2)
        plan.add(entry("a 10-minute huddle"), to: .ideas)
        plan.add(entry("a handover sheet"), to: .ideas)
        plan.add(entry("a 10-minute huddle"), to: .change)
        plan.add(entry("halve missed visits by March"), to: .aim, today: day)
        let said = "count missed visits, calls back, and complaints about it"
        for item in ["count missed visits", "calls back", "complaints about it"] {
            plan.add(entry(item, words: said), to: .measures)
        }
        plan.add(entry("on Monday I'll book the room"), to: .steps, today: day)
        plan.add(entry("Sam; Ana"), to: .partner)
        plan.add(entry("every other Friday, with Sam"), to: .checkIns, today: day)
        var review = entry("in six weeks")
        review.asked = ChangePlan.reviewDateStep
        plan.add(review, to: .checkIns, today: day)
        return plan.recording(
            (0..<10).map { MeasureValue(measure: 0, day: day.adding(days: 7 * $0), value: Double(10 - $0 % 4)) })
    }

    @Test func theHTMLOpensWithTheSummaryAndDrawsOnePointPerValue() {
        let html = plan().html(
            about: .init(created: CalendarDay(year: 2026, month: 11, day: 1), status: "cycle 1 running"))
        let body = html.components(separatedBy: "<body>").last ?? ""
        #expect(body.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("<section class=\"summary\""))
        #expect(html.components(separatedBy: "<circle class=\"point\"").count - 1 == 10)
        #expect(html.contains("class=\"median\""))
        #expect(html.contains("@page { size: A4"))
        #expect(html.contains("break-inside: avoid"))
        #expect(html.contains("Notes (Study and Act)"))
        #expect(html.contains("Created 2026-11-01"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("http://") || html.contains("xmlns=\"http://www.w3.org/2000/svg\""))
    }

    @Test func eachItemIsShownOnceAndAPersonsWordsOnce() {
        let markdown = plan().markdown()
        #expect(markdown.components(separatedBy: "in your words").count - 1 == 1)
        let ideas = markdown.components(separatedBy: "## Ideas").last?.components(separatedBy: "## ").first ?? ""
        #expect(!ideas.contains("10-minute huddle"), "the chosen change is not listed again among the ideas")
        #expect(markdown.contains("## Summary"))
        #expect(markdown.contains("- **Review date:** in six weeks"))
        #expect(markdown.contains("## Data"))
    }

    @Test func theCalendarHasAStableEventForEachCheckInAndReviewDate() {
        let stamp = Date(timeIntervalSince1970: 1_800_000_000)
        let ics = plan().icalendar(id: "s-abcdefghjkmn", title: "Change plan", stamp: stamp)
        #expect(ics == plan().icalendar(id: "s-abcdefghjkmn", title: "Change plan", stamp: stamp))
        #expect(ics.contains("UID:s-abcdefghjkmn-check-in-1@smallchanges\r\n"))
        #expect(ics.contains("UID:s-abcdefghjkmn-review-1@smallchanges\r\n"))
        #expect(ics.contains("RRULE:FREQ=WEEKLY;INTERVAL=2\r\n"))
        #expect(ics.contains("DTSTART;VALUE=DATE:20261214\r\n"))
        #expect(ics.contains("DTSTAMP:20270115T080000Z\r\n"))
        for line in ics.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }
        #expect(ChangePlan.icsText("a, b; c\\d\ne") == "a\\, b\\; c\\\\d\\ne")
    }

    @Test func theTerminalChartMarksTheMedianAndEachCycle() {
        var plan = plan()
        plan.openCycle()
        plan.add(entry("adapt"), to: .decision, today: CalendarDay(year: 2026, month: 11, day: 30))
        let chart = plan.textChart(plan.measures[0])
        #expect(chart.first == "count missed visits \u{00B7} outcome")
        #expect(chart.contains { $0.hasSuffix(" median") })
        #expect(chart.contains { $0.contains("C1") && $0.contains("C2") })
        #expect(chart.last?.contains("10 points") == true)
    }
}
