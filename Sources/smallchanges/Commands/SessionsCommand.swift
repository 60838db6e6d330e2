import ArgumentParser
import Foundation
import SmallChangesCore
import SmallChangesMCP
import SmallChangesStore

/// `smallchanges sessions`: lists saved sessions.
struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions", abstract: "List saved sessions, most recent first.")

    @Flag(name: .long, help: "One JSON object per session, for tools.")
    var json = false

    @OptionGroup var common: CommonOptions
    @OptionGroup var guideOptions: GuideOptions

    func run() throws {
        Startup.bootstrapLogging(verbose: common.verbose)
        let store = try Startup.store(common)
        let records = try store.records()
        // Where each stands is worded from its flow.
        let guide = try Startup.guide(guideOptions, hearsAnswers: false)
        if json {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for record in records {
                print(String(decoding: try encoder.encode(SessionSummary(record, guide: guide)), as: UTF8.self))
            }
            return
        }
        if records.isEmpty {
            print("No saved sessions yet. Start one with: smallchanges")
            return
        }
        Console(choice: .never).page(records.map { SessionListing.line($0, guide: guide) }.joined(separator: "\n"))
    }
}

/// `smallchanges resume`: reopens a saved session where it stopped.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Pick up a saved session where it stopped.")

    @Argument(help: "A session id, a unique start of one, or 'latest'.")
    var id = "latest"

    @Option(name: .long, help: "Reopen this part of the plan to change it (aim, steps, measures, …), finished or not.")
    var edit: String?

    @Option(name: .long, help: "Colour: auto, always or never.")
    var color: Console.ColorChoice = .auto

    @OptionGroup var common: CommonOptions
    @OptionGroup var guideOptions: GuideOptions

    func run() throws {
        Startup.bootstrapLogging(verbose: common.verbose)
        let guide = try Startup.guide(guideOptions)
        let store = try Startup.store(common)
        let sessionID = try Startup.session(id, in: store)
        var session: LocalSession
        do {
            session = try LocalSession(resuming: sessionID, guide: guide, store: store)
        } catch let error as UsageError {
            throw Startup.fail(error.description, code: 1)
        }
        var summary = session.conversation.summary().map { Message(.info, $0) }
        if let edit {
            let reply = try session.perform(Command.edit(edit))
            guard reply.accepted else {
                throw Startup.fail(reply.messages.map { $0.text }.joined(separator: " "), code: 1)
            }
            summary += reply.messages
        }
        let opening = Reply(accepted: true, messages: summary, prompt: session.conversation.prompt)
        if session.conversation.isFinished {
            for line in session.conversation.summary() { print(line) }
            print("This session is finished. Review it with: smallchanges review \(sessionID)")
            print("Change a part of it with: smallchanges resume \(sessionID) --edit aim (or steps, measures, …)")
            return
        }
        try ChatCommand.runREPL(session: session, guide: guide, color: color, store: store, opening: opening)
    }
}

/// `smallchanges review`: the review flow on a saved plan's latest cycle, after asking this period's figures.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review a saved plan: this period's figures, what you predicted, what happened, what next.")

    @Argument(help: "The plan's session id (or one of its reviews), a unique start of one, or 'latest'.")
    var id = "latest"

    @Option(name: .long, help: "Colour: auto, always or never.")
    var color: Console.ColorChoice = .auto

    @OptionGroup var common: CommonOptions
    @OptionGroup var guideOptions: GuideOptions

    func run() throws {
        Startup.bootstrapLogging(verbose: common.verbose)
        let guide = try Startup.guide(guideOptions)
        let store = try Startup.store(common)
        var sessionID = try Startup.session(id, in: store)
        if id == "latest" {
            // The latest finished plan (not a review of one, nor a plan still being written), else the latest plan.
            let plans = try store.records().filter { guide.flow($0.flow)?.review == false }
            if let plan = plans.first(where: \.finished) ?? plans.first {
                sessionID = plan.id
            }
        }
        let chain = try PlanChain(containing: sessionID, in: store)
        let tip = chain.tip
        if let reviewed = tip.reviewOf, !tip.finished {
            // A review under way is picked up where it stopped, rather than a second one started beside it.
            let session = try LocalSession(resuming: tip.id, guide: guide, store: store)
            let summary = session.conversation.summary().map { Message(.info, $0) }
            try ChatCommand.runREPL(
                session: session, guide: guide, color: color, store: store,
                opening: Reply(accepted: true, messages: summary, prompt: session.conversation.prompt))
            return
        }
        try Self.askFigures(chain, guide: guide, store: store)
        let pair = chain.root.participants.count > 1
        guard let flow = guide.flows.first(where: { $0.review && $0.pair == pair }) else {
            throw Startup.fail("Prompts/ has no \(pair ? "pair " : "")review flow")
        }
        let session = try LocalSession(
            guide: guide, flow: flow, participants: chain.root.participants, reviewing: tip.id, store: store)
        try ChatCommand.runREPL(
            session: session, guide: guide, color: color, store: store, opening: session.conversation.opening())
    }

    /// Asks this period's figure for each measure and logs it in the plan's own session: "12", "12 on monday",
    /// or nothing to skip.
    static func askFigures(_ chain: PlanChain, guide: Guide, store: any SessionStore) throws {
        var root = try LocalSession(resuming: chain.root.id, guide: guide, store: store)
        let measures = root.conversation.plan.measures
        guard !measures.isEmpty else { return }
        print("First, this period's figures (a number, \"12 on monday\" for another day, or Enter to skip):")
        for (index, measure) in measures.enumerated() {
            print("\u{2022} \(measure.text)\(measure.unit.map { " (\($0))" } ?? ""): ", terminator: "")
            fflush(nil)
            guard let line = readLine(strippingNewline: true) else { return }
            let typed = line.trimmingCharacters(in: .whitespaces)
            guard !typed.isEmpty else { continue }
            let parts = typed.components(separatedBy: " on ")
            do {
                let reply = try root.log(
                    parts[0], measure: String(index + 1), date: parts.count > 1 ? parts.dropFirst().joined() : nil)
                for message in reply.messages { print("  \(message.text)") }
            } catch let problem as Conversation.LogProblem {
                print("  \(problem.description): not logged")
            }
            // The REPL that follows writes through its own handle: what was printed goes out first.
            fflush(nil)
        }
    }
}

/// `smallchanges export`: writes a saved plan, with every cycle reviewed so far, as Markdown, JSON, HTML or
/// iCalendar.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a saved plan as md, json, html, or its dates as ics.")

    @Argument(help: "A session id (a plan or one of its reviews), a unique start of one, or 'latest'.")
    var id = "latest"

    @Option(name: .long, help: "md, json, html or ics (the check-ins and review dates, for a calendar).")
    var format = "md"

    @Option(name: [.short, .long], help: "The file to write; '-' for stdout (default: the data folder's exports/).")
    var output: String?

    @Option(name: .long, help: "In a pair session: only this partner's plan and the shared agreements.")
    var speaker: String?

    @OptionGroup var common: CommonOptions
    @OptionGroup var guideOptions: GuideOptions

    func run() throws {
        Startup.bootstrapLogging(verbose: common.verbose)
        guard let chosen = PlanFormat(named: format) else {
            throw Startup.fail("unknown format \"\(format)\": choose md, json, html or ics")
        }
        let guide = try Startup.guide(guideOptions, hearsAnswers: false)
        let store = try Startup.store(common)
        let chain = try PlanChain(containing: try Startup.session(id, in: store), in: store)
        do {
            let text = try chain.document(chosen, speaker: speaker, guide: guide, store: store)
            let suffix = speaker.map { "-\($0.lowercased().filter { $0.isLetter || $0.isNumber })" } ?? ""
            let path = try PlanExport.write(
                text, to: output, defaultName: "\(chain.root.id)\(suffix).\(chosen.fileExtension)", folder: store.folder
            )
            if path != "stdout" { print("Plan written to \(path)") }
        } catch let error as Conversation.UnknownSpeaker {
            throw Startup.fail(error.description, code: 1)
        }
    }
}

/// `smallchanges delete`: removes a session for good, with the reviews that follow it and its exports.
struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a saved session for good: its text, its reviews, and its exports in the data folder.")

    @Argument(help: "A session id or a unique start of one.")
    var id: String

    @Flag(name: .long, help: "Do not ask first.")
    var yes = false

    @OptionGroup var common: CommonOptions

    func run() throws {
        Startup.bootstrapLogging(verbose: common.verbose)
        let store = try Startup.store(common)
        let sessionID = try Startup.session(id, in: store)
        let reviews = PlanChain.reviews(of: sessionID, in: try store.records()).map(\.id)
        let sessions = [sessionID] + reviews
        let exports = Self.exports(of: sessions, in: store.folder)
        if !yes {
            guard isatty(STDIN_FILENO) == 1 else {
                throw Startup.fail("not deleting \(sessionID) without confirmation: add --yes")
            }
            var what = "\(sessionID) and everything written in it"
            if !reviews.isEmpty { what += ", its \(reviews.count) review\(reviews.count == 1 ? "" : "s")" }
            if !exports.isEmpty { what += ", \(exports.count) exported file\(exports.count == 1 ? "" : "s")" }
            print("Delete \(what), for good? [y/N] ", terminator: "")
            guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                print("Kept.")
                return
            }
        }
        // The latest review first, so no review is ever left pointing at a deleted session.
        for id in sessions.reversed() { try store.delete(id) }
        // `smallchanges mcp` keeps the ids of the answers it took, per session: they go too.
        let answers = store.folder.url.appendingPathComponent(ClientMessageLog.fileName)
        if FileManager.default.fileExists(atPath: answers.path) {
            let log = try ClientMessageLog(file: answers)
            for id in sessions { try log.forget(session: id.rawValue) }
        }
        for file in exports { try FileManager.default.removeItem(at: file) }
        var done = "Deleted \(sessionID)"
        if !reviews.isEmpty { done += " and its \(reviews.count) review\(reviews.count == 1 ? "" : "s")" }
        if !exports.isEmpty { done += "; removed \(exports.count) exported file\(exports.count == 1 ? "" : "s")" }
        print(done + ".")
    }

    /// The files in the data folder's exports/ written for these sessions (named after their ids).
    static func exports(of sessions: [SessionID], in folder: DataFolder) -> [URL] {
        let exports = folder.url.appendingPathComponent("exports", isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: exports.path)) ?? []
        return names.filter { name in sessions.contains { name.hasPrefix($0.rawValue) } }.sorted()
            .map { exports.appendingPathComponent($0) }
    }
}
