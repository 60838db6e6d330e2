import ArgumentParser
import Foundation
import SmallChangesCore
import SmallChangesStore

/// `smallchanges sessions`: lists saved sessions.
struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions", abstract: "List saved sessions, most recent first.")

    @Flag(name: .long, help: "One JSON object per session, for tools.")
    var json = false

    @OptionGroup var common: CommonOptions

    func run() throws {
        Startup.bootstrapLogging(verbose: common.verbose)
        let store = try Startup.store(common)
        let records = try store.records()
        if json {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for record in records {
                print(String(decoding: try encoder.encode(record), as: UTF8.self))
            }
            return
        }
        if records.isEmpty {
            print("No saved sessions yet. Start one with: smallchanges")
            return
        }
        Console(choice: .never).page(records.map(SessionListing.line).joined(separator: "\n"))
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
        let stored = try store.load(sessionID)
        var reviewing: ChangePlan?
        if let base = stored.record.reviewOf {
            reviewing = try SessionListing.plan(of: base, store: store, guide: guide)
        }
        var session: LocalSession
        do {
            session = try LocalSession(stored: stored, guide: guide, store: store, reviewing: reviewing)
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

/// `smallchanges review`: the review flow on a saved plan.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Review a saved plan: what you predicted, what happened, what next.")

    @Argument(help: "The plan's session id, a unique start of one, or 'latest'.")
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
        let plan = try SessionListing.plan(of: sessionID, store: store, guide: guide)
        let record = try store.load(sessionID).record
        let pair = record.participants.count > 1
        guard let flow = guide.flows.first(where: { $0.review && $0.pair == pair }) else {
            throw Startup.fail("Prompts/ has no \(pair ? "pair " : "")review flow")
        }
        let conversation = Conversation(guide: guide, flow: flow, participants: record.participants, reviewing: plan)
        let session = LocalSession(conversation: conversation, store: store, reviewOf: sessionID)
        try ChatCommand.runREPL(
            session: session, guide: guide, color: color, store: store, opening: conversation.opening())
    }
}

/// `smallchanges export`: writes a saved plan as Markdown, JSON or HTML.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a saved plan as md, json or html.")

    @Argument(help: "A session id, a unique start of one, or 'latest'.")
    var id = "latest"

    @Option(name: .long, help: "md, json or html.")
    var format = "md"

    @Option(name: [.short, .long], help: "The file to write; '-' for stdout (default: the data folder's exports/).")
    var output: String?

    @Option(name: .long, help: "In a pair session: only this partner's plan and the shared agreements.")
    var speaker: String?

    @OptionGroup var common: CommonOptions
    @OptionGroup var guideOptions: GuideOptions

    func run() throws {
        Startup.bootstrapLogging(verbose: common.verbose)
        guard let chosen = PlanExport.Format(rawValue: format.lowercased()) else {
            throw Startup.fail("unknown format \"\(format)\": choose md, json or html")
        }
        let guide = try Startup.guide(guideOptions)
        let store = try Startup.store(common)
        let sessionID = try Startup.session(id, in: store)
        let conversation = try SessionListing.conversation(of: sessionID, store: store, guide: guide)
        do {
            let text = try PlanExport.render(conversation, format: chosen, speaker: speaker)
            let suffix = speaker.map { "-\($0.lowercased().filter { $0.isLetter || $0.isNumber })" } ?? ""
            let path = try PlanExport.write(
                text, to: output, defaultName: "\(sessionID)\(suffix).\(chosen.rawValue)", folder: store.folder)
            if path != "stdout" { print("Plan written to \(path)") }
        } catch let error as UsageError {
            throw Startup.fail(error.description, code: 1)
        }
    }
}

/// `smallchanges delete`: removes a session for good.
struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a saved session for good, its text included.")

    @Argument(help: "A session id or a unique start of one.")
    var id: String

    @Flag(name: .long, help: "Do not ask first.")
    var yes = false

    @OptionGroup var common: CommonOptions

    func run() throws {
        Startup.bootstrapLogging(verbose: common.verbose)
        let store = try Startup.store(common)
        let sessionID = try Startup.session(id, in: store)
        if !yes {
            guard isatty(STDIN_FILENO) == 1 else {
                throw Startup.fail("not deleting \(sessionID) without confirmation: add --yes")
            }
            print("Delete \(sessionID) and everything written in it, for good? [y/N] ", terminator: "")
            guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                print("Kept.")
                return
            }
        }
        try store.delete(sessionID)
        print("Deleted \(sessionID).")
    }
}
