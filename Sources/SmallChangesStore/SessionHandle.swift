public import Foundation
public import SmallChangesCore

/// One session's whole life over a store: started or resumed (with the plans it reviews), an input applied,
/// the turns it added committed before anyone is told, and the record derived from the conversation.
///
/// Every face works through it: the REPL and the commands in this process, the server's sessions in memory and
/// the sessions partners share. A store may be shared with other processes (a REPL and a server on one data
/// folder): before each input the handle takes in the turns another process stored since it last looked, and a
/// commit that finds the session moved meanwhile is taken again after them.
public struct SessionHandle: Sendable {
    public private(set) var conversation: Conversation
    /// The session as stored, or as it will be stored with its first turn.
    public private(set) var record: SessionRecord
    /// Where the session is kept; `nil` for a session that is not (`chat --no-save`).
    public let store: (any SessionStore)?
    /// Whether the store holds the session yet: a session is created with its first turn unless `create()` is
    /// called, so one left before any answer leaves nothing behind.
    public private(set) var isStored: Bool
    /// How many of the conversation's turns the store holds.
    private var storedTurns: Int

    /// How many times a commit is tried again after another process moved the session.
    private static let attempts = 3

    /// A new session, not stored until `create()` or its first turn.
    ///
    /// - Parameter reviewing: the session whose plan this one reviews; its plan is rebuilt from the store.
    public static func start(
        guide: Guide, flow: Flow, participants: [String], reviewing: SessionID? = nil,
        store: (any SessionStore)?, id: SessionID = .mint(), at time: Date
    ) throws -> SessionHandle {
        var plan: ChangePlan?
        if let reviewing {
            guard let store else { throw StoreError.unknownSession(reviewing) }
            plan = try Self.plan(of: reviewing, guide: guide, store: store)
        }
        let conversation = Conversation(guide: guide, flow: flow, participants: participants, reviewing: plan)
        let record = SessionRecord(
            id: id, flow: flow.id, participants: participants, startedAt: time, lastActiveAt: time,
            reviewOf: reviewing)
        return SessionHandle(
            conversation: conversation, record: record.deriving(from: conversation), store: store, isStored: false,
            storedTurns: 0)
    }

    /// A stored session, its log replayed on the plan it reviews (and that plan on the one before it, back to the
    /// first plan of the chain).
    ///
    /// - Throws: ``StoreError`` from the store, ``MissingFlow`` when the session's flow is not in `guide`.
    public static func resume(_ id: SessionID, guide: Guide, store: any SessionStore) throws -> SessionHandle {
        try resume(id, guide: guide, store: store, seen: [])
    }

    /// The plan of a stored session, with every cycle reviewed before it.
    public static func plan(of id: SessionID, guide: Guide, store: any SessionStore) throws -> ChangePlan {
        try resume(id, guide: guide, store: store).conversation.plan
    }

    private static func resume(
        _ id: SessionID, guide: Guide, store: any SessionStore, seen: Set<SessionID>
    ) throws -> SessionHandle {
        let stored = try store.load(id)
        var conversation = try emptyConversation(stored.record, guide: guide, store: store, seen: seen)
        conversation.replay(stored.turns)
        return SessionHandle(
            conversation: conversation, record: stored.record, store: store, isStored: true,
            storedTurns: stored.turns.count)
    }

    /// A stored session's conversation before its first turn: its flow, partners, and the plan it reviews.
    private static func emptyConversation(
        _ record: SessionRecord, guide: Guide, store: any SessionStore, seen: Set<SessionID>
    ) throws -> Conversation {
        guard let flow = guide.flow(record.flow) else { throw MissingFlow(session: record.id, flow: record.flow) }
        var reviewing: ChangePlan?
        var seen = seen
        seen.insert(record.id)
        if let base = record.reviewOf, !seen.contains(base) {
            do {
                reviewing = try resume(base, guide: guide, store: store, seen: seen).conversation.plan
            } catch let error as StoreError where error.code == .unknownSession {
                // Deleted meanwhile: the review goes on without the plan it reviewed, as the store unlinks it.
            }
        }
        return Conversation(guide: guide, flow: flow, participants: record.participants, reviewing: reviewing)
    }

    /// Stores the session now, before its first turn (the server's sessions exist from their start).
    public mutating func create() throws {
        guard let store, !isStored else { return }
        try store.create(record)
        isStored = true
    }

    /// What one input did: the reply to show, and the turns it added (committed before this returns).
    public struct Taken: Sendable {
        public var reply: Reply
        public var added: [Turn]
    }

    /// Applies one input and commits the turns it added before returning; the record follows the conversation.
    ///
    /// When the commit fails (a full disk), the conversation goes back to what the store holds, so the same
    /// question is asked again and nothing unsaved is shown as kept. When another process stored turns first, they
    /// are taken in and the input is applied after them.
    ///
    /// - Parameters:
    ///   - key: the client's message id, kept with the last turn the input added (see
    ///     ``SessionStore/append(_:to:record:after:key:)``).
    ///   - question: the id of the question the input answers, as the person saw it; when turns stored elsewhere
    ///     have moved the session to another question, the input is not applied (``MovedOn``).
    public mutating func take(
        at time: Date, key: String? = nil, answering question: String? = nil,
        _ input: (inout Conversation) throws -> Reply
    ) throws -> Taken {
        var attempt = 0
        while true {
            try catchUp()
            if let question, conversation.prompt?.id != question { throw MovedOn(session: record.id) }
            let before = self
            let reply = try input(&conversation)
            let added = conversation.turns.count > storedTurns ? Array(conversation.turns[storedTurns...]) : []
            do {
                try commit(added, at: time, key: key)
                return Taken(reply: reply, added: added)
            } catch let error as StoreError where error.code == .moved && attempt < Self.attempts {
                self = before
                attempt += 1
            } catch {
                self = before
                throw error
            }
        }
    }

    /// Takes in the turns another process stored since this handle last looked.
    ///
    /// - Throws: ``StoreError`` `unknownSession` when the session was deleted meanwhile, `moved` when the store
    ///   holds fewer turns than this handle (rebuild it with `resume`).
    public mutating func catchUp() throws {
        guard let store, isStored, try store.turnCount(record.id) != storedTurns else { return }
        let stored = try store.load(record.id)
        guard stored.turns.count > storedTurns else { throw StoreError.moved(record.id) }
        conversation.replay(Array(stored.turns[storedTurns...]))
        storedTurns = stored.turns.count
        record = stored.record
    }

    private mutating func commit(_ added: [Turn], at time: Date, key: String?) throws {
        guard !added.isEmpty else { return }
        var record = self.record.deriving(from: conversation)
        record.lastActiveAt = time
        if let store {
            if !isStored {
                try store.create(self.record)
                isStored = true
            }
            try store.append(added, to: record.id, record: record, after: storedTurns, key: key)
        }
        storedTurns = conversation.turns.count
        self.record = record
    }

    /// The stored turns after `first` (up to `last`, or all), each with what its input said when it was taken: the
    /// session replayed up to each, and the turn taken again. The core is deterministic, so the reply is the one
    /// its client got; nothing but the turn itself is stored.
    ///
    /// - Parameter describe: what to keep of each: the turn's number (from 1), the turn, its reply, and the
    ///   conversation just after it.
    public static func replayed<Result>(
        _ id: SessionID, after first: Int, through last: Int? = nil, guide: Guide, store: any SessionStore,
        _ describe: (_ number: Int, Turn, Reply, Conversation) -> Result
    ) throws -> [Result] {
        let stored = try store.load(id)
        var conversation = try emptyConversation(stored.record, guide: guide, store: store, seen: [])
        let start = min(max(0, first), stored.turns.count)
        let end = max(start, min(last ?? stored.turns.count, stored.turns.count))
        conversation.replay(Array(stored.turns[..<start]))
        var results: [Result] = []
        for index in start..<end {
            let turn = stored.turns[index]
            let reply: Reply
            switch turn.kind {
            case .answer:
                reply = conversation.answer(turn.text, speaker: turn.speaker, at: turn.at)
            case .command:
                if let command = Command(name: turn.text, argument: turn.argument) {
                    reply = conversation.perform(command, at: turn.at)
                } else {
                    // A command this build does not know changed nothing when it was stored either.
                    conversation.replay([turn])
                    reply = Reply(accepted: false, prompt: conversation.prompt)
                }
            case .measurement:
                // A figure logged for a measure: its turn carries the value; what it said is not rebuilt.
                conversation.replay([turn])
                reply = Reply(accepted: true, prompt: conversation.prompt)
            }
            results.append(describe(index + 1, turn, reply, conversation))
        }
        return results
    }

    /// Turns taken elsewhere moved the session on from the question an input answered: it was not applied, and the
    /// handle now holds the session as stored, at its current question.
    public struct MovedOn: Error, CustomStringConvertible, Sendable {
        public var session: SessionID
        public var description: String {
            "session \(session) moved on elsewhere before this answer: it was not taken"
        }
    }

    /// The session's flow is not among the loaded ones (an adapted Prompts/ folder dropped it).
    public struct MissingFlow: Error, CustomStringConvertible, Sendable {
        public var session: SessionID
        public var flow: String
        public var description: String {
            "session \(session) uses the flow \"\(flow)\", which Prompts/ no longer has"
        }
    }
}
