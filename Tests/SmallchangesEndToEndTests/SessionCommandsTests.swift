import Foundation
import Testing

/// The commands around a session, through the built binary: deleting one, reviewing a plan, and the REPL's
/// own commands when answers are piped in.
@Suite struct SessionCommandsTests {
    /// Every file under `folder`, read as bytes, that contains `text`.
    static func files(in folder: URL, containing text: String) throws -> [String] {
        let paths = FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []
        return try paths.filter { path in
            let url = folder.appendingPathComponent(path)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue
            else { return false }
            return try Data(contentsOf: url).range(of: Data(text.utf8)) != nil
        }
    }

    @Test func deleteAsksFirstThenErasesTheSessionAndEveryCopyOfItsText() throws {
        let data = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let canary = "CANARY4711"
        let chat = try Binary.run(
            ["chat", "--flow", "reflect", "--data-dir", data.path], input: "\(canary) never has time to talk\n")
        #expect(chat.status == 0, "chat failed: \(chat.stderr)")
        #expect(try !Self.files(in: data, containing: canary).isEmpty, "the answer was not stored")
        let listed = try Binary.run(["sessions", "--json", "--data-dir", data.path])
        let id = try #require(
            (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])?["id"] as? String)

        // Without a terminal to ask on, and without --yes, nothing is deleted.
        let refused = try Binary.run(["delete", id, "--data-dir", data.path])
        #expect(refused.status != 0)
        #expect(try Binary.run(["sessions", "--json", "--data-dir", data.path]).stdout.contains(id))

        let deleted = try Binary.run(["delete", id, "--yes", "--data-dir", data.path])
        #expect(deleted.status == 0, "delete failed: \(deleted.stderr)")
        let after = try Binary.run(["sessions", "--json", "--data-dir", data.path])
        #expect(after.status == 0)
        #expect(after.stdout.isEmpty)
        #expect(try Self.files(in: data, containing: canary).isEmpty, "the deleted text is still in the data folder")
    }

    @Test func reviewingTheLatestPlanRecordsWhatWasLearnedAndTheDecision() throws {
        let data = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let answers = try String(
            contentsOf: GoldenTranscriptTests.folder().appendingPathComponent("reflect-short.answers"), encoding: .utf8)
        let plan = try Binary.run(["chat", "--flow", "reflect", "--data-dir", data.path], input: answers)
        #expect(plan.status == 0, "chat failed: \(plan.stderr)")
        let planID = try #require(
            (try JSONSerialization.jsonObject(
                with: Data(try Binary.run(["sessions", "--json", "--data-dir", data.path]).stdout.utf8))
                as? [String: Any])?["id"] as? String)

        let review = try Binary.run(
            ["review", "--data-dir", data.path],
            input: """
                it worked, I finished my notes most weeks
                done
                2
                move it to Tuesday mornings when the phone is quieter
                I will tell Jo at our Friday check-in

                """)
        #expect(review.status == 0, "review failed: \(review.stderr)")
        #expect(review.stdout.contains("noted as your decision: adapt"))

        // The review is its own session, pointing at the plan it reviewed; its plan carries the cycle.
        let records = try Binary.run(["sessions", "--json", "--data-dir", data.path]).stdout
            .split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        let reviewRecord = try #require(records.first { $0["flow"] as? String == "review" })
        #expect(reviewRecord["reviewOf"] as? String == planID)
        let export = try Binary.run(
            [
                "export", try #require(reviewRecord["id"] as? String), "--format", "json", "-o", "-", "--data-dir",
                data.path,
            ])
        let exported = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        let cycle = try #require((exported["cycles"] as? [[String: Any]])?.last)
        #expect(
            (cycle["learning"] as? [[String: Any]])?.first?["text"] as? String
                == "it worked, I finished my notes most weeks")
        #expect((cycle["decision"] as? [String: Any])?["choice"] as? String == "adapt")
        #expect((cycle["next"] as? [[String: Any]])?.isEmpty == false)
    }

    @Test func theREPLsCommandsWorkWhenAnswersArePipedIn() throws {
        let data = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let exportPath = data.appendingPathComponent("my-plan.md").path
        let chat = try Binary.run(
            ["chat", "--flow", "reflect", "--data-dir", data.path],
            input: """
                the duty phone kept ringing so I never finished my case notes
                /back
                nobody covers the phone at lunchtime
                /plan
                /export md \(exportPath)
                /quit

                """)
        #expect(chat.status == 0, "chat failed: \(chat.stderr)")
        #expect(chat.stdout.contains("Gone back: that answer is undone."))
        let markdown = try String(contentsOfFile: exportPath, encoding: .utf8)
        #expect(markdown.contains("nobody covers the phone at lunchtime"))
        #expect(!markdown.contains("duty phone"), "the answer taken back is still in the plan")
        let permissions = try FileManager.default.attributesOfItem(atPath: exportPath)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(chat.stdout.contains("Plan written to \(exportPath)"))
        // /plan shows the plan so far, with the barrier in it.
        let shown = chat.stdout.components(separatedBy: "› /plan").last ?? ""
        #expect(shown.contains("nobody covers the phone at lunchtime"))
    }

    @Test func aFinishedPlanIsReopenedToChangeOnePartAndFinishesAgain() throws {
        let data = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let answers = try String(
            contentsOf: Binary.root.appendingPathComponent(
                "Tests/SmallchangesEndToEndTests/Transcripts/reflect-short.answers"), encoding: .utf8)
        let chat = try Binary.run(["chat", "--flow", "reflect", "--data-dir", data.path], input: answers)
        #expect(chat.status == 0, "chat failed: \(chat.stderr)")
        #expect(chat.stdout.contains("Your plan in brief"))
        let edit = try Binary.run(
            ["resume", "latest", "--edit", "measures", "--data-dir", data.path],
            input: "I'll note each day whether the notes were done by 5pm\n")
        #expect(edit.status == 0, "resume --edit failed: \(edit.stderr)")
        #expect(edit.stdout.contains("Reopened: measures."))
        let export = try Binary.run(["export", "latest", "--format", "json", "-o", "-", "--data-dir", data.path])
        #expect(export.stdout.contains("whether the notes were done by 5pm"))
        let sessions = try Binary.run(["sessions", "--data-dir", data.path])
        #expect(sessions.stdout.contains("finished"))
        let wrong = try Binary.run(["resume", "latest", "--edit", "weather", "--data-dir", data.path], input: "")
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("There is no \u{201C}weather\u{201D} to edit"))
    }
}
