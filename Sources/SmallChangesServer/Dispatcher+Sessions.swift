import Foundation
import SmallChangesCore
import SmallChangesStore

/// The session and plan methods. Each runs as one of its session's jobs, so it has the session to itself.
extension Dispatcher {
    func start(_ params: SessionStart.Params, id: SessionID, from peer: Peer?) throws -> SessionStart.Result {
        guard let flow = guide.flow(params.flow) else { throw ServerError.unknownFlow }
        let participants = params.participants ?? []
        guard participants.count <= 8 else {
            throw ServerError.outOfRange(field: "participants", range: "at most 8 names")
        }
        for name in participants { try checkLength(name, field: "participants") }
        let share = params.share ?? false
        if share {
            guard let peer, peer.canShare else { throw ServerError.needsConnection }
            guard participants.count == 2,
                participants[0].caseInsensitiveCompare(participants[1]) != .orderedSame
            else {
                throw ServerError.outOfRange(field: "participants", range: "two different names to share a session")
            }
        }
        var reviewing: ChangePlan?
        if let reviewOf = params.reviewing {
            reviewing = try loadConversation(reviewOf).conversation.plan
        }
        // A pair flow asks each partner by name: it needs two, given or taken from the plan under review.
        if flow.pair, (participants.isEmpty ? reviewing?.participants ?? [] : participants).count != 2 {
            throw ServerError.outOfRange(field: "participants", range: "two names for the \(flow.id) flow")
        }
        let conversation = Conversation(guide: guide, flow: flow, participants: participants, reviewing: reviewing)
        let opening = conversation.opening()
        let at = now()
        let record = SessionRecord(
            id: id, flow: flow.id, participants: participants, startedAt: at, lastActiveAt: at,
            stage: conversation.whereItStands, readiness: Self.readiness(of: conversation),
            finished: conversation.isFinished, reviewOf: params.reviewing)
        try store.create(record)
        registry.setSession(LiveSession(conversation: conversation, record: record), for: id)
        var result = SessionStart.Result(
            sessionId: id, messages: opening.messages, prompt: opening.prompt, stands: conversation.whereItStands,
            answering: Self.answering(conversation))
        if share, let peer {
            try sharing.seat(peer, as: participants[0], in: id, delivered: 0)
            let invitation = try sharing.invite(participants[1], to: id, now: at)
            result.joinCode = invitation.code.description
            result.joinExpiresAt = invitation.expires
        }
        return result
    }

    func answer(_ params: SessionAnswer.Params, from peer: Peer?) throws -> TurnResult {
        try checkLength(params.text, field: "text")
        try checkLength(params.speaker, field: "speaker")
        if let key = params.clientMsgId, key.isEmpty || key.utf8.count > 64 {
            throw ServerError.outOfRange(field: "clientMsgId", range: "1 to 64 characters")
        }
        return try turn(params.sessionId, from: peer, takesTurn: true, key: params.clientMsgId) {
            conversation, at, seat in
            let speaker = seat.map { Self.speaker(seat: $0, in: conversation) } ?? params.speaker
            return conversation.answer(params.text, speaker: speaker, at: at)
        }
    }

    func command(_ params: SessionCommand.Params, from peer: Peer?) throws -> TurnResult {
        try checkLength(params.argument, field: "argument")
        guard let command = Command(name: params.name, argument: params.argument) else {
            if Command.needsArgument(params.name) {
                throw ServerError.outOfRange(field: "argument", range: "the name of who answers next, for who")
            }
            throw ServerError.unknownCommand
        }
        // `who` hands the question to someone: anyone seated may say it, whoever's turn it is, except to hand it to
        // themselves while it is for a partner who is there.
        let toThemselves = sharing.name(of: peer, in: params.sessionId).map {
            $0.caseInsensitiveCompare(params.argument ?? "") == .orderedSame
        }
        let takesTurn = command.name != "who" || toThemselves == true
        return try turn(params.sessionId, from: peer, takesTurn: takesTurn) { conversation, at, _ in
            conversation.perform(command, at: at)
        }
    }

    func get(_ params: SessionGet.Params) throws -> SessionGet.Result {
        let session = try live(params.sessionId)
        return SessionGet.Result(
            session: session.record, prompt: session.conversation.prompt, stands: session.conversation.whereItStands,
            finished: session.conversation.isFinished, turns: session.conversation.turns.count)
    }

    func resume(_ params: SessionResume.Params) throws -> SessionResume.Result {
        let session = try live(params.sessionId)
        let missed = try params.since.map { since in
            try replayed(params.sessionId, after: since).map { number, turn, result in
                Self.turnParams(turn, number: number, result: result, in: params.sessionId)
            }
        }
        return SessionResume.Result(
            sessionId: params.sessionId, turns: missed, summary: session.conversation.summary(),
            prompt: session.conversation.prompt,
            stands: session.conversation.whereItStands, finished: session.conversation.isFinished)
    }

    func close(_ params: SessionClose.Params) throws -> SessionClose.Result {
        if registry.session(params.sessionId) == nil {
            // Closing a session that is not in memory still checks that it exists.
            _ = try store.load(params.sessionId)
        }
        registry.setSession(nil, for: params.sessionId)
        return SessionClose.Result(closed: true)
    }

    func plan(_ params: PlanGet.Params) throws -> PlanGet.Result {
        PlanGet.Result(plan: try live(params.sessionId).conversation.plan)
    }

    func check(_ params: PlanCheck.Params) throws -> PlanCheck.Result {
        let gaps = try live(params.sessionId).conversation.gaps
        return PlanCheck.Result(ready: gaps.isEmpty, gaps: gaps)
    }

    func export(_ params: PlanExport.Params) throws -> PlanExport.Result {
        let session = try live(params.sessionId)
        let conversation = session.conversation
        let plan = conversation.plan
        let about = ChangePlan.About(
            created: CalendarDay(session.record.startedAt), updated: CalendarDay(session.record.lastActiveAt),
            status: session.record.stage)
        let content: String
        switch params.format {
        case .markdown:
            content = plan.markdown(gaps: conversation.gaps, about: about)
        case .html:
            content = plan.html(gaps: conversation.gaps, about: about)
        case .ics:
            let root = try rootOf(params.sessionId)
            content = plan.icalendar(
                id: root.rawValue, title: conversation.flow.title, stamp: session.record.lastActiveAt)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            content = String(decoding: try encoder.encode(plan), as: UTF8.self) + "\n"
        }
        return PlanExport.Result(format: params.format, content: content)
    }

    func listSessions() throws -> SessionList.Result {
        SessionList.Result(sessions: try store.records())
    }

    // MARK: Turns and the store

    /// Runs one input through the conversation and commits the turns it added before replying; if the store
    /// fails, the client is told nothing was saved and the session is dropped from memory, to be replayed
    /// from what the store holds on next use.
    ///
    /// In a shared session, a seated connection may take a turn only when it is theirs (see
    /// `checkTurn`), and every other seated connection is told about the turn once it is committed.
    ///
    /// Another process (a REPL on the same data folder) may add turns between reading the session and committing:
    /// the commit is then refused (`moved`), and the turn is taken again on the session as now stored.
    ///
    /// With a client's message id (`key`), an answer the store already holds under it is not taken again: the
    /// result it had is rebuilt from the stored log and returned.
    func turn(
        _ id: SessionID, from peer: Peer?, takesTurn: Bool, key: String? = nil,
        _ step: (inout Conversation, Date, Seating?) -> Reply
    ) throws -> TurnResult {
        var attempts = 0
        while true {
            do {
                if let key, let sequence = try store.sequence(ofKey: key, in: id) {
                    return try storedResult(of: sequence, in: id)
                }
                return try turnOnce(id, from: peer, takesTurn: takesTurn, key: key, step)
            } catch let error as StoreError where error.code == .moved && attempts < 3 {
                attempts += 1
            }
        }
    }

    private func turnOnce(
        _ id: SessionID, from peer: Peer?, takesTurn: Bool, key: String?,
        _ step: (inout Conversation, Date, Seating?) -> Reply
    ) throws -> TurnResult {
        let session = try live(id)
        let before = session.conversation.turns.count
        let seat = try seat(of: peer, in: id)
        // While partners are seated, only they change a shared session: the id alone is not a seat.
        if seat == nil, session.conversation.participants.count > 1, try sharing.hasSeats(in: id) {
            throw ServerError.notSeated
        }
        if takesTurn, let seat { try checkTurn(seat, in: session.conversation) }
        let at = now()
        let (reply, after) = Self.take(step, on: session, at: at, seat: seat)
        let added = after.added
        let stands = after.stands
        var record = session.record
        record.lastActiveAt = at
        record.stage = stands
        record.readiness = after.readiness
        record.finished = after.finished
        do {
            if added.isEmpty {
                if record != session.record { try store.update(record) }
            } else {
                try store.append(added, to: id, record: record, after: before, key: key)
            }
        } catch {
            // Some turns may be stored and some not: the session leaves memory and is replayed from the store
            // on next use, so what it holds is exactly what was saved.
            registry.setSession(nil, for: id)
            throw error
        }
        session.record = record
        let result = TurnResult(reply, stands: stands, answering: after.answering)
        if let turn = added.last {
            notifyTurn(turn, number: after.turnCount, result: result, in: id, by: peer, seat: seat)
        }
        return result
    }

    /// The result a stored turn had when it was taken: the session replayed up to it, and the turn taken again.
    func storedResult(of sequence: Int, in id: SessionID) throws -> TurnResult {
        guard let first = try replayed(id, after: sequence - 1, through: sequence).first else {
            throw StoreError.unknownSession(id)
        }
        return first.result
    }

    /// Rebuilds the stored turns after `first` (up to `last`, or all) with the result each had when it was taken: the
    /// session replayed up to each, and the turn taken again. The core is deterministic, so the result is the one
    /// its client got; nothing but the turn itself is stored.
    func replayed(
        _ id: SessionID, after first: Int, through last: Int? = nil
    ) throws -> [(number: Int, turn: Turn, result: TurnResult)] {
        let stored = try store.load(id)
        var conversation = try emptyConversation(stored.record)
        let start = min(max(0, first), stored.turns.count)
        let end = min(last ?? stored.turns.count, stored.turns.count)
        conversation.replay(Array(stored.turns[..<start]))
        var results: [(number: Int, turn: Turn, result: TurnResult)] = []
        for index in start..<max(start, end) {
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
            results.append(
                (
                    index + 1, turn,
                    TurnResult(reply, stands: conversation.whereItStands, answering: Self.answering(conversation))
                ))
        }
        return results
    }

    /// What a turn leaves behind that the store and the reply need.
    private struct Aftermath {
        var added: [Turn]
        var turnCount: Int
        var stands: String
        var readiness: String
        var finished: Bool
        var answering: [String]?
    }

    /// Runs the turn's step on the session's conversation and reads what it left behind.
    private static func take(
        _ step: (inout Conversation, Date, Seating?) -> Reply, on session: LiveSession, at: Date, seat: Seating?
    ) -> (Reply, Aftermath) {
        let before = session.conversation.turns.count
        // Changed in place: only this job touches the session, and its conversation is not shared, so adding to
        // its log and history copies nothing.
        let reply = step(&session.conversation, at, seat)
        return (reply, aftermath(of: &session.conversation, since: before))
    }

    /// Reads the aftermath of a turn from the session's conversation in place (`inout` only to borrow it: a
    /// copy would retain every part of it, on every turn).
    private static func aftermath(of conversation: inout Conversation, since before: Int) -> Aftermath {
        let turns = conversation.turns
        return Aftermath(
            added: turns.count > before ? Array(turns[before...]) : [], turnCount: turns.count,
            stands: conversation.whereItStands, readiness: readiness(of: conversation),
            finished: conversation.isFinished, answering: answering(conversation))
    }

    /// The session in memory, loading and replaying it from the store first if needed.
    ///
    /// The store is shared with other processes: one held in memory is used only while the store still has it
    /// with the same number of turns. One deleted meanwhile (`smallchanges delete`) leaves memory and is unknown;
    /// one another process added turns to (a REPL on the same folder) is replayed again from the store.
    func live(_ id: SessionID) throws -> LiveSession {
        if let session = registry.session(id) {
            let stored: Int
            do {
                stored = try store.turnCount(id)
            } catch let error as StoreError where error.code == .unknownSession {
                registry.setSession(nil, for: id)
                throw error
            }
            if stored == session.conversation.turns.count { return session }
        }
        let session = try loadConversation(id)
        registry.setSession(session, for: id)
        return session
    }

    /// Rebuilds a session from its stored log, without keeping it in memory.
    private func loadConversation(_ id: SessionID) throws -> LiveSession {
        let stored = try store.load(id)
        var conversation = try emptyConversation(stored.record)
        conversation.replay(stored.turns)
        return LiveSession(conversation: conversation, record: stored.record)
    }

    /// A stored session's conversation before its first turn: its flow, partners, and the plan it reviews.
    private func emptyConversation(_ record: SessionRecord) throws -> Conversation {
        guard let flow = guide.flow(record.flow) else { throw ServerError.flowNotLoaded(record.flow) }
        var reviewing: ChangePlan?
        if let reviewOf = record.reviewOf, reviewOf != record.id {
            reviewing = try? replayedPlan(reviewOf)
        }
        return Conversation(guide: guide, flow: flow, participants: record.participants, reviewing: reviewing)
    }

    /// The plan of a stored session, one level deep (a review of a review does not load a third).
    private func replayedPlan(_ id: SessionID) throws -> ChangePlan {
        let stored = try store.load(id)
        guard let flow = guide.flow(stored.record.flow) else { throw ServerError.flowNotLoaded(stored.record.flow) }
        var conversation = Conversation(guide: guide, flow: flow, participants: stored.record.participants)
        conversation.replay(stored.turns)
        return conversation.plan
    }

    static func readiness(of conversation: Conversation) -> String {
        let gaps = conversation.gapCount
        return gaps == 0 ? "ready" : gaps == 1 ? "1 gap" : "\(gaps) gaps"
    }
}
