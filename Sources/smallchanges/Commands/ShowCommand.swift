import ArgumentParser
import Foundation
import SmallChangesCore
import SmallChangesStore

/// `smallchanges show`: a plan in brief, its cycles, and a run chart of each measure's figures.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a plan in brief, its cycles and the run charts of its figures.")

    @Argument(help: "A plan's session id (or one of its reviews), a unique start of one, or 'latest'.")
    var id = "latest"

    @OptionGroup var common: CommonOptions
    @OptionGroup var guideOptions: GuideOptions

    func run() throws {
        Startup.bootstrapLogging(verbose: common.verbose)
        let guide = try Startup.guide(guideOptions, hearsAnswers: false)
        let store = try Startup.store(common)
        let chain = try PlanChain(containing: try Startup.session(id, in: store), in: store)
        let conversation: Conversation
        do {
            conversation = try chain.conversation(guide: guide, store: store)
        } catch let error as UsageError {
            throw Startup.fail(error.description, code: 1)
        }
        let plan = conversation.plan
        var out = ["\(chain.root.id): \(plan.change.last?.text ?? "no change chosen yet")"]
        out += plan.headerLines(chain.about(conversation)).map { "  \($0)" }
        out.append("")
        out += plan.summaryLines().map { "\($0.label): \($0.text)" }
        for cycle in plan.cycles {
            var line = "Cycle \(cycle.number): "
            line += cycle.decision.map { $0.choice?.rawValue ?? $0.text } ?? "no decision yet"
            if let day = cycle.decided { line += " (\(day))" }
            if let next = cycle.next.last { line += "; cycle \(cycle.number + 1) tries: \(next.text)" }
            if let prediction = cycle.predictions?.last { line += "; predicted: \(prediction.text)" }
            out.append(line)
        }
        for (_, measure) in plan.chartedMeasures {
            out.append("")
            out += plan.textChart(measure)
        }
        if plan.chartedMeasures.isEmpty, !plan.measures.isEmpty {
            out.append("")
            out.append("No figures logged yet: smallchanges log \(chain.root.id) VALUE")
        }
        Pager.show(out.joined(separator: "\n") + "\n")
    }
}
