import Foundation
import SmallChangesTesting
import Testing

/// `log`, `show` and `due` through the built binary, on a plan made on a fixed Monday.
@Suite struct PDSACommandsTests {
    static func planned() throws -> URL {
        let data = try Binary.temporaryFolder()
        let answers = try String(
            contentsOf: GoldenTranscriptTests.folder().appendingPathComponent("nurse-plan.answers"), encoding: .utf8)
        let chat = try Binary.run(
            ["chat", "--flow", "plan", "--data-dir", data.path], input: answers,
            environment: GoldenTranscriptTests.monday)
        #expect(chat.status == 0, "chat failed: \(chat.stderr)")
        return data
    }

    @Test func aFigureIsLoggedWithADateReadAsPastAndAnUnreadableDateIsNamed() throws {
        let data = try Self.planned()
        defer { try? FileManager.default.removeItem(at: data) }
        let logged = try Binary.run(
            ["log", "latest", "discharges", "7", "--date", "friday", "--data-dir", data.path],
            environment: GoldenTranscriptTests.monday)
        #expect(logged.status == 0, "log failed: \(logged.stderr)")
        #expect(logged.stdout.contains("Logged 7 for \u{201C}I'll count the discharges"))
        #expect(logged.stdout.contains("on 2026-12-04"))
        let refused = try Binary.run(
            ["log", "latest", "7", "--date", "the twelfth of never", "--data-dir", data.path],
            environment: GoldenTranscriptTests.monday)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\u{201C}the twelfth of never\u{201D}"))
        let show = try Binary.run(["show", "latest", "--data-dir", data.path])
        #expect(show.stdout.contains("Aim: reduce missed medicine explanations"))
        #expect(show.stdout.contains("1 point so far"))
    }

    @Test func dueListsTheOverdueReviewAndCheckInAndTheChatSaysSoFirst() throws {
        let data = try Self.planned()
        defer { try? FileManager.default.removeItem(at: data) }
        let nothing = try Binary.run(["due", "--data-dir", data.path], environment: GoldenTranscriptTests.monday)
        #expect(nothing.stdout.hasPrefix("Nothing due."))
        #expect(nothing.stdout.contains("Next: check-in (every Friday at 2pm)"))
        let later = ["SMALLCHANGES_TODAY": "2027-02-01"]
        let due = try Binary.run(["due", "--data-dir", data.path], environment: later)
        #expect(due.stdout.contains("review overdue since 2027-01-18 (in six weeks)"))
        #expect(due.stdout.contains("check-in overdue since 2027-01-29"))
        let chat = try Binary.run(["--data-dir", data.path], input: "", environment: later)
        #expect(chat.stdout.hasPrefix("Due: "), "the chat does not say first what is due")
    }
}
