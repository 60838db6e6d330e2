import Foundation
import SmallChangesTesting
import Testing

/// Whole sessions through the built binary: an answers file in, the plan's JSON out, compared with the
/// golden file beside it. `UPDATE_GOLDEN=1` rewrites the golden files after an intended change.
@Suite struct GoldenTranscriptTests {
    static let transcripts: [(name: String, command: [String])] = [
        ("nurse-plan", ["chat", "--flow", "plan"]), ("social-worker-unsure", ["chat", "--flow", "plan"]),
        ("reflect-short", ["chat", "--flow", "reflect"]), ("pair-one-keyboard", ["pair"]),
    ]

    static func folder() -> URL { Binary.root.appendingPathComponent("Tests/SmallchangesEndToEndTests/Transcripts") }

    /// Every transcript runs on a Monday, so the dates its answers name are the same on any day.
    static let monday = ["SMALLCHANGES_TODAY": "2026-12-07"]

    /// Compares a plan with its golden file, or rewrites the file with `UPDATE_GOLDEN=1`.
    static func expectGolden(_ plan: String, _ name: String) throws {
        let golden = folder().appendingPathComponent("\(name).plan.json")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try plan.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(plan == expected, "the plan for \(name) differs from \(golden.lastPathComponent)")
    }

    @Test(arguments: transcripts.map(\.name))
    func answersFileGivesTheGoldenPlan(name: String) throws {
        let command = Self.transcripts.first { $0.name == name }?.command ?? ["chat"]
        let answers = try String(contentsOf: Self.folder().appendingPathComponent("\(name).answers"), encoding: .utf8)
        let data = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let chat = try Binary.run(command + ["--data-dir", data.path], input: answers, environment: Self.monday)
        #expect(chat.status == 0, "chat failed: \(chat.stderr)")
        let export = try Binary.run(["export", "latest", "--format", "json", "-o", "-", "--data-dir", data.path])
        #expect(export.status == 0, "export failed: \(export.stderr)")
        try Self.expectGolden(export.stdout, name)
    }

    /// The nurse's plan, twelve weekly figures (six high, then six low), a review that studies them and adapts the
    /// change, then a second review of the linked cycle that adopts it.
    @Test func aReviewWithDataAndALinkedSecondCycleGiveTheGoldenPlans() throws {
        let data = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        func answers(_ name: String) throws -> String {
            try String(contentsOf: Self.folder().appendingPathComponent("\(name).answers"), encoding: .utf8)
        }
        let plan = try Binary.run(
            ["chat", "--flow", "plan", "--data-dir", data.path], input: try answers("nurse-plan"),
            environment: Self.monday)
        #expect(plan.status == 0, "chat failed: \(plan.stderr)")
        let figures = ["9", "10", "9", "11", "10", "12", "4", "3", "4", "2", "3", "3"]
        for (week, figure) in figures.enumerated() {
            let day = Calendar(identifier: .gregorian).date(
                byAdding: .day, value: 7 * week, to: Date(timeIntervalSince1970: 1_789_344_000))  // Monday 2026-09-14
            let date = ISO8601DateFormatter.string(
                from: day ?? Date(), timeZone: .gmt, formatOptions: [.withFullDate])
            let log = try Binary.run(
                ["log", "latest", figure, "--date", date, "--data-dir", data.path], environment: Self.monday)
            #expect(log.status == 0, "log failed: \(log.stderr)")
        }

        let review = try Binary.run(
            ["review", "latest", "--data-dir", data.path], input: try answers("review-with-data"),
            environment: ["SMALLCHANGES_TODAY": "2027-01-18"])
        #expect(review.status == 0, "review failed: \(review.stderr)")
        // It opens with the plan and the data, and names the shift beside the prediction.
        #expect(review.stdout.contains("The change: a 10-minute huddle at 7.30 each morning"))
        #expect(review.stdout.contains("by: by the end of March, 2027-03-31"))
        #expect(review.stdout.contains("6 points in a row below the median (points 7 to 12): a shift."))
        #expect(review.stdout.contains("Beside your prediction: \u{201C}I think the first week will be awkward"))
        #expect(review.stdout.components(separatedBy: "what actually happened").count == 2, "asked once")
        let first = try Binary.run(["export", "latest", "--format", "json", "-o", "-", "--data-dir", data.path])
        try Self.expectGolden(first.stdout, "review-with-data")

        let second = try Binary.run(
            ["review", "latest", "--data-dir", data.path], input: try answers("second-cycle"),
            environment: ["SMALLCHANGES_TODAY": "2027-02-15"])
        #expect(second.status == 0, "second review failed: \(second.stderr)")
        #expect(second.stdout.contains("Cycle 2, as planned:"))
        #expect(second.stdout.contains("You predicted: \"night discharges will be explained 9 times out of 10\""))
        let chain = try Binary.run(["export", "latest", "--format", "json", "-o", "-", "--data-dir", data.path])
        try Self.expectGolden(chain.stdout, "second-cycle")
        let markdown = try Binary.run(["export", "latest", "--format", "md", "-o", "-", "--data-dir", data.path])
        #expect(markdown.stdout.contains("## PDSA cycle 1: review"))
        #expect(markdown.stdout.contains("## PDSA cycle 2: review"))
        #expect(markdown.stdout.contains("Cycle 2 prediction: night discharges will be explained 9 times out of 10"))
    }

    @Test func everyAnswerOfTheNurseSessionStandsInTheRightPlace() throws {
        let answers = try String(
            contentsOf: Self.folder().appendingPathComponent("nurse-plan.answers"), encoding: .utf8)
        let data = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        _ = try Binary.run(["chat", "--flow", "plan", "--data-dir", data.path], input: answers)
        let export = try Binary.run(["export", "latest", "--format", "md", "-o", "-", "--data-dir", data.path])
        let markdown = export.stdout
        func section(_ title: String) -> String {
            guard let start = markdown.range(of: "## \(title)") else { return "" }
            let rest = markdown[start.upperBound...]
            let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
            return String(rest[..<end])
        }
        #expect(section("What matters").contains("discharged without understanding their medicines"))
        #expect(section("What gets in the way").contains("nobody shares what works"))
        #expect(section("The small change").contains("10-minute huddle"))
        #expect(section("Aim").contains("by when: by the end of March"))
        #expect(section("Steps").contains("On Monday"))
        #expect(section("Accountability partner").contains("Priya"))
        #expect(section("Check-ins").contains("every Friday at 2pm"))
        #expect(section("How it lasts").contains("ward rota"))
    }

    @Test func aBrokenPromptsFileStopsTheProgramWithFileLineAndExitCode2() throws {
        let copy = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: copy) }
        for folder in ["Prompts", "Corpus"] {
            try FileManager.default.copyItem(
                at: Binary.root.appendingPathComponent(folder), to: copy.appendingPathComponent(folder))
        }
        let plan = copy.appendingPathComponent("Prompts/plan.yaml")
        let text = try String(contentsOf: plan, encoding: .utf8)
            .replacingOccurrences(of: "field: measures", with: "field: measurez")
        try text.write(to: plan, atomically: true, encoding: .utf8)
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("field: measurez") }.map { $0 + 1 } ?? 0
        let result = try Binary.run(["chat", "--no-save"], input: "", environment: ["SMALLCHANGES_ROOT": copy.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Prompts/plan.yaml:\(line): step \"measures\" has field \"measurez\""))
        #expect(result.stdout.isEmpty)
    }

    @Test func anEmptyAnswerIsAskedAgainAndNothingIsRecorded() throws {
        let data = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let chat = try Binary.run(["chat", "--flow", "reflect", "--data-dir", data.path], input: "\n   \n")
        #expect(chat.stdout.contains("I didn't catch an answer"))
        let sessions = try Binary.run(["sessions", "--json", "--data-dir", data.path])
        #expect(sessions.status == 0, "sessions failed: \(sessions.stderr)")
        #expect(sessions.stdout.isEmpty, "an empty answer should not create a session")
    }

    @Test func helpListsTheCommands() throws {
        let result = try Binary.run(["--help"])
        for command in ["chat", "sessions", "resume", "review", "export", "delete", "route", "serve"] {
            #expect(result.stdout.contains(command), "--help does not list \(command)")
        }
    }
}
