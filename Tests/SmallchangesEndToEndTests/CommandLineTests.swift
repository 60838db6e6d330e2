import Foundation
import SmallChangesTesting
import Testing

/// How the command line answers mistakes and options, through the built binary.
@Suite struct CommandLineTests {
    @Test func aMistypedCommandGetsDidYouMeanInsteadOfTheChatUsage() throws {
        let result = try Binary.run(["sesions"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("smallchanges: 'sesions' is not a command; did you mean: sessions?\n"))
        #expect(!result.stderr.contains("chat"))
        #expect(result.stdout.isEmpty)
    }

    @Test func chatWithoutSavingSaysNothingAboutSavedSessions() throws {
        let data = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let answers = "/help\n/sessions\nthe duty phone rang all day\n/resume latest\n"
        let result = try Binary.run(
            ["chat", "--flow", "reflect", "--no-save"], input: answers, environment: ["SMALLCHANGES_HOME": data.path])
        #expect(result.status == 0, "\(result.stderr)")
        for word in ["session is saved", "saved sessions", "is saved", "resume ID", "smallchanges resume"] {
            #expect(!result.stdout.contains(word), "--no-save output mentions \(word)")
        }
        #expect(result.stdout.contains("/sessions is off: this session is not being kept (--no-save)."))
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path).isEmpty)
    }

    @Test func versionIsPrinted() throws {
        let result = try Binary.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil)
    }
}
