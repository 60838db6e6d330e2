import ArgumentParser
import Foundation
import SmallChangesCore
import SmallChangesStore

/// `smallchanges log`: records one figure for one of a plan's measures, without reopening the plan.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Log a figure for a plan's measure: log ID [MEASURE] VALUE [--date D].",
        discussion: """
            MEASURE is the measure's number (1, 2...), its kind (outcome, process, balancing) or words from it; \
            without it, the plan's first outcome measure. The figure is kept in the plan's own session, so it \
            shows in every review and export of the plan. Logging again for the same measure and day corrects it.
            """)

    @Argument(help: "The plan's session id (or one of its reviews), a unique start of one, or 'latest'.")
    var id: String

    @Argument(help: "[MEASURE] VALUE: which measure, then the figure.")
    var words: [String]

    @Option(name: .long, help: "The day the figure is for: 2026-11-30, yesterday, monday... (default: today).")
    var date: String?

    @OptionGroup var common: CommonOptions
    @OptionGroup var guideOptions: GuideOptions

    func run() throws {
        Startup.bootstrapLogging(verbose: common.verbose)
        guard let figure = words.last else {
            throw Startup.fail("log needs a figure: smallchanges log ID [MEASURE] VALUE [--date D]")
        }
        let measure = words.count > 1 ? words.dropLast().joined(separator: " ") : nil
        let guide = try Startup.guide(guideOptions, hearsAnswers: false)
        let store = try Startup.store(common)
        let chain = try PlanChain(containing: try Startup.session(id, in: store), in: store)
        var session = try LocalSession(resuming: chain.root.id, guide: guide, store: store)
        let reply: Reply
        do {
            reply = try session.log(figure, measure: measure, date: date)
        } catch let problem as Conversation.LogProblem {
            throw Startup.fail(problem.description, code: 1)
        }
        for message in reply.messages { print(message.text.prefix(1).uppercased() + message.text.dropFirst() + ".") }
        let plan = try chain.conversation(guide: guide, store: store).plan
        if let index = plan.measureIndex(named: measure), plan.measures.indices.contains(index) {
            print("")
            for line in plan.textChart(plan.measures[index]) { print(line) }
        }
    }
}
