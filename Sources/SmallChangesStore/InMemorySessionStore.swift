public import SmallChangesCore
import Synchronization

/// A session store that keeps everything in memory: the twin of ``SQLiteSessionStore`` for tests.
///
/// It follows the same rules (errors, ordering, millisecond times, links cleared on delete), so a test
/// that passes against it says something about the real store.
public final class InMemorySessionStore: SessionStore {
    /// One session's record and log, changed in place under the lock: a turn then costs one table look-up
    /// instead of one for the record and one for the log.
    private final class Stored {
        var record: SessionRecord
        var turns: [Turn] = []
        /// Client message ids, and the sequence number of the turn each came with.
        var keys: [String: Int] = [:]

        init(_ record: SessionRecord) {
            self.record = record
        }
    }

    private struct State {
        var sessions: [SessionID: Stored] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// A store already holding these sessions.
    public convenience init(_ sessions: [StoredSession]) throws {
        self.init()
        for session in sessions {
            try create(session.record)
            for turn in session.turns {
                try append(turn, to: session.record.id, record: session.record)
            }
        }
    }

    public func create(_ record: SessionRecord) throws {
        try state.withLock { state in
            guard state.sessions[record.id] == nil else { throw StoreError.sessionExists(record.id) }
            if let reviewed = record.reviewOf, state.sessions[reviewed] == nil {
                throw StoreError.unknownSession(reviewed)
            }
            state.sessions[record.id] = Stored(record.stored)
        }
    }

    public func append(_ turn: Turn, to id: SessionID, record: SessionRecord) throws {
        precondition(record.id == id, "append: the record belongs to another session")
        try state.withLock { state in
            guard let stored = state.sessions[id] else { throw StoreError.unknownSession(id) }
            if let reviewed = record.reviewOf, state.sessions[reviewed] == nil {
                throw StoreError.unknownSession(reviewed)
            }
            stored.turns.append(turn.stored)
            stored.record = record.stored
        }
    }

    public func append(_ turns: [Turn], to id: SessionID, record: SessionRecord, after expected: Int) throws {
        try append(turns, to: id, record: record, after: expected, key: nil)
    }

    public func append(
        _ turns: [Turn], to id: SessionID, record: SessionRecord, after expected: Int, key: String?
    ) throws {
        precondition(record.id == id, "append: the record belongs to another session")
        try state.withLock { state in
            guard let stored = state.sessions[id] else { throw StoreError.unknownSession(id) }
            guard stored.turns.count == expected else { throw StoreError.moved(id) }
            if let key {
                guard stored.keys[key] == nil else { throw StoreError.moved(id) }
                if !turns.isEmpty { stored.keys[key] = expected + turns.count }
            }
            if let reviewed = record.reviewOf, state.sessions[reviewed] == nil {
                throw StoreError.unknownSession(reviewed)
            }
            stored.turns.append(contentsOf: turns.map(\.stored))
            stored.record = record.stored
        }
    }

    public func turnCount(_ id: SessionID) throws -> Int {
        try state.withLock { state in
            guard let stored = state.sessions[id] else { throw StoreError.unknownSession(id) }
            return stored.turns.count
        }
    }

    public func sequence(ofKey key: String, in id: SessionID) throws -> Int? {
        try state.withLock { state in
            guard let stored = state.sessions[id] else { throw StoreError.unknownSession(id) }
            return stored.keys[key]
        }
    }

    public func turns(of id: SessionID, after sequence: Int) throws -> [Turn] {
        try state.withLock { state in
            guard let stored = state.sessions[id] else { throw StoreError.unknownSession(id) }
            return Array(stored.turns[min(max(0, sequence), stored.turns.count)...])
        }
    }

    public func update(_ record: SessionRecord) throws {
        try state.withLock { state in
            guard let stored = state.sessions[record.id] else { throw StoreError.unknownSession(record.id) }
            if let reviewed = record.reviewOf, state.sessions[reviewed] == nil {
                throw StoreError.unknownSession(reviewed)
            }
            stored.record = record.stored
        }
    }

    public func load(_ id: SessionID) throws -> StoredSession {
        try state.withLock { state in
            guard let stored = state.sessions[id] else { throw StoreError.unknownSession(id) }
            return StoredSession(record: stored.record, turns: stored.turns)
        }
    }

    public func records() throws -> [SessionRecord] {
        state.withLock { state in state.sessions.values.map(\.record).sorted(by: SessionRecord.listedBefore) }
    }

    public func latest() throws -> SessionRecord? {
        try records().first
    }

    public func delete(_ id: SessionID) throws {
        try state.withLock { state in
            guard state.sessions.removeValue(forKey: id) != nil else { throw StoreError.unknownSession(id) }
            for stored in state.sessions.values where stored.record.reviewOf == id {
                stored.record.reviewOf = nil
            }
        }
    }

    public func lookup(prefix: String) throws -> SessionID {
        let canonical = try SessionID.canonicalPrefix(prefix)
        let matches = state.withLock { state in state.sessions.keys.filter { $0.rawValue.hasPrefix(canonical) } }
        switch matches.count {
        case 0: throw StoreError.noMatch(prefix)
        case 1: return matches[0]
        default: throw StoreError.ambiguousID(prefix, matches: matches.count)
        }
    }
}
