import Foundation
import NIOCore
import SmallChangesCore

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

    func seat(of peer: Peer?, in id: SessionID) -> Seating? {
        guard let name = sharing.name(of: peer, in: id) else { return nil }
        return Seating(name: name, present: sharing.expected(in: id, now: now()))
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
    func join(_ invitation: SharedSessions.Invitation, peer: Peer) throws -> SessionJoin.Result {
        let id = invitation.sessionId
        let conversation = try live(id).conversation
        notify(SessionJoined.name, SessionJoined.Params(sessionId: id, name: invitation.name), in: id, except: peer)
        sharing.seat(peer, as: invitation.name, in: id)
        var messages = [Message(.info, conversation.flow.welcome)]
        if !conversation.turns.isEmpty {
            messages += conversation.summary().map { Message(.info, $0) }
        }
        return SessionJoin.Result(
            sessionId: id, name: invitation.name, participants: conversation.participants, messages: messages,
            prompt: conversation.prompt, stands: conversation.whereItStands, finished: conversation.isFinished,
            answering: Self.answering(conversation))
    }

    /// Tells every other seated connection about a committed turn. Called from the session's job, so
    /// notifications go out in the order the turns were applied.
    func notifyTurn(_ turn: Turn, number: Int, result: TurnResult, in id: SessionID, by peer: Peer?, seat: Seating?) {
        let params = SessionTurn.Params(
            sessionId: id, turn: number, kind: turn.kind, speaker: turn.speaker ?? seat?.name, text: turn.text,
            argument: turn.argument, accepted: result.accepted, routed: result.routed,
            needsConfirm: result.needsConfirm, messages: result.messages, prompt: result.prompt,
            finished: result.finished, stands: result.stands, answering: result.answering)
        notify(SessionTurn.name, params, in: id, except: peer)
    }

    /// Frees the seats of a connection that has ended, and tells each partner left behind.
    public func disconnected(_ peer: Peer) {
        for (id, name) in sharing.leave(peer) {
            let params = SessionLeft.Params(sessionId: id, name: name)
            let queued = registry.enqueue(id, on: .shared) {
                self.notify(SessionLeft.name, params, in: id, except: peer)
            }
            if !queued { notify(SessionLeft.name, params, in: id, except: peer) }
        }
    }

    private func notify(_ method: String, _ params: some Encodable, in id: SessionID, except peer: Peer?) {
        let seats = sharing.seats(in: id).filter { $0.peer !== peer }
        guard !seats.isEmpty, let line = ResponseEncoder().notification(method: method, params: params) else { return }
        for seat in seats { seat.peer.send(line) }
    }
}
