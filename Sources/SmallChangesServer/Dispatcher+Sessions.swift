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
        var handle = try SessionHandle.start(
            guide: guide, flow: flow, participants: participants, reviewing: params.reviewing, store: store, id: id,
            at: now())
        // A pair flow asks each partner by name: it needs two, given or taken from the plan under review.
        if flow.pair, (participants.isEmpty ? handle.conversation.plan.participants : participants).count != 2 {
            throw ServerError.outOfRange(field: "participants", range: "two names for the \(flow.id) flow")
        }
        let conversation = handle.conversation
        let opening = conversation.opening()
        let at = handle.record.startedAt
        try handle.create()
        registry.setSession(LiveSession(handle), for: id)
        var result = SessionStart.Result(
            sessionId: id, messages: opening.messages, prompt: opening.prompt, stands: conversation.stands,
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
        try checkLength(params.promptId, field: "promptId")
        return try turn(
            params.sessionId, from: peer, takesTurn: true, key: params.clientMsgId, answering: params.promptId
        ) {
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
            session: SessionSummary(session.record, guide: guide), prompt: session.conversation.prompt,
            stands: session.conversation.stands,
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
            stands: session.conversation.stands, finished: session.conversation.isFinished)
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
        let chain = try PlanChain(containing: params.sessionId, in: store)
        let content = try chain.document(
            params.format, guide: guide, store: store,
            held: chain.tip.id == params.sessionId ? session.conversation : nil)
        return PlanExport.Result(format: params.format, content: content)
    }

    func listSessions() throws -> SessionList.Result {
        SessionList.Result(sessions: try store.records().map { SessionSummary($0, guide: guide) })
    }

    // MARK: Turns and the store

    /// Runs one input through the session's handle, which commits the turns it added before this replies; if the
    /// store fails, the client is told nothing was saved and the session is dropped from memory, to be replayed
    /// from what the store holds on next use.
    ///
    /// In a shared session, a seated connection may take a turn only when it is theirs (see
    /// `checkTurn`), and every other seated connection is told about the turn once it is committed.
    ///
    /// With a client's message id (`key`), an answer the store already holds under it is not taken again: the
    /// result it had is rebuilt from the stored log and returned.
    func turn(
        _ id: SessionID, from peer: Peer?, takesTurn: Bool, key: String? = nil, answering question: String? = nil,
        _ step: (inout Conversation, Date, Seating?) -> Reply
    ) throws -> TurnResult {
        if let key, let sequence = try store.sequence(ofKey: key, in: id) {
            return try storedResult(of: sequence, in: id)
        }
        let session = try live(id)
        let seat = try seat(of: peer, in: id)
        // While partners are seated, only they change a shared session: the id alone is not a seat.
        if seat == nil, session.conversation.participants.count > 1, try sharing.hasSeats(in: id) {
            throw ServerError.notSeated
        }
        let at = now()
        let taken: SessionHandle.Taken
        do {
            taken = try session.handle.take(at: at, key: key, answering: question) { conversation in
                // Checked on the session as stored, after any turns another instance took.
                if takesTurn, let seat { try checkTurn(seat, in: conversation) }
                return step(&conversation, at, seat)
            }
        } catch let error as StoreError where error.code == .moved {
            // The message id was stored by another instance meanwhile: its result is the one that counts.
            if let key, let sequence = try store.sequence(ofKey: key, in: id) {
                return try storedResult(of: sequence, in: id)
            }
            registry.setSession(nil, for: id)
            throw error
        } catch let error as StoreError {
            registry.setSession(nil, for: id)
            throw error
        }
        let result = TurnResult(
            taken.reply, stands: session.conversation.stands, answering: Self.answering(session.conversation))
        if let turn = taken.added.last {
            notifyTurn(
                turn, number: session.conversation.turns.count, result: result, in: id, by: peer, seat: seat)
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

    /// Rebuilds the stored turns after `first` (up to `last`, or all) with the result each had when it was taken.
    func replayed(
        _ id: SessionID, after first: Int, through last: Int? = nil
    ) throws -> [(number: Int, turn: Turn, result: TurnResult)] {
        try SessionHandle.replayed(id, after: first, through: last, guide: guide, store: store) {
            number, turn, reply, conversation in
            (
                number, turn,
                TurnResult(reply, stands: conversation.stands, answering: Self.answering(conversation))
            )
        }
    }

    /// The session in memory, loading and replaying it from the store first if needed.
    ///
    /// The store is shared with other processes: one held in memory is used only while the store still has it
    /// with the same number of turns. One deleted meanwhile (`smallchanges delete`) leaves memory and is unknown;
    /// one another process added turns to (a REPL on the same folder) takes them in.
    func live(_ id: SessionID) throws -> LiveSession {
        if let session = registry.session(id) {
            do {
                try session.handle.catchUp()
                return session
            } catch let error as StoreError where error.code == .unknownSession {
                registry.setSession(nil, for: id)
                throw error
            } catch let error as StoreError where error.code == .moved {
                // Fewer turns than held here: rebuilt from the store below.
            }
        }
        let session = LiveSession(try SessionHandle.resume(id, guide: guide, store: store))
        registry.setSession(session, for: id)
        return session
    }
}
