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

    public func turnCount(_ id: SessionID) throws -> Int {
        try load(id).turns.count
    }
}
