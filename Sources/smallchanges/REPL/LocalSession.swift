import Foundation
import SmallChangesCore
import SmallChangesStore

/// A conversation run in this process, saved to the store after every turn.
///
/// The record is created with the first turn, so a session left before any answer leaves nothing behind.
struct LocalSession: SessionDriver {
    private(set) var conversation: Conversation
    let store: (any SessionStore)?
    private(set) var id: SessionID
    private(set) var stored: Bool
    private var savedTurns: Int
    let startedAt: Date
    let reviewOf: SessionID?

    init(conversation: Conversation, store: (any SessionStore)?, reviewOf: SessionID? = nil) {
        self.conversation = conversation
        self.store = store
        id = SessionID.mint()
        stored = false
        savedTurns = 0
        startedAt = Startup.now()
        self.reviewOf = reviewOf
    }

    /// Reopens a stored session by replaying its log.
    init(stored session: StoredSession, guide: Guide, store: any SessionStore, reviewing: ChangePlan?) throws {
        guard let flow = guide.flow(session.record.flow) else {
            throw UsageError(
                "session \(session.record.id) uses the flow \"\(session.record.flow)\", which Prompts/ no longer has")
        }
        var conversation = Conversation(
            guide: guide, flow: flow, participants: session.record.participants, reviewing: reviewing)
        conversation.replay(session.turns)
        self.conversation = conversation
        self.store = store
        id = session.record.id
        stored = true
        savedTurns = session.turns.count
        startedAt = session.record.startedAt
        reviewOf = session.record.reviewOf
    }

    var record: SessionRecord {
        SessionRecord(
            id: id, flow: conversation.flow.id, participants: conversation.participants, startedAt: startedAt,
            lastActiveAt: Startup.now(), stage: conversation.whereItStands,
            readiness: Self.readiness(conversation.gaps),
            finished: conversation.isFinished, reviewOf: reviewOf)
    }

    static func readiness(_ gaps: [ReadinessGap]) -> String {
        gaps.isEmpty ? "ready" : "\(gaps.count) gap\(gaps.count == 1 ? "" : "s")"
    }

    mutating func answer(_ text: String, speaker: String?) throws -> Reply {
        try take { $0.answer(text, speaker: speaker, at: Startup.now()) }
    }

    mutating func perform(_ command: Command) throws -> Reply {
        try take { $0.perform(command, at: Startup.now()) }
    }

    /// Takes one turn and saves it before it counts.
    ///
    /// When the save fails (a full disk), the conversation goes back to where it was, so it holds just what is
    /// stored and the same question is asked again. When another process (a server on the same folder) has
    /// added turns to this session, they are taken in first, so this turn follows them; the server's
    /// `Dispatcher.turn` does the same on its side (the same lifecycle, written twice: issue 14, item 1).
    private mutating func take(_ step: (inout Conversation) throws -> Reply) throws -> Reply {
        var attempts = 0
        while true {
            try catchUp()
            let before = conversation
            let reply = try step(&conversation)
            do {
                try save()
                return reply
            } catch let error as StoreError where error.code == .moved && attempts < 3 {
                conversation = before
                attempts += 1
            } catch {
                conversation = before
                throw error
            }
        }
    }

    /// Logs a figure for one of the plan's measures and saves it.
    mutating func log(_ figure: String, measure: String?, date: String?) throws -> Reply {
        try take { try $0.log(figure, measure: measure, date: date, at: Startup.now()) }
    }

    /// Replays the turns another process stored after the ones this session has.
    private mutating func catchUp() throws {
        guard let store, stored, try store.turnCount(id) != savedTurns else { return }
        let turns = try store.load(id).turns
        guard turns.count > savedTurns else { throw StoreError.moved(id) }
        conversation.replay(Array(turns[savedTurns...]))
        savedTurns = turns.count
    }

    var prompt: Prompt? { conversation.prompt }
    var participants: [String] { conversation.participants }
    var whereItStands: String { conversation.whereItStands }
    var isFinished: Bool { conversation.isFinished }
    var arrivals: Int32? { nil }
    var waitingForPartner: Bool { false }
    var askedPartner: String? { nil }

    mutating func answer(_ text: String) throws -> Reply {
        try answer(text, speaker: nil)
    }

    func render(_ format: PlanExport.Format) throws -> String {
        // A review exports under its plan's id, as `smallchanges export` does, so calendar events keep their UIDs.
        var root = id
        if stored, let store, let chain = try? PlanChain(containing: id, in: store) { root = chain.root.id }
        return try PlanExport.render(conversation, format: format, id: root.rawValue, stamp: Startup.now())
    }

    mutating func takeArrivals(wait: Bool) throws -> [Arrival] { [] }

    func leavingNotes(folder: DataFolder?) -> [String] {
        guard stored else { return [] }
        var notes = ["", "Your session is saved as \(id) (\(conversation.whereItStands))."]
        if let folder { notes.append("It is kept in \(folder.url.path).") }
        if !conversation.isFinished {
            notes.append("Pick it up again with: smallchanges resume \(id)")
        } else if !conversation.flow.review {
            notes.append("Log your figures as you go: smallchanges log \(id) VALUE")
            notes.append("Review it after you've tried it: smallchanges review \(id)")
        } else if conversation.plan.cycles.last?.decision?.choice == .adapt {
            let next = (conversation.plan.cycles.last?.number ?? 1) + 1
            notes.append("Cycle \(next) starts now: log its figures with smallchanges log \(id) VALUE,")
            notes.append("and study it when it has run with: smallchanges review \(id)")
        }
        return notes
    }

    /// Commits every turn not yet stored, all or none, and only after the turns already stored; returns only once
    /// they are safe on disk.
    mutating func save() throws {
        guard let store, savedTurns < conversation.turns.count else { return }
        if !stored {
            try store.create(record)
            stored = true
        }
        try store.append(Array(conversation.turns[savedTurns...]), to: id, record: record, after: savedTurns)
        savedTurns = conversation.turns.count
    }
}
