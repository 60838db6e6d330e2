import Testing

@testable import SmallChangesCore

@Suite struct ChangePlanTests {
    func entry(_ text: String) -> ChangePlan.Entry { ChangePlan.Entry(text: text, words: text) }
    let day = CalendarDay(year: 2026, month: 12, day: 7)

    @Test func anAimWithNoNumberOrDateIsNamedAsAGap() {
        var plan = ChangePlan()
        plan.add(entry("make meetings better"), to: .aim)
        let problems = plan.readiness(asking: [.aim]).map(\.problem)
        #expect(problems.contains { $0.contains("no number") })
        #expect(problems.contains { $0.contains("no date") })
    }

    @Test func anAimWithHowMuchAndByWhenIsExtracted() {
        var plan = ChangePlan()
        plan.add(entry("cut duplicate forms by half before Easter"), to: .aim, today: day)
        // The target in its plain form, and the date as a calendar day beside the words.
        #expect(plan.aim.first?.howMuch == "half")
        #expect(plan.aim.first?.byWhen == "before Easter")
        #expect(plan.aim.first?.byDate == CalendarDay(year: 2027, month: 3, day: 28))
        #expect(plan.readiness(asking: [.aim]).isEmpty)
    }

    @Test func aStepWithNoWhenIsNamedAsAGap() {
        var plan = ChangePlan()
        plan.add(entry("email the team about the huddle"), to: .steps, today: day)
        plan.add(entry("on Monday I'll book the room"), to: .steps, today: day)
        let gaps = plan.readiness(asking: [.steps])
        #expect(gaps.count == 1)
        #expect(gaps.first?.problem.contains("step 1") == true)
        #expect(plan.steps[1].when == "on Monday")
    }

    @Test func aPartnersPlanKeepsTheirEntriesAndTheSharedOnes() {
        var plan = ChangePlan(participants: ["Ana", "Ben"])
        var mine = entry("no time"); mine.speaker = "Ana"
        var theirs = entry("no money"); theirs.speaker = "Ben"
        plan.add(mine, to: .barriers)
        plan.add(theirs, to: .barriers)
        plan.add(entry("every other Friday"), to: .checkIns)
        let ana = plan.forSpeaker("ana")
        #expect(ana.barriers.map(\.text) == ["no time"])
        #expect(ana.checkIns.count == 1)
    }

    @Test func theHTMLExportEscapesTextAndHasNoScripts() {
        var plan = ChangePlan()
        plan.add(entry("<script>alert(1)</script> & more"), to: .principles)
        let html = plan.html()
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;"))
    }

    @Test func everyDateReadIsARealDayInTheAnswersOwnWords() throws {
        let examples = try #require(MatcherFixtures.examples)
        let phrases = [
            "by Friday's meeting", "before the end of term", "every other Monday at 9", "in two weeks", "12/03",
            "2026-12-01", "the 3rd of May", "May 3rd", "tomorrow", "after half-term", "by new year",
            "over the holidays",
            "FROM NEXT WEEK", "within a fortnight", "on the 14th", "weekly huddle", "friday2", "café on Friday",
            "I may try it", "at the end of the quarter", "start of spring", "end of term review",
        ]
        let texts =
            examples.intentTexts.map(\.text) + examples.themeTexts.map(\.text)
            + MatcherFixtures.domainCases.map(\.text) + phrases
        var found = 0
        let today = CalendarDay(year: 2026, month: 12, day: 7)
        for text in texts {
            // Every date read is a real day on or after the day it was said, and its words are in the answer.
            guard let reading = DateReading.find(in: text, today: today) else { continue }
            #expect(text.contains(reading.words), "\(text)")
            if let day = reading.day, !text.contains(String(day.year)) { #expect(day >= today, "\(text): \(day)") }
            found += 1
        }
        #expect(found > 100)
    }

    @Test func trimmingWithoutFoundationTrimsWhatFoundationTrims() throws {
        let examples = try #require(MatcherFixtures.examples)
        let tokens =
            (examples.intentTexts.map(\.text) + MatcherFixtures.domainCases.map(\.text)).flatMap {
                $0.split(separator: " ")
            }
            + [
                "«Sam»", "(Jo)", "Ana's", "$5", "+1", "—Sam—", "Sam…", "¿Qué?", "_x_", "#tag", "@Kim,", "<b>", "~",
                "", "...", " \t at 9 \u{00A0}", "\u{2003}Friday\u{3000}", "\n x \n", "a|b", "^up^",
            ].map { Substring($0) }
        var trimmed = 0
        for token in tokens {
            let punctuation = Extraction.trimmingPunctuation(token)
            #expect(punctuation == token.trimmingCharacters(in: .punctuationCharacters), "\(token)")
            #expect(Extraction.trimmingWhitespace(token) == token.trimmingCharacters(in: .whitespaces), "\(token)")
            if punctuation.count != token.count { trimmed += 1 }
        }
        #expect(trimmed > 100)
    }

    @Test func theGapCountIsTheNumberOfGapsNamed() {
        var plans = [ChangePlan()]
        var plan = ChangePlan()
        for (text, field) in [
            ("no time", PlanField.barriers), ("a Friday huddle", .change), ("try it with one team", .steps),
            ("book the room by Friday", .steps), ("my manager", .support), ("every other Monday", .checkIns),
        ] {
            plan.add(entry(text), to: field)
            plans.append(plan)
        }
        let askings = [Set(PlanField.allCases), [.barriers, .change], [.steps, .checkIns, .aim], []]
        for plan in plans {
            for asking in askings {
                #expect(plan.readinessGapCount(asking: asking) == plan.readiness(asking: asking).count)
            }
        }
        #expect(ChangePlan().readinessGapCount(asking: Set(PlanField.allCases)) > 5)
    }
}
