import Foundation
import SmallChangesCore
import SmallChangesStore

/// The chat loop: shows each question, reads answers and slash commands, and saves after every turn
/// before the next question is shown.
///
/// The session is local (one keyboard) or on a server and shared with a partner at another terminal;
/// then the partner's turns are shown as they arrive, even while someone is typing.
struct ChatREPL {
    var session: any SessionDriver
    /// The flows and corpus, for `/resume`; `nil` for a session on a server.
    let guide: Guide?
    let console: Console
    let input: LineInput
    let folder: DataFolder?
    /// Where this run wrote exports, to say on leaving.
    private var exported: [String] = []
    /// The question last shown, so a question that arrives with a partner's turn is shown once.
    private var shownPrompt: Prompt?
    /// Why the last answer or command could not be saved, until one is saved again: said on leaving, and the exit
    /// status is then 1.
    private var unsaved: (any Error)?
    /// How many inputs in a row the store refused, the last of them `unsaved`.
    private var refused = 0

    /// The exit status on leaving: 1 when the last answer could not be saved.
    private var exitStatus: Int32 { unsaved == nil ? 0 : 1 }

    static let commands = [
        "/help", "/back", "/skip", "/done", "/plan", "/export", "/sessions", "/resume", "/who", "/edit", "/block",
        "/quit",
        "/exit",
    ]

    /// The commands as `/help` lists them; without saving (`chat --no-save`), none that speak of saved sessions.
    static func commandHelp(saving: Bool) -> String {
        var lines = [
            "Commands:",
            "  /help                 this list",
            "  /back                 undo your last answer and go back",
            "  /skip                 leave this question for now",
            "  /done                 finish a list question",
            "  /plan                 show your plan so far",
            "  /export md|json|html [PATH]   write your plan to a file (PATH - for the screen)",
        ]
        if saving {
            lines += [
                "  /sessions             list saved sessions",
                "  /resume ID            switch to a saved session",
            ]
        }
        lines += [
            "  /edit PART            reopen a part of the plan to change it (/edit aim, /edit steps)",
            "  /block NAME           the building block of your last barrier or idea (/block leadership)",
            "  /who NAME             in a pair: the next answer is by NAME",
            saving
                ? "  /quit, /exit          leave (everything is saved); Ctrl-D does the same"
                : "  /quit, /exit          leave; Ctrl-D does the same",
            "For a long answer, type \"\"\" on a line, then your text, then \"\"\" again, or paste it.",
            "Start an answer with // if it really begins with a slash.",
        ]
        return lines.joined(separator: "\n")
    }

    /// The commands offered by tab completion.
    static func completions(saving: Bool) -> [String] {
        commands.filter { saving || ($0 != "/sessions" && $0 != "/resume") }
    }

    /// Whether this session is kept: saved here, or held by a server. Without it (`chat --no-save`) nothing
    /// said speaks of saved sessions.
    var saving: Bool { Self.keeps(session) }

    static func keeps(_ session: any SessionDriver) -> Bool { session.store != nil || session is RemoteSession }

    init(session: any SessionDriver, guide: Guide?, console: Console, input: LineInput, folder: DataFolder?) {
        self.session = session
        self.guide = guide
        self.console = console
        self.input = input
        self.folder = folder
    }

    /// Runs until the flow ends or the person leaves. Returns the process exit code.
    mutating func run(opening: Reply?) -> Int32 {
        if input.interactive {
            console.write(console.dim("smallchanges \u{2014} type /help for commands, /quit or Ctrl-D to leave."))
        }
        if let opening { show(opening, showPrompt: false) }
        var showQuestion = true
        while true {
            guard showArrivals(wait: false) else { return 1 }
            guard let prompt = session.prompt else { break }
            if showQuestion || prompt != shownPrompt { ask(prompt) }
            showQuestion = true
            if session.askedPartner != nil && !input.interactive {
                // Plain lines are answers in order: wait for the partner's turn before reading the next,
                // and leave a question to both to whoever the flow names, so a script always gives one plan.
                guard showArrivals(wait: true) else { return 1 }
                showQuestion = false
                continue
            }
            let speaker = (session as? RemoteSession)?.name ?? prompt.speaker
            let marker = console.promptMarker(
                (speaker.map { "\($0) " } ?? "") + "\u{203A} ", interactive: input.interactive)
            switch input.read(prompt: marker, watching: session.arrivals) {
            case .watched:
                showQuestion = false
            case .end:
                leave()
                return exitStatus
            case .interrupted(let typed):
                showQuestion = false
                if typed.isEmpty {
                    let saved = saving ? " \u{2014} your session is saved" : ""
                    console.write(console.dim("(Use /quit or Ctrl-D to leave\(saved).)"))
                } else {
                    console.write(console.dim("(Line dropped; press \u{2191} to get it back.)"))
                }
            case .line(let line):
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed == "\"\"\"" {
                    guard let text = readMultiline() else {
                        leave()
                        return exitStatus
                    }
                    if !submit(text) { return exitStatus }
                } else if line.contains("\n") {
                    // A pasted block (bracketed paste) is one answer, joined as a typed multi-line one is.
                    let lines = line.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    if !submit(Self.joinParagraph(lines)) { return exitStatus }
                } else if trimmed.hasPrefix("//") {
                    if !submit(String(trimmed.dropFirst())) { return exitStatus }
                } else if trimmed.hasPrefix("/") {
                    input.rememberCommand(trimmed)
                    switch command(trimmed) {
                    case .stay: showQuestion = false
                    case .ask: break
                    case .leave: return exitStatus
                    }
                } else {
                    if !submit(line) { return exitStatus }
                }
            }
        }
        leave()
        return exitStatus
    }

    /// Reads the lines of a multi-line answer up to a closing `"""`. Nil at end of input.
    func readMultiline() -> String? {
        var lines: [String] = []
        while true {
            switch input.read(prompt: console.promptMarker("\u{2026} ", interactive: input.interactive)) {
            case .end: return lines.isEmpty ? nil : lines.joined(separator: "\n")
            case .interrupted: return ""
            case .watched: continue
            case .line(let line):
                if line.trimmingCharacters(in: .whitespaces) == "\"\"\"" { return Self.joinParagraph(lines) }
                // A pasted block comes as one line holding several.
                lines += line.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            }
        }
    }

    /// Joins the lines of a multi-line answer: a list (lines starting with -, *, • or a number) keeps one
    /// item per line; wrapped prose becomes one paragraph.
    static func joinParagraph(_ lines: [String]) -> String {
        let isList = lines.contains { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix("-") || trimmed.hasPrefix("*") || trimmed.hasPrefix("\u{2022}")
                || trimmed.range(of: "^[0-9]+[.)] ", options: .regularExpression) != nil
        }
        if isList { return lines.joined(separator: "\n") }
        return lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Answers the current question. Returns false when the person asked to stop.
    mutating func submit(_ text: String) -> Bool {
        let reply: Reply
        do {
            reply = try session.answer(text)
        } catch let error as LineSocket.Failure {
            lostServer(error)
            return false
        } catch is SessionHandle.MovedOn {
            console.show(
                Message(
                    .warning,
                    "Meanwhile this session was answered elsewhere (another window, or a server on the same folder), so those words were not taken. Here is where it stands now."
                ))
            return true
        } catch {
            saveFailed(error)
            return true
        }
        unsaved = nil
        refused = 0
        // A partner's turns applied before this one are shown first, in the order the server took them.
        _ = showArrivals(wait: false)
        show(reply, showPrompt: false)
        if reply.quit {
            leave()
            return false
        }
        return true
    }

    enum Next { case stay, ask, leave }

    mutating func command(_ line: String) -> Next {
        let parts = line.dropFirst().split(separator: " ", maxSplits: 1).map(String.init)
        let name = parts.first?.lowercased() ?? ""
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : nil
        switch name {
        case "help", "?":
            console.page(Conversation.helpText + "\n" + Self.commandHelp(saving: saving))
            return .ask
        case "quit", "exit", "bye", "q":
            leave()
            return .leave
        case "plan", "show":
            do {
                console.page(try session.render(.markdown))
            } catch {
                console.show(Message(.warning, "Could not show the plan: \(error)"))
            }
            return .ask
        case "export":
            export(argument)
            return .stay
        case "sessions":
            listSessions()
            return .stay
        case "resume":
            return resume(argument)
        case "back", "undo", "skip", "done", "who", "edit", "block":
            guard let command = Command(name: name, argument: argument) else {
                let example =
                    switch name {
                    case "edit": "/edit aim"
                    case "block": "/block leadership"
                    default: "/who \(session.participants.first ?? "NAME")"
                    }
                console.show(Message(.warning, "/\(name) needs to know which: \(example)"))
                return .stay
            }
            do {
                let reply = try session.perform(command)
                unsaved = nil
                refused = 0
                _ = showArrivals(wait: false)
                show(reply, showPrompt: false)
            } catch let error as LineSocket.Failure {
                lostServer(error)
                return .leave
            } catch {
                saveFailed(error)
            }
            return .ask
        default:
            console.show(
                Message(
                    .warning,
                    "Unknown command /\(name). Type /help for the list; start an answer with // if it begins with a slash."
                ))
            return .stay
        }
    }

    mutating func export(_ argument: String?) {
        let words = (argument ?? "md").split(separator: " ", maxSplits: 1).map(String.init)
        guard let format = PlanFormat(named: words.first ?? "md") else {
            console.show(Message(.warning, "Export as md, json, html or ics: /export md [PATH]"))
            return
        }
        do {
            let text = try session.render(format)
            let path = try PlanExport.write(
                text, to: words.count > 1 ? words[1] : nil, defaultName: "\(session.id).\(format.fileExtension)",
                folder: folder)
            if path != "stdout" {
                if !exported.contains(path) { exported.append(path) }
                console.show(Message(.info, "Plan written to \(path)"))
            }
        } catch {
            console.show(Message(.warning, "Could not write the plan: \(error)"))
        }
    }

    func listSessions() {
        guard let store = session.store, let guide else {
            let elsewhere = "Saved sessions are listed at the server's terminal: smallchanges sessions"
            console.show(Message(.warning, saving ? elsewhere : Self.unsaved("/sessions")))
            return
        }
        do {
            let records = try store.records()
            if records.isEmpty {
                console.write("No saved sessions yet.")
            } else {
                console.page(records.prefix(20).map { SessionListing.line($0, guide: guide) }.joined(separator: "\n"))
            }
        } catch {
            console.show(Message(.warning, "\(error)"))
        }
    }

    mutating func resume(_ argument: String?) -> Next {
        guard let store = session.store, let guide else {
            let elsewhere = "/resume works at one keyboard, not in a shared session."
            console.show(Message(.warning, saving ? elsewhere : Self.unsaved("/resume")))
            return .stay
        }
        guard let argument, !argument.isEmpty else {
            console.show(Message(.warning, "/resume needs a session id, or the start of one: /sessions lists them."))
            return .stay
        }
        do {
            let resumed = try LocalSession(
                resuming: try Startup.resolve(argument, in: store), guide: guide, store: store)
            session = resumed
            for line in resumed.conversation.summary() { console.show(Message(.info, line)) }
            return .ask
        } catch {
            console.show(Message(.warning, "\(error)"))
            return .stay
        }
    }

    /// Why a command about saved sessions does nothing in a session that is not kept.
    static func unsaved(_ command: String) -> String {
        "\(command) is off: this session is not being kept (--no-save)."
    }

    /// Shows a question, and whose it is when a partner at another terminal is to answer it.
    mutating func ask(_ prompt: Prompt) {
        console.show(prompt)
        shownPrompt = prompt
        if session.waitingForPartner, let speaker = prompt.speaker {
            console.write(
                console.dim("  (\(speaker) answers this one; it will show here. /help and /plan still work.)"))
        }
    }

    /// Shows what a partner did since the last look. Returns false when the server has gone, after
    /// saying so and leaving.
    mutating func showArrivals(wait: Bool) -> Bool {
        let arrivals: [Arrival]
        do {
            arrivals = try session.takeArrivals(wait: wait)
        } catch {
            lostServer(error)
            return false
        }
        for arrival in arrivals {
            switch arrival {
            case .turn(let speaker, let said, let reply):
                console.show(Message(.pair, said, speaker: speaker))
                show(reply, showPrompt: false)
            case .joined(let name):
                console.show(Message(.info, "\(name) has joined."))
            case .left(let name):
                console.show(
                    Message(
                        .warning,
                        "\(name) has left. Carry on: you can answer their questions too, or /quit (everything is kept)."
                    ))
            }
        }
        return true
    }

    func show(_ reply: Reply, showPrompt: Bool) {
        for message in reply.messages { console.show(message) }
        if showPrompt, let prompt = reply.prompt { console.show(prompt) }
    }

    func lostServer(_ error: any Error) {
        console.show(Message(.warning, "Lost the server: \(error). Everything answered so far is kept there."))
        leave()
    }

    /// Says an answer was not saved; the session stays where it was, on the same question, which is asked again.
    mutating func saveFailed(_ error: any Error) {
        if let refusal = error as? RemoteSession.Refusal {
            console.show(Message(.warning, refusal.description))
            return
        }
        unsaved = error
        refused += 1
        let again =
            input.interactive
            ? "Press \u{2191} to get your words back and send them again, or /quit." : "Send it again, or /quit."
        console.show(
            Message(
                .warning,
                "Not saved: \(error) That answer was not taken; you are still on the same question. \(again)"))
    }

    func leave() {
        input.close()
        if let unsaved {
            console.write("")
            console.write("Not saved: your last answer (\(unsaved))")
            let before = refused > 1 ? "Nor the \(refused - 1) before it, refused the same way. " : ""
            let saved = !session.leavingNotes(folder: folder).isEmpty
            console.write(
                before + (saved ? "Every answer taken before those is saved." : "Nothing of this session was saved."))
        }
        for note in session.leavingNotes(folder: folder) { console.write(note) }
        // A reminder of where the plan went, each file once, as the session closes.
        for path in exported { console.write("Plan exported to \(path)") }
    }
}
