import Foundation
import Testing

@testable import SmallChangesCore

/// The plain readings the answer policy relies on: dates, corrections, people, choices and amounts.
@Suite struct AnswerReadingTests {
    static let monday = CalendarDay(year: 2026, month: 12, day: 7)

    @Test(arguments: [
        ("tues early", "2026-12-08"), ("on the 14th", "2026-12-14"),
        ("next supervision, 14th jan i think", "2027-01-14"),
        ("in two weeks", "2026-12-21"), ("end of the month", "2026-12-31"), ("by the end of March", "2027-03-31"),
        ("before Easter", "2027-03-28"), ("half term", "2027-02-15"),
        ("every other friday, starting the 18th", "2026-12-18"),
        ("14/01/27", "2027-01-14"), ("tomorrow", "2026-12-08"),
        ("set up the doc for the four kids on wednesday", "2026-12-09"),
        ("fridays", "2026-12-11"),
    ])
    func aDateIsReadAsTheCalendarDayMeant(text: String, iso: String) {
        #expect(DateReading.find(in: text, today: Self.monday)?.day?.description == iso)
    }

    @Test func theDayOfAnInstantIsTheGregorianDayInUTC() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        for step in 0..<2_000 {
            // Every 37 hours and a bit from 1969 to 2031, so days, months, leap years and 1970 itself are crossed.
            let date = Date(timeIntervalSince1970: -86_400 * 400 + Double(step) * 133_337.5)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            #expect(
                CalendarDay(date) == CalendarDay(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0))
        }
    }

    @Test func aRhythmIsReadBesideTheDay() {
        #expect(DateReading.find(in: "every other friday", today: Self.monday)?.rhythm == .fortnightly)
        #expect(DateReading.find(in: "once a month", today: Self.monday)?.rhythm == .monthly)
        #expect(DateReading.find(in: "9 out of 10 visits written up within 24 hrs", today: Self.monday) == nil)
    }

    @Test(arguments: [
        "no thats not what i meant", "that's wrong", "no, that's not my aim, that's a problem", "you got that wrong",
        "no thats not what i meant, its one problem not three", "i meant something else", "put that under barriers",
    ])
    func aCorrectionIsHeardAsOne(text: String) {
        #expect(Correction.read(text) != nil)
    }

    @Test(arguments: [
        "no", "it's not my job to chase the GP", "it's not right that families wait six weeks", "nope",
        "thats all", "the managers never listen", "put it in the team calendar", "move it to Tuesdays",
    ])
    func anAnswerIsNotTakenForACorrection(text: String) {
        #expect(Correction.read(text) == nil)
    }

    @Test func aCorrectionSaysWhereTheAnswerBelongsAndKeepsWhatFollows() {
        let correction = Correction.read("no thats not my aim, thats a problem. my aim is to halve the wait by June")
        #expect(correction?.belongs == .barriers)
        #expect(correction?.rest == "my aim is to halve the wait by June")
        #expect(Correction.read("no thats not what i meant, its one problem not three")?.oneThing == true)
        // An aside about the slip is not an answer to keep.
        #expect(Correction.read("sorry, that's wrong, undo, I pressed enter too soon")?.rest == nil)
        #expect(Correction.read("oops thats wrong, undo, I sent it half finished")?.rest == nil)
    }

    @Test(arguments: [
        ("Sam", "Sam"), ("priya", "Priya"), ("my supervisor", "my supervisor"), ("the deputy head", "the deputy head"),
        ("probably my supervisor", "my supervisor"), ("Our team lead, Maureen", "our team lead"),
    ])
    func aPersonIsReadFromAWhoAnswer(text: String, person: String) {
        #expect(PersonReference.find(in: text) == person)
        #expect(PersonReference.isWholeAnswer(text))
    }

    @Test(arguments: ["no idea", "not sure", "skip", "nobody really", "asdf jkl"])
    func aNonAnswerIsNotAPerson(text: String) {
        #expect(!PersonReference.isWholeAnswer(text))
    }

    @Test(arguments: [
        ("2", 1), ("number 2", 1), ("the first one i guess", 0), ("the huddle one", 1), ("the last one", 2),
        ("the RAG one", 0),
    ])
    func aChoiceIsReadByNumberOrdinalOrWords(text: String, index: Int) {
        let options = ["red/amber/green the caseload", "a ten minute huddle", "a shared handover sheet"]
        #expect(ChoiceReading.pick(text, from: options, field: .change) == index)
    }

    @Test(
        arguments: [
            ("from about 8 a week to 4 by the end of March", "about 8 a week", "4"),
            ("9 out of 10 home visits writen up within 24 hrs", nil, "9 out of 10"),
            ("halve the time it takes", nil, "half"), ("80% by Easter", nil, "80%"),
            ("from an hour to 20 minutes", "an hour", "20 minutes"),
        ] as [(String, String?, String)])
    func anAimKeepsItsBaselineAndTarget(text: String, baseline: String?, target: String) {
        let amounts = Extraction.amounts(in: text)
        #expect(amounts.baseline == baseline)
        #expect(amounts.target == target)
    }

    @Test(arguments: ["asdf jkl", "qwerty", "hhhhh", "sdfg"])
    func keysPressedAtRandomAreGibberish(text: String) {
        #expect(AnswerPolicy.isGibberish(text))
    }

    @Test(arguments: ["Sam", "no time", "ok", "CPD"])
    func shortRealAnswersAreNotGibberish(text: String) {
        #expect(!AnswerPolicy.isGibberish(text))
    }
}
