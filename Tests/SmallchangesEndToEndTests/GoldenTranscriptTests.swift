import Foundation
import Testing

/// Whole sessions through the built binary: an answers file in, the plan's JSON out, compared with the
/// golden file beside it. `UPDATE_GOLDEN=1` rewrites the golden files after an intended change.
@Suite struct GoldenTranscriptTests {
    static let transcripts: [(name: String, command: [String])] = [
        ("nurse-plan", ["chat", "--flow", "plan"]), ("social-worker-unsure", ["chat", "--flow", "plan"]),
        ("reflect-short", ["chat", "--flow", "reflect"]), ("pair-one-keyboard", ["pair"]),
    ]

    static func folder() -> URL { Binary.root.appendingPathComponent("Tests/SmallchangesEndToEndTests/Transcripts") }

    @Test(arguments: transcripts.map(\.name))
    func answersFileGivesTheGoldenPlan(name: String) throws {
        let command = Self.transcripts.first { $0.name == name }?.command ?? ["chat"]
        let answers = try String(contentsOf: Self.folder().appendingPathComponent("\(name).answers"), encoding: .utf8)
        let data = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let chat = try Binary.run(command + ["--data-dir", data.path], input: answers)
        #expect(chat.status == 0, "chat failed: \(chat.stderr)")
        let export = try Binary.run(["export", "latest", "--format", "json", "-o", "-", "--data-dir", data.path])
        #expect(export.status == 0, "export failed: \(export.stderr)")
        let golden = Self.folder().appendingPathComponent("\(name).plan.json")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try export.stdout.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(export.stdout == expected, "the plan for \(name) differs from \(golden.lastPathComponent)")
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
