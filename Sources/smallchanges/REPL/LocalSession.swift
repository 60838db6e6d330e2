import Foundation
import SmallChangesCore
import SmallChangesStore

/// A conversation run in this process, its turns committed through its `SessionHandle` before they count.
///
/// The record is created with the first turn, so a session left before any answer leaves nothing behind.
struct LocalSession: SessionDriver {
    private(set) var handle: SessionHandle

    init(_ handle: SessionHandle) {
        self.handle = handle
    }

    /// A new session on `flow`, kept in `store` from its first turn.
    init(
        guide: Guide, flow: Flow, participants: [String] = [], reviewing: SessionID? = nil,
        store: (any SessionStore)?
    ) throws {
        handle = try SessionHandle.start(
            guide: guide, flow: flow, participants: participants, reviewing: reviewing, store: store,
            at: Startup.now())
    }

    /// Reopens a stored session (and the plans it reviews) by replaying its log.
    init(resuming id: SessionID, guide: Guide, store: any SessionStore) throws {
        do {
            handle = try SessionHandle.resume(id, guide: guide, store: store)
        } catch let error as SessionHandle.MissingFlow {
            throw UsageError(error.description)
        }
    }

    var conversation: Conversation { handle.conversation }
    var store: (any SessionStore)? { handle.store }
    var id: SessionID { handle.record.id }
    var stored: Bool { handle.isStored }

    mutating func answer(_ text: String, speaker: String?) throws -> Reply {
        let at = Startup.now()
        // The question on screen: an answer to it is never filed under another that turns taken elsewhere reached.
        let shown = handle.conversation.prompt?.id
        return try handle.take(at: at, answering: shown) { $0.answer(text, speaker: speaker, at: at) }.reply
    }

    mutating func perform(_ command: Command) throws -> Reply {
        let at = Startup.now()
        return try handle.take(at: at) { $0.perform(command, at: at) }.reply
    }

    /// Logs a figure for one of the plan's measures and saves it.
    mutating func log(_ figure: String, measure: String?, date: String?) throws -> Reply {
        let at = Startup.now()
        return try handle.take(at: at) { try $0.log(figure, measure: measure, date: date, at: at) }.reply
    }

    var prompt: Prompt? { conversation.prompt }
    var participants: [String] { conversation.participants }
    var stands: String { conversation.stands }
    var isFinished: Bool { conversation.isFinished }
    var arrivals: Int32? { nil }
    var waitingForPartner: Bool { false }
    var askedPartner: String? { nil }

    mutating func answer(_ text: String) throws -> Reply {
        try answer(text, speaker: nil)
    }

    func render(_ format: PlanFormat) throws -> String {
        // A stored session exports as `smallchanges export` writes it: the whole chain, under the plan's id.
        if stored, let store {
            let chain = try PlanChain(containing: id, in: store)
            return try chain.document(
                format, guide: conversation.guide, store: store, held: chain.tip.id == id ? conversation : nil)
        }
        return try conversation.document(format, id: id.rawValue, stamp: Startup.now())
    }

    mutating func takeArrivals(wait: Bool) throws -> [Arrival] { [] }

    func leavingNotes(folder: DataFolder?) -> [String] {
        guard stored else { return [] }
        var notes = ["", "Your session is saved as \(id) (\(conversation.stands))."]
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
}
