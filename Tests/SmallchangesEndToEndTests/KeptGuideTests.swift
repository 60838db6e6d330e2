import Foundation
import SmallChangesTesting
import Testing

/// The guide (flows, cards, trained matcher) is kept in the state folder: the next start reads it back instead
/// of parsing and training, and says exactly the same; an edited or damaged file is never used.
@Suite struct KeptGuideTests {
    static let command = ["chat", "--flow", "reflect", "--no-save", "--verbose"]

    static func answers() throws -> String {
        try String(
            contentsOf: GoldenTranscriptTests.folder().appendingPathComponent("reflect-short.answers"), encoding: .utf8)
    }

    /// The kept guides in a state folder.
    static func kept(in state: URL) -> [URL] {
        let folder = state.appendingPathComponent("smallchanges")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasPrefix("guide-") && $0.hasSuffix(".bin") }.sorted().map {
            folder.appendingPathComponent($0)
        }
    }

    static func permissions(_ url: URL) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.posixPermissions] as? Int
    }

    @Test func theSecondStartReadsTheKeptGuideFromAPrivateFileAndSaysTheSame() throws {
        let state = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let environment = ["XDG_STATE_HOME": state.path]

        let first = try Binary.run(Self.command, input: Self.answers(), environment: environment)
        let second = try Binary.run(Self.command, input: Self.answers(), environment: environment)

        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("parsing and training"))
        #expect(second.stderr.contains("kept guide read back"))
        #expect(!second.stderr.contains("parsing and training"))
        #expect(second.stdout == first.stdout)
        let kept = Self.kept(in: state)
        #expect(kept.count == 1)
        #expect(Self.permissions(state.appendingPathComponent("smallchanges")) == 0o700)
        #expect(kept.map(Self.permissions) == [0o600])
    }

    @Test func anEditedPromptsFolderIsReadAgainAndADamagedKeptGuideIsReplaced() throws {
        let state = try Binary.temporaryFolder()
        let folder = try BuiltInDataTests.adaptedFolder()
        defer {
            try? FileManager.default.removeItem(at: state)
            try? FileManager.default.removeItem(at: folder)
        }
        let environment = ["XDG_STATE_HOME": state.path]
        let command = Self.command + ["--prompts", folder.path]
        let answers = try Self.answers()

        let first = try Binary.run(command, input: answers, environment: environment)
        let examples = folder.appendingPathComponent("Prompts/intents.yaml")
        try (String(contentsOf: examples, encoding: .utf8) + "\n# edited\n").write(
            to: examples, atomically: true, encoding: .utf8)
        let edited = try Binary.run(command, input: answers, environment: environment)
        for file in Self.kept(in: state) { try Data("not a guide".utf8).write(to: file) }
        let damaged = try Binary.run(command, input: answers, environment: environment)
        let repaired = try Binary.run(command, input: answers, environment: environment)

        #expect(first.stderr.contains("parsing and training"))
        #expect(edited.stderr.contains("parsing and training"))
        #expect(damaged.stderr.contains("ignoring the kept guide"))
        #expect(damaged.stderr.contains("parsing and training"))
        #expect(repaired.stderr.contains("kept guide read back"))
        #expect(Set([first.stdout, edited.stdout, damaged.stdout, repaired.stdout]).count == 1)
        #expect(Self.kept(in: state).count == 2)
    }
}
