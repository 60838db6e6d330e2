import ArgumentParser
import Foundation
import SmallChangesCore

/// `smallchanges flows`: work on the flows and cards an organisation adapts.
struct FlowsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flows",
        abstract: "Check an adapted Prompts/ and Corpus/ folder.",
        subcommands: [Check.self]
    )

    /// `smallchanges flows check DIR`: every problem of an adapted folder, without starting a session.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check every file of an adapted folder and list the problems as FILE:LINE.",
            discussion: """
                DIR holds Prompts/ and Corpus/, as a copy of the ones built in would (see --prompts and \
                SMALLCHANGES_ROOT). Each file is checked on its own, so one broken file does not hide another; \
                a file's first problem is the one reported. Exits 0 when the folder is ready to use, 2 when not.
                """
        )

        @Argument(help: ArgumentHelp("The folder holding Prompts/ and Corpus/.", valueName: "dir"))
        var folder: String

        func run() throws {
            let problems: [SourceError]
            do {
                problems = try GuideSource.choose(prompts: folder).sources().problems()
            } catch let error as SourceError {
                problems = [error]
            } catch let error as UsageError {
                throw Startup.fail(error.description)
            }
            guard problems.isEmpty else {
                let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
                let report = problems.map { "\($0)\n" }.joined() + "\(folder): \(count)\n"
                FileHandle.standardError.write(Data(report.utf8))
                throw ExitCode(2)
            }
            print("\(folder): every flow, card and example file is fine")
        }
    }
}
