import Testing

@testable import SmallChangesCore

@Suite struct ChangePlanTests {
    func entry(_ text: String) -> ChangePlan.Entry { ChangePlan.Entry(text: text, words: text) }

    @Test func anAimWithNoNumberOrDateIsNamedAsAGap() {
        var plan = ChangePlan()
        plan.add(entry("make meetings better"), to: .aim)
        let problems = plan.readiness(asking: [.aim]).map(\.problem)
        #expect(problems.contains { $0.contains("no number") })
        #expect(problems.contains { $0.contains("no date") })
    }

    @Test func anAimWithHowMuchAndByWhenIsExtracted() {
        var plan = ChangePlan()
        plan.add(entry("cut duplicate forms by half before Easter"), to: .aim)
        #expect(plan.aim.first?.howMuch == "by half")
        #expect(plan.aim.first?.byWhen == "before Easter")
        #expect(plan.readiness(asking: [.aim]).isEmpty)
    }

    @Test func aStepWithNoWhenIsNamedAsAGap() {
        var plan = ChangePlan()
        plan.add(entry("email the team about the huddle"), to: .steps)
        plan.add(entry("on Monday I'll book the room"), to: .steps)
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
}
