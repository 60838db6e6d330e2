import Foundation
import SmallChangesCore
import Synchronization

/// Who is connected to which shared session, and the open invitations to join one.
///
/// A seat is one connection in a session, under the participant name it answers as. Seats and
/// invitations live only in memory: the session itself is in the store like any other.
final class SharedSessions: Sendable {
    /// An open invitation: the session and the participant the code lets in.
    struct Invitation: Sendable {
        var sessionId: SessionID
        var name: String
        var expires: Date
    }

    /// One connection seated in a session.
    struct Seat: Sendable {
        let peer: Peer
        let name: String
    }

    private struct State {
        var invitations: [JoinCode: Invitation] = [:]
        var seats: [SessionID: [Seat]] = [:]
        /// When the recent wrong codes arrived, by source address, oldest first: counted per source, so a guesser
        /// cannot stop everyone else from joining.
        var wrongCodes: [String: [Date]] = [:]
    }

    private let state = Mutex(State())
    private let configuration: ServerConfiguration
    /// At most this many open invitations; the oldest go first.
    private let maximumInvitations: Int

    init(configuration: ServerConfiguration) {
        self.configuration = configuration
        self.maximumInvitations = max(1, configuration.maximumLiveSessions)
    }

    /// Mints a single-use code that lets `name` join the session until it expires.
    func invite(_ name: String, to id: SessionID, now: Date) -> (code: JoinCode, expires: Date) {
        let lifetime = configuration.joinCodeLifetime.components
        let expires = now.addingTimeInterval(Double(lifetime.seconds) + Double(lifetime.attoseconds) * 1e-18)
        return state.withLock { state in
            state.invitations = state.invitations.filter { $0.value.expires > now }
            while state.invitations.count >= maximumInvitations,
                let oldest = state.invitations.min(by: { $0.value.expires < $1.value.expires })
            {
                state.invitations[oldest.key] = nil
            }
            var code = JoinCode.mint()
            while state.invitations[code] != nil { code = JoinCode.mint() }
            state.invitations[code] = Invitation(sessionId: id, name: name, expires: expires)
            return (code, expires)
        }
    }

    /// Takes the invitation a code stands for, so it cannot be used again.
    ///
    /// Every failure reads the same to the client, so a guesser cannot tell a used code from one that
    /// never existed. Once a connection, or its source address within the last minute, has sent too many wrong
    /// codes, codes from it are refused without being looked at.
    func redeem(_ typed: String, name: String?, by peer: Peer, now: Date) throws(ServerError) -> Invitation {
        guard peer.wrongCodeCount < configuration.maximumWrongJoinCodesPerConnection else {
            throw .tooManyWrongCodes(limit: "wrongJoinCodesPerConnection")
        }
        let result: Result<Invitation, ServerError> = state.withLock { state in
            let windowStart = now.addingTimeInterval(-60)
            state.wrongCodes = state.wrongCodes.compactMapValues { times in
                let recent = times.filter { $0 > windowStart }
                return recent.isEmpty ? nil : recent
            }
            guard state.wrongCodes[peer.source, default: []].count < configuration.maximumWrongJoinCodesPerMinute
            else {
                return .failure(.tooManyWrongCodes(limit: "wrongJoinCodesPerMinute"))
            }
            guard let code = JoinCode(typed: typed), let invitation = state.invitations[code],
                invitation.expires > now
            else {
                state.wrongCodes[peer.source, default: []].append(now)
                return .failure(.joinRefused)
            }
            if let name, name.caseInsensitiveCompare(invitation.name) != .orderedSame {
                // The right code with another name: a mistake, not a guess; the invitation stays open.
                return .failure(.outOfRange(field: "name", range: "the name the invitation is for"))
            }
            state.invitations[code] = nil
            return .success(invitation)
        }
        if case .failure(.joinRefused) = result { _ = peer.countWrongCode() }
        return try result.get()
    }

    /// Seats a connection in a session under a participant's name.
    func seat(_ peer: Peer, as name: String, in id: SessionID) {
        state.withLock { state in
            var seats = state.seats[id] ?? []
            seats.removeAll { $0.peer === peer }
            seats.append(Seat(peer: peer, name: name))
            state.seats[id] = seats
        }
    }

    /// The name a connection answers as in a session, if it has a seat there.
    func name(of peer: Peer?, in id: SessionID) -> String? {
        guard let peer else { return nil }
        return state.withLock { state in
            // Most sessions are not shared: skip hashing the id when nothing is.
            state.seats.isEmpty ? nil : state.seats[id]?.first { $0.peer === peer }?.name
        }
    }

    /// Whether anyone is seated in the session (checked on every turn, so without copying the seats).
    func hasSeats(in id: SessionID) -> Bool {
        state.withLock { state in
            state.seats.isEmpty ? false : state.seats[id]?.isEmpty == false
        }
    }

    /// The seats in a session.
    func seats(in id: SessionID) -> [Seat] {
        state.withLock { $0.seats[id] ?? [] }
    }

    /// The participants a session is waiting on: those seated, and those invited whose code is still
    /// open. A partner who has not joined yet keeps their questions, as one who has left does not.
    func expected(in id: SessionID, now: Date) -> [String] {
        state.withLock { state in
            let seated = (state.seats[id] ?? []).map(\.name)
            let invited = state.invitations.values.filter { $0.sessionId == id && $0.expires > now }.map(\.name)
            return seated + invited
        }
    }

    /// Frees every seat a connection held; returns the sessions and the names it had there.
    func leave(_ peer: Peer) -> [(sessionId: SessionID, name: String)] {
        state.withLock { state in
            var left: [(SessionID, String)] = []
            for (id, seats) in state.seats {
                guard let seat = seats.first(where: { $0.peer === peer }) else { continue }
                left.append((id, seat.name))
                let remaining = seats.filter { $0.peer !== peer }
                state.seats[id] = remaining.isEmpty ? nil : remaining
            }
            return left
        }
    }
}
