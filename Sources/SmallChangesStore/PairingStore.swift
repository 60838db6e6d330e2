public import Foundation
public import SmallChangesCore
import Synchronization

/// Join codes and seats of shared sessions, kept where every server instance sees them: the role an in-memory table
/// plays for one process (``InMemoryPairingStore``) and the database plays for several (`PostgresSessionStore`).
///
/// A code is claimed at most once, by one claimer, whichever instance the claim reaches. A seat belongs to the
/// process that took it: when that process dies, the seat is no longer counted as taken.
public protocol PairingStore: Sendable {
    /// Keeps an invitation for `name` under `code`; false (and nothing kept) when the code is already in use.
    func invite(code: String, to id: SessionID, name: String, expires: Date) throws -> Bool

    /// Claims an open invitation: once, atomically, on any instance.
    ///
    /// With `name`, the invitation must be for that participant (compared without case); an invitation for
    /// another name stays open.
    func claim(code: String, name: String?, now: Date) throws -> InvitationClaim

    /// The participants invited to a session whose codes are still open.
    func invited(to id: SessionID, now: Date) throws -> [String]

    /// Records that this process seats `name` in a session.
    func seat(_ name: String, in id: SessionID) throws

    /// Records that this process no longer seats `name` in a session.
    func unseat(_ name: String, in id: SessionID) throws

    /// The participants seated in a session by any live process.
    func seated(in id: SessionID) throws -> [String]
}

/// An invitation a join code stands for.
public struct Invitation: Sendable, Equatable {
    public var sessionId: SessionID
    public var name: String
    public var expires: Date

    public init(sessionId: SessionID, name: String, expires: Date) {
        self.sessionId = sessionId
        self.name = name
        self.expires = expires
    }
}

/// What claiming a code did.
public enum InvitationClaim: Sendable, Equatable {
    /// The code was open and is now used up.
    case claimed(Invitation)
    /// The code is open, for another participant than the one named; it stays open.
    case otherName
    /// No open code: never minted, used, or expired (the caller cannot tell which, nor can a guesser).
    case refused
}

/// Join codes and seats in this process's memory: enough for one server instance.
public final class InMemoryPairingStore: PairingStore {
    private struct State {
        var invitations: [String: Invitation] = [:]
        var seats: [SessionID: [String: Int]] = [:]
    }

    private let state = Mutex(State())
    /// At most this many open invitations; the oldest go first.
    private let maximumInvitations: Int

    public init(maximumInvitations: Int = 10_000) {
        self.maximumInvitations = max(1, maximumInvitations)
    }

    public func invite(code: String, to id: SessionID, name: String, expires: Date) throws -> Bool {
        state.withLock { state in
            guard state.invitations[code] == nil else { return false }
            while state.invitations.count >= maximumInvitations,
                let oldest = state.invitations.min(by: { $0.value.expires < $1.value.expires })
            {
                state.invitations[oldest.key] = nil
            }
            state.invitations[code] = Invitation(sessionId: id, name: name, expires: expires)
            return true
        }
    }

    public func claim(code: String, name: String?, now: Date) throws -> InvitationClaim {
        state.withLock { state in
            state.invitations = state.invitations.filter { $0.value.expires > now }
            guard let invitation = state.invitations[code] else { return .refused }
            if let name, name.caseInsensitiveCompare(invitation.name) != .orderedSame { return .otherName }
            state.invitations[code] = nil
            return .claimed(invitation)
        }
    }

    public func invited(to id: SessionID, now: Date) throws -> [String] {
        state.withLock { state in
            state.invitations.values.filter { $0.sessionId == id && $0.expires > now }.map(\.name)
        }
    }

    public func seat(_ name: String, in id: SessionID) throws {
        state.withLock { $0.seats[id, default: [:]][name, default: 0] += 1 }
    }

    public func unseat(_ name: String, in id: SessionID) throws {
        state.withLock { state in
            guard let count = state.seats[id]?[name] else { return }
            state.seats[id]?[name] = count > 1 ? count - 1 : nil
            if state.seats[id]?.isEmpty == true { state.seats[id] = nil }
        }
    }

    public func seated(in id: SessionID) throws -> [String] {
        state.withLock { state in state.seats[id].map { Array($0.keys) } ?? [] }
    }
}
