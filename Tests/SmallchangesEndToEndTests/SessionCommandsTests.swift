import Foundation
import SmallChangesTesting
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
            // An empty line first: no figure this period for the plan's measure.
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

    /// Issue 15: a plan exported in every format and reviewed, then deleted, leaves its words in no file under the
    /// data folder: not in exports/, not in the review, not in the database, its write-ahead log or free pages.
    @Test func deletingAPlanErasesItsReviewsAndExportsEverywhereInTheDataFolder() throws {
        let data = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let canary = "KESTREL-CANARY-9Q"
        let answers = try String(
            contentsOf: GoldenTranscriptTests.folder().appendingPathComponent("nurse-plan.answers"), encoding: .utf8
        ).replacingOccurrences(of: "Priya, the other staff nurse", with: "\(canary) Priya, the other staff nurse")
        let plan = try Binary.run(["chat", "--flow", "plan", "--data-dir", data.path], input: answers)
        #expect(plan.status == 0, "chat failed: \(plan.stderr)")
        let logged = try Binary.run(["log", "latest", "7", "--date", "yesterday", "--data-dir", data.path])
        #expect(logged.status == 0, "log failed: \(logged.stderr)")
        let review = try Binary.run(
            ["review", "latest", "--data-dir", data.path],
            input: "5\nit went as predicted\n\(canary) learned the huddle needs a lead\ndone\nadapt\n")
        #expect(review.status == 0, "review failed: \(review.stderr)")
        for format in ["md", "json", "html", "ics"] {
            let export = try Binary.run(["export", "latest", "--format", format, "--data-dir", data.path])
            #expect(export.status == 0, "export \(format) failed: \(export.stderr)")
        }
        let exported = try FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent("exports").path)
        #expect(exported.count == 4)
        #expect(try Self.files(in: data, containing: canary).count >= 4, "the canary was not written")

        let records = try Binary.run(["sessions", "--json", "--data-dir", data.path]).stdout
            .split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        let planID = try #require(records.first { $0["reviewOf"] == nil }?["id"] as? String)
        let deleted = try Binary.run(["delete", planID, "--yes", "--data-dir", data.path])
        #expect(deleted.status == 0, "delete failed: \(deleted.stderr)")
        #expect(deleted.stdout.contains("and its 1 review"))
        #expect(deleted.stdout.contains("removed 4 exported files"))
        #expect(try Binary.run(["sessions", "--json", "--data-dir", data.path]).stdout.isEmpty)
        #expect(try Self.files(in: data, containing: canary).isEmpty, "the deleted text is still in the data folder")
    }
}
