public import SmallChangesCore

/// Where sessions are kept between runs: the role that `SQLiteSessionStore` and `InMemorySessionStore` play.
///
/// Every method is synchronous and returns only once its change is committed, because the REPL shows
/// the next prompt only after the answer is safe. Times are kept to the millisecond: a stored `Date` comes
/// back rounded to the nearest millisecond, in every store.
public protocol SessionStore: Sendable {
    /// Stores a new session with no turns.
    ///
    /// - Throws: ``StoreError`` `sessionExists` when the id is taken, `unknownSession` when `reviewOf` names
    ///   a session that is not stored.
    func create(_ record: SessionRecord) throws

    /// Appends one turn to a session and replaces its record, in one transaction.
    ///
    /// The turn gets the next sequence number. `record` is the session's record after this turn
    /// (`lastActiveAt`, `stage`, `readiness`, `finished`); its id must be `id` (a mismatch is a programming
    /// error and traps, rather than silently relabel another session).
    ///
    /// - Throws: ``StoreError`` `unknownSession` when the session is not stored; nothing is written then.
    func append(_ turn: Turn, to id: SessionID, record: SessionRecord) throws

    /// Appends turns to a session and replaces its record, in one transaction, only if the session has exactly
    /// `expected` turns stored: so a process that read the session, then took a turn, never writes after turns
    /// another process added meanwhile.
    ///
    /// - Throws: ``StoreError`` `moved` when the session has another number of turns, `unknownSession` when it
    ///   is not stored (deleted meanwhile); nothing is written then.
    func append(_ turns: [Turn], to id: SessionID, record: SessionRecord, after expected: Int) throws

    /// Appends the turns of one client message, as `append(_:to:record:after:)` does, and keeps `key` (the
    /// client's `clientMsgId`) with the last of them, so a retry of the message is known for what it is.
    ///
    /// - Throws: ``StoreError`` `moved` also when the session already holds `key`: nothing is written, and
    ///   `sequence(ofKey:in:)` then says where the first copy is.
    func append(_ turns: [Turn], to id: SessionID, record: SessionRecord, after expected: Int, key: String?) throws

    /// The sequence number of the turn stored with a client's message id, or `nil` when the session holds none.
    ///
    /// - Throws: ``StoreError`` `unknownSession` when the session is not stored.
    func sequence(ofKey key: String, in id: SessionID) throws -> Int?

    /// The turns of a session after the first `sequence`, oldest first: what a process that has delivered turns
    /// up to `sequence` has still to deliver.
    ///
    /// - Throws: ``StoreError`` `unknownSession` when the session is not stored.
    func turns(of id: SessionID, after sequence: Int) throws -> [Turn]

    /// How many turns the session has stored, to tell whether another process has added some since it was read.
    ///
    /// - Throws: ``StoreError`` `unknownSession` when the session is not stored (it may have been deleted).
    func turnCount(_ id: SessionID) throws -> Int

    /// Replaces a stored session's record; its turns are untouched.
    func update(_ record: SessionRecord) throws

    /// The session's record and all its turns, oldest turn first.
    func load(_ id: SessionID) throws -> StoredSession

    /// Every stored session's record, the most recently active first.
    func records() throws -> [SessionRecord]

    /// The most recently active session, if any.
    func latest() throws -> SessionRecord?

    /// Removes a session and its turns for good, leaving no copy of their text in the store's files.
    ///
    /// Sessions that reviewed it keep existing and lose the link.
    func delete(_ id: SessionID) throws

    /// The one stored session whose id starts with what a person typed (`7k2m`, `s-7k2m`, or a whole id).
    ///
    /// - Throws: ``StoreError`` `malformedID` before any lookup when the text cannot start an id,
    ///   `unknownSession` when nothing matches, `ambiguousID` when several do.
    func lookup(prefix: String) throws -> SessionID
}

extension SessionStore {
    /// Appends turn by turn after checking the count: for stores that cannot do both in one transaction.
    public func append(_ turns: [Turn], to id: SessionID, record: SessionRecord, after expected: Int) throws {
        guard try turnCount(id) == expected else { throw StoreError.moved(id) }
        for turn in turns { try append(turn, to: id, record: record) }
    }

    /// For stores that keep no message ids (test twins): a message with an id is refused, never stored twice.
    public func append(
        _ turns: [Turn], to id: SessionID, record: SessionRecord, after expected: Int, key: String?
    ) throws {
        guard key == nil else { throw StoreError.io("this store keeps no client message ids.") }
        try append(turns, to: id, record: record, after: expected)
    }

    public func sequence(ofKey key: String, in id: SessionID) throws -> Int? {
        _ = try turnCount(id)
        return nil
    }

    public func turnCount(_ id: SessionID) throws -> Int {
        try load(id).turns.count
    }

    public func turns(of id: SessionID, after sequence: Int) throws -> [Turn] {
        let turns = try load(id).turns
        return Array(turns[min(max(0, sequence), turns.count)...])
    }
}
