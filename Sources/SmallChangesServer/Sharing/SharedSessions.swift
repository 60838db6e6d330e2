import Foundation
import SmallChangesCore
import SmallChangesStore
import Synchronization

/// Who is connected to which shared session here, and, through the pairing store, the join codes and seats every
/// instance sees.
///
/// A seat is one connection in a session, under the participant name it answers as, with the number of turns it
/// has been told about. Connections live in this process; the pairing store records which names are seated
/// where, so that an instance knows a partner seated on another is there, and a code minted on one is claimed
/// on any.
final class SharedSessions: Sendable {
    /// One connection seated in a session.
    struct Seat: Sendable {
        let peer: Peer
        let name: String
        /// The turns of the session this connection has seen: told as they were taken, or when it sat down.
        var delivered: Int
    }

    private struct State {
        var seats: [SessionID: [Seat]] = [:]
        /// The partners seated on other instances, as this one last saw them, per session seated here.
        var elsewhere: [SessionID: Set<String>] = [:]
        /// When the recent wrong codes arrived, by source address, oldest first: counted per source, so a guesser
        /// cannot stop everyone else from joining.
        var wrongCodes: [String: [Date]] = [:]
    }

    private let state = Mutex(State())
    private let configuration: ServerConfiguration
    let pairing: any PairingStore

    init(configuration: ServerConfiguration, pairing: any PairingStore) {
        self.configuration = configuration
        self.pairing = pairing
    }

    /// Mints a single-use code that lets `name` join the session until it expires.
    func invite(_ name: String, to id: SessionID, now: Date) throws -> (code: JoinCode, expires: Date) {
        let lifetime = configuration.joinCodeLifetime.components
        let expires = now.addingTimeInterval(Double(lifetime.seconds) + Double(lifetime.attoseconds) * 1e-18)
        while true {
            let code = JoinCode.mint()
            if try pairing.invite(code: code.value, to: id, name: name, expires: expires) { return (code, expires) }
        }
    }

    /// Takes the invitation a code stands for, so it cannot be used again, here or on another instance.
    ///
    /// Every failure reads the same to the client, so a guesser cannot tell a used code from one that
    /// never existed. Once a connection, or its source address within the last minute, has sent too many wrong
    /// codes, codes from it are refused without being looked at.
    func redeem(_ typed: String, name: String?, by peer: Peer, now: Date) throws -> Invitation {
        guard peer.wrongCodeCount < configuration.maximumWrongJoinCodesPerConnection else {
            throw ServerError.tooManyWrongCodes(limit: "wrongJoinCodesPerConnection")
        }
        let tooMany = state.withLock { state in
            let windowStart = now.addingTimeInterval(-60)
            state.wrongCodes = state.wrongCodes.compactMapValues { times in
                let recent = times.filter { $0 > windowStart }
                return recent.isEmpty ? nil : recent
            }
            return state.wrongCodes[peer.source, default: []].count >= configuration.maximumWrongJoinCodesPerMinute
        }
        if tooMany { throw ServerError.tooManyWrongCodes(limit: "wrongJoinCodesPerMinute") }
        let claim = try JoinCode(typed: typed).map { try pairing.claim(code: $0.value, name: name, now: now) }
        switch claim {
        case .claimed(let invitation):
            return invitation
        case .otherName:
            // The right code with another name: a mistake, not a guess; the invitation stays open.
            throw ServerError.outOfRange(field: "name", range: "the name the invitation is for")
        case .refused, nil:
            state.withLock { $0.wrongCodes[peer.source, default: []].append(now) }
            _ = peer.countWrongCode()
            throw ServerError.joinRefused
        }
    }

    /// Seats a connection in a session under a participant's name, having seen the first `delivered` turns.
    func seat(_ peer: Peer, as name: String, in id: SessionID, delivered: Int) throws {
        try pairing.seat(name, in: id)
        let elsewhere = try pairing.seated(in: id)
        state.withLock { state in
            var seats = state.seats[id] ?? []
            seats.removeAll { $0.peer === peer }
            seats.append(Seat(peer: peer, name: name, delivered: delivered))
            state.seats[id] = seats
            state.elsewhere[id] = Set(elsewhere).subtracting(seats.map(\.name))
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

    /// Whether anyone is seated in the session, here or on another instance.
    func hasSeats(in id: SessionID) throws -> Bool {
        let here = state.withLock { state in state.seats.isEmpty ? false : state.seats[id]?.isEmpty == false }
        return try here || !pairing.seated(in: id).isEmpty
    }

    /// The seats in a session here.
    func seats(in id: SessionID) -> [Seat] {
        state.withLock { $0.seats[id] ?? [] }
    }

    /// The sessions someone is seated in here.
    var seatedSessions: [SessionID] {
        state.withLock { Array($0.seats.keys) }
    }

    /// Records that every connection seated here in the session has seen the first `count` turns.
    func delivered(_ count: Int, in id: SessionID) {
        state.withLock { state in
            guard var seats = state.seats[id] else { return }
            for index in seats.indices { seats[index].delivered = max(seats[index].delivered, count) }
            state.seats[id] = seats
        }
    }

    /// The participants a session is waiting on: those seated on any instance, and those invited whose code is
    /// still open. A partner who has not joined yet keeps their questions, as one who has left does not.
    func expected(in id: SessionID, now: Date) throws -> [String] {
        let here = state.withLock { ($0.seats[id] ?? []).map(\.name) }
        return Array(Set(here + (try pairing.seated(in: id)) + (try pairing.invited(to: id, now: now))))
    }

    /// The partners who sat down on, or left, other instances since this one last looked.
    func seatChanges(in id: SessionID) throws -> (joined: [String], left: [String]) {
        let seated = Set(try pairing.seated(in: id))
        return state.withLock { state in
            guard let seats = state.seats[id] else { return ([], []) }
            let now = seated.subtracting(seats.map(\.name))
            let before = state.elsewhere[id] ?? []
            state.elsewhere[id] = now
            return (now.subtracting(before).sorted(), before.subtracting(now).sorted())
        }
    }

    /// Frees every seat a connection held; returns the sessions and the names it had there.
    func leave(_ peer: Peer) -> [(sessionId: SessionID, name: String)] {
        let left = state.withLock { state in
            var left: [(SessionID, String)] = []
            for (id, seats) in state.seats {
                guard let seat = seats.first(where: { $0.peer === peer }) else { continue }
                left.append((id, seat.name))
                let remaining = seats.filter { $0.peer !== peer }
                state.seats[id] = remaining.isEmpty ? nil : remaining
                if remaining.isEmpty { state.elsewhere[id] = nil }
            }
            return left
        }
        for (id, name) in left { try? pairing.unseat(name, in: id) }
        return left
    }
}
