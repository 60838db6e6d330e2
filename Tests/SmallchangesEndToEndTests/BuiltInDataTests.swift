import Foundation
import SmallChangesTesting
import Testing

/// The flows and cards are built into the binary: a copy runs anywhere, and an organisation's adapted folder
/// is checked and used with the same `FILE:LINE` errors as ever.
@Suite struct BuiltInDataTests {
    /// A copy of Prompts/ and Corpus/ in a new folder, to break on purpose.
    static func adaptedFolder() throws -> URL {
        let copy = try Binary.temporaryFolder()
        for folder in ["Prompts", "Corpus"] {
            try FileManager.default.copyItem(
                at: Binary.root.appendingPathComponent(folder), to: copy.appendingPathComponent(folder))
        }
        return copy
    }

    /// Replaces `old` with `new` in a file of `folder`, returning the one-based line it is on.
    static func breakFile(_ name: String, in folder: URL, replacing old: String, with new: String) throws -> Int {
        let url = folder.appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        let broken = text.replacingOccurrences(of: old, with: new)
        try broken.write(to: url, atomically: true, encoding: .utf8)
        return (broken.components(separatedBy: "\n").firstIndex { $0.contains(new) } ?? -1) + 1
    }

    @Test func aCopiedBinaryRunsAWholeSessionFromAFolderWithoutPromptsOrCorpus() throws {
        let elsewhere = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let copy = elsewhere.appendingPathComponent("bin/smallchanges")
        try FileManager.default.createDirectory(
            at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Binary.executable, to: copy)
        let answers = try String(
            contentsOf: GoldenTranscriptTests.folder().appendingPathComponent("reflect-short.answers"), encoding: .utf8)
        let command = ["chat", "--flow", "reflect", "--no-save"]

        let there = try Binary.run(command, input: answers, executable: copy, folder: elsewhere)
        let here = try Binary.run(command, input: answers)

        #expect(there.status == 0, "\(there.stderr)")
        #expect(there.stdout == here.stdout)
        let route = try Binary.run(
            ["route", "--json", "--expect", "barrier", "the duty phone rang all day so nobody got a call back"],
            executable: copy, folder: elsewhere)
        #expect(route.status == 0, "\(route.stderr)")
        #expect(route.stdout.contains("\"intent\":\"barrier\""))
    }

    @Test func flowsCheckListsEveryBrokenFileAsFileLineAndExitsWithTwo() throws {
        let folder = try Self.adaptedFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let planLine = try Self.breakFile(
            "Prompts/plan.yaml", in: folder, replacing: "field: measures", with: "field: measurez")
        let cardLine = try Self.breakFile(
            "Corpus/pdsa.yaml", in: folder, replacing: "kind: pdsa", with: "kind: pdsaa")

        let result = try Binary.run(["flows", "check", folder.path])

        #expect(result.status == 2)
        #expect(result.stderr.contains("Prompts/plan.yaml:\(planLine): step \"measures\" has field \"measurez\""))
        #expect(result.stderr.contains("Corpus/pdsa.yaml:\(cardLine): card"))
        #expect(result.stderr.contains("2 problems"), "a broken card file should not be reported again by flows")
        #expect(result.stdout.isEmpty)
    }

    @Test func flowsCheckPassesTheFoldersTheBinaryWasBuiltFrom() throws {
        let result = try Binary.run(["flows", "check", Binary.root.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
    }

    @Test func promptsOptionRunsAnAdaptedFolderAndStopsOnItsProblemsWithExitCodeTwo() throws {
        let folder = try Self.adaptedFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let reflect = folder.appendingPathComponent("Prompts/reflect.yaml")
        let adapted = try String(contentsOf: reflect, encoding: .utf8)
            .replacingOccurrences(of: "title: ", with: "title: Our ward's ")
        try adapted.write(to: reflect, atomically: true, encoding: .utf8)
        let fine = try Binary.run(["chat", "--flow", "reflect", "--no-save", "--prompts", folder.path])
        #expect(fine.status == 0, "\(fine.stderr)")

        let line = try Self.breakFile("Prompts/reflect.yaml", in: folder, replacing: "stage: ", with: "stagee: ")
        let broken = try Binary.run(["chat", "--flow", "reflect", "--no-save", "--prompts", folder.path])
        #expect(broken.status == 2)
        #expect(broken.stderr.hasPrefix("smallchanges: Prompts/reflect.yaml:\(line): "))
        #expect(broken.stdout.isEmpty)
    }

    @Test func helpNamesTheEnvironmentVariableThatChoosesAnAdaptedFolder() throws {
        let result = try Binary.run(["--help"])
        #expect(result.stdout.contains("SMALLCHANGES_ROOT"))
        #expect(result.stdout.contains("--prompts"))
    }
}
