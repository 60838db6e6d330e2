public import SmallChangesCore
import Synchronization

/// A session store that keeps everything in memory: the twin of ``SQLiteSessionStore`` for tests.
///
/// It follows the same rules (errors, ordering, millisecond times, links cleared on delete), so a test
/// that passes against it says something about the real store.
public final class InMemorySessionStore: SessionStore {
    private struct State {
        var records: [SessionID: SessionRecord] = [:]
        var turns: [SessionID: [Turn]] = [:]
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
            guard state.records[record.id] == nil else { throw StoreError.sessionExists(record.id) }
            if let reviewed = record.reviewOf, state.records[reviewed] == nil {
                throw StoreError.unknownSession(reviewed)
            }
            state.records[record.id] = record.stored
            state.turns[record.id] = []
        }
    }

    public func append(_ turn: Turn, to id: SessionID, record: SessionRecord) throws {
        precondition(record.id == id, "append: the record belongs to another session")
        try state.withLock { state in
            guard state.records[id] != nil else { throw StoreError.unknownSession(id) }
            if let reviewed = record.reviewOf, state.records[reviewed] == nil {
                throw StoreError.unknownSession(reviewed)
            }
            state.turns[id, default: []].append(turn.stored)
            state.records[id] = record.stored
        }
    }

    public func update(_ record: SessionRecord) throws {
        try state.withLock { state in
            guard state.records[record.id] != nil else { throw StoreError.unknownSession(record.id) }
            if let reviewed = record.reviewOf, state.records[reviewed] == nil {
                throw StoreError.unknownSession(reviewed)
            }
            state.records[record.id] = record.stored
        }
    }

    public func load(_ id: SessionID) throws -> StoredSession {
        try state.withLock { state in
            guard let record = state.records[id] else { throw StoreError.unknownSession(id) }
            return StoredSession(record: record, turns: state.turns[id] ?? [])
        }
    }

    public func records() throws -> [SessionRecord] {
        state.withLock { state in state.records.values.sorted(by: SessionRecord.listedBefore) }
    }

    public func latest() throws -> SessionRecord? {
        try records().first
    }

    public func delete(_ id: SessionID) throws {
        try state.withLock { state in
            guard state.records.removeValue(forKey: id) != nil else { throw StoreError.unknownSession(id) }
            state.turns[id] = nil
            for (other, record) in state.records where record.reviewOf == id {
                state.records[other]?.reviewOf = nil
            }
        }
    }

    public func lookup(prefix: String) throws -> SessionID {
        let canonical = try SessionID.canonicalPrefix(prefix)
        let matches = state.withLock { state in state.records.keys.filter { $0.rawValue.hasPrefix(canonical) } }
        switch matches.count {
        case 0: throw StoreError.noMatch(prefix)
        case 1: return matches[0]
        default: throw StoreError.ambiguousID(prefix, matches: matches.count)
        }
    }
}
