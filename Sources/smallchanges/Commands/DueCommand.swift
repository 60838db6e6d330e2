import ArgumentParser
import Foundation
import SmallChangesCore
import SmallChangesStore

/// `smallchanges due`: the reviews and check-ins that have fallen due.
struct DueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due", abstract: "List the reviews and check-ins due or overdue, across your plans.")

    @Option(name: .long, help: .hidden)
    var today: String?

    @OptionGroup var common: CommonOptions
    @OptionGroup var guideOptions: GuideOptions

    func run() throws {
        Startup.bootstrapLogging(verbose: common.verbose)
        var day = CalendarDay(Startup.now())
        if let today {
            guard let given = CalendarDay(iso: today) else { throw Startup.fail("--today takes YYYY-MM-DD") }
            day = given
        }
        let guide = try Startup.guide(guideOptions, hearsAnswers: false)
        let store = try Startup.store(common)
        let (due, next) = try DueList.items(store: store, guide: guide, today: day)
        if due.isEmpty {
            print("Nothing due.")
        } else {
            for item in due {
                print(DueList.line(item))
                print("    \(DueList.hint(item))")
            }
        }
        if let next { print("Next: \(next.line), on \(next.day).") }
    }
}
