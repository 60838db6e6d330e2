import Foundation
import NIOCore
import SmallChangesCore
import SmallChangesStore

/// Shared sessions: two connections, one per partner, taking turns in one pair session.
///
/// A seated connection always answers as the participant it is seated as; the `speaker` it sends is
/// ignored. It may answer a question asked of its partner only once that partner has left (or their
/// join code has expired unused), as one keyboard would; `who` is always allowed, so a partner can
/// hand a question over.
extension Dispatcher {
    /// A connection's seat in a session, as one turn sees it.
    struct Seating: Sendable {
        /// The participant the connection answers as.
        var name: String
        /// The participants seated in the session, this one included, and those invited whose code is
        /// still open.
        var present: [String]
    }

    func seat(of peer: Peer?, in id: SessionID) throws -> Seating? {
        guard let name = sharing.name(of: peer, in: id) else { return nil }
        return Seating(name: name, present: try sharing.expected(in: id, now: now()))
    }

    /// Refuses a turn when the question is for a partner who is connected.
    func checkTurn(_ seating: Seating, in conversation: Conversation) throws(ServerError) {
        guard let answering = Self.answering(conversation), !answering.contains(seating.name) else { return }
        let waitingOn = answering.filter { seating.present.contains($0) }
        guard waitingOn.isEmpty else { throw .notYourTurn(waitingOn.joined(separator: " and ")) }
    }

    /// Who a seated connection's answer is by: its own name when the question is theirs; `nil` (the
    /// partner asked) when it answers for a partner who is not connected.
    static func speaker(seat seating: Seating, in conversation: Conversation) -> String? {
        guard let answering = answering(conversation), !answering.contains(seating.name) else { return seating.name }
        return nil
    }

    /// In a pair: who may answer the current question: the partner asked for a question to each in
    /// turn, both for a question to both. `nil` outside pairs and once the flow is finished.
    static func answering(_ conversation: Conversation) -> [String]? {
        guard conversation.participants.count > 1, let prompt = conversation.prompt else { return nil }
        let steps = conversation.flow.steps
        guard steps.indices.contains(prompt.step - 1), steps[prompt.step - 1].audience == .each,
            let speaker = prompt.speaker
        else { return conversation.participants }
        return [speaker]
    }

    /// Seats the joining connection, tells the others, and says where the session stands.
    func join(_ invitation: Invitation, peer: Peer) throws -> SessionJoin.Result {
        let id = invitation.sessionId
        let conversation = try live(id).conversation
        catchUp(id)
        notify(SessionJoined.name, SessionJoined.Params(sessionId: id, name: invitation.name), in: id, except: peer)
        try sharing.seat(peer, as: invitation.name, in: id, delivered: conversation.turns.count)
        var messages = [Message(.info, conversation.flow.welcome)]
        if !conversation.turns.isEmpty {
            messages += conversation.summary().map { Message(.info, $0) }
        }
        return SessionJoin.Result(
            sessionId: id, name: invitation.name, participants: conversation.participants, messages: messages,
            prompt: conversation.prompt, stands: conversation.stands, finished: conversation.isFinished,
            answering: Self.answering(conversation))
    }

    /// Tells every other seated connection about a committed turn. Called from the session's job, so
    /// notifications go out in the order the turns were applied.
    func notifyTurn(_ turn: Turn, number: Int, result: TurnResult, in id: SessionID, by peer: Peer?, seat: Seating?) {
        // Turns taken through other instances since the seats here were last told come first.
        catchUp(id, through: number - 1)
        defer { sharing.delivered(number, in: id) }
        var params = Self.turnParams(turn, number: number, result: result, in: id)
        params.speaker = turn.speaker ?? seat?.name
        notify(SessionTurn.name, params, in: id, except: peer)
    }

    /// Frees the seats of a connection that has ended, and tells each partner left behind (here; other instances
    /// learn it from the pairing store).
    public func disconnected(_ peer: Peer) {
        for (id, name) in sharing.leave(peer) {
            let params = SessionLeft.Params(sessionId: id, name: name)
            let queued = registry.enqueue(id, on: .shared) {
                self.notify(SessionLeft.name, params, in: id, except: peer)
            }
            if !queued { notify(SessionLeft.name, params, in: id, except: peer) }
        }
    }

    /// `session/share`: a seated partner mints a new code for the other, who is not seated anywhere (their
    /// connection dropped, or the first code expired), to join again with, on any instance.
    func share(_ params: SessionShare.Params, from peer: Peer?) throws -> SessionShare.Result {
        let id = params.sessionId
        guard let seating = try seat(of: peer, in: id) else { throw ServerError.notSeated }
        let conversation = try live(id).conversation
        let absent = conversation.participants.filter { name in
            name.caseInsensitiveCompare(seating.name) != .orderedSame && !seating.present.contains(name)
        }
        guard let partner = absent.first else {
            throw ServerError.outOfRange(field: "sessionId", range: "a shared session whose partner is not seated")
        }
        let invitation = try sharing.invite(partner, to: id, now: now())
        return SessionShare.Result(
            sessionId: id, name: partner, joinCode: invitation.code.description, joinExpiresAt: invitation.expires)
    }

    // MARK: Other instances

    /// What another instance (or this one) changed in the shared store: the sessions seated here catch up, each
    /// as one of its jobs, so what they are told keeps the order of the session's turns.
    func changed(_ change: SessionChange) {
        let ids: [SessionID]
        switch change {
        case .turns(let id), .seats(let id): ids = [id]
        case .anything: ids = sharing.seatedSessions
        }
        let runner = storeThreads.map(Runner.threads) ?? .shared
        for id in ids where !sharing.seats(in: id).isEmpty {
            _ = registry.enqueue(id, on: runner) {
                self.catchUp(id)
                self.announceSeatChanges(in: id)
            }
        }
    }

    /// Tells each connection seated here about the stored turns it has not been told of, up to `last`: turns
    /// taken through another instance. Each is rebuilt from the store with the result it had; a notification
    /// that was folded or lost loses nothing, since what is read is everything after what was delivered.
    func catchUp(_ id: SessionID, through last: Int? = nil) {
        let seats = sharing.seats(in: id)
        guard let from = seats.map(\.delivered).min(), last.map({ from < $0 }) ?? true else { return }
        do {
            if last == nil, try store.turnCount(id) <= from { return }
            let missed = try replayed(id, after: from, through: last)
            for (number, turn, result) in missed {
                guard
                    let line = ResponseEncoder().notification(
                        method: SessionTurn.name, params: Self.turnParams(turn, number: number, result: result, in: id))
                else { continue }
                for seat in seats where seat.delivered < number { seat.peer.send(line) }
            }
            if let number = missed.last?.number { sharing.delivered(number, in: id) }
        } catch {
            logger.warning(
                "could not read the turns other instances took", metadata: ["error": "\(type(of: error))"])
        }
    }

    /// Tells the connections seated here that a partner sat down or left on another instance.
    private func announceSeatChanges(in id: SessionID) {
        guard let (joined, left) = try? sharing.seatChanges(in: id) else { return }
        for name in joined {
            notify(SessionJoined.name, SessionJoined.Params(sessionId: id, name: name), in: id, except: nil)
        }
        for name in left {
            notify(SessionLeft.name, SessionLeft.Params(sessionId: id, name: name), in: id, except: nil)
        }
    }

    static func turnParams(_ turn: Turn, number: Int, result: TurnResult, in id: SessionID) -> SessionTurn.Params {
        SessionTurn.Params(
            sessionId: id, turn: number, kind: turn.kind, speaker: turn.speaker, text: turn.text,
            argument: turn.argument, result: result)
    }

    private func notify(_ method: String, _ params: some Codable & Sendable, in id: SessionID, except peer: Peer?) {
        let seats = sharing.seats(in: id).filter { $0.peer !== peer }
        guard !seats.isEmpty, let line = ResponseEncoder().notification(method: method, params: params) else { return }
        for seat in seats { seat.peer.send(line) }
    }
}
