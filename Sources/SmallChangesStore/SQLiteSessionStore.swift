import Foundation
import GRDB
public import Logging
public import SmallChangesCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sessions kept in `sessions.sqlite` inside a ``DataFolder``, through one GRDB `DatabaseQueue`.
///
/// Why it is set up this way:
/// - One connection per process (`DatabaseQueue`, never `DatabasePool`), and writes from every process
///   serialized through `sessions.lock`: the linked SQLite 3.40.1 has the WAL-reset bug.
/// - WAL with `synchronous=FULL`: a write returns only once it is on disk, so an answer the REPL has
///   accepted survives a crash or a power cut.
/// - `secure_delete=ON` and a truncating checkpoint after every delete, so deleted text stays in no file.
/// - A 5 s busy timeout and IMMEDIATE write transactions, so a REPL and a server on the same folder wait
///   for each other instead of failing.
/// - The umask set to 077 before opening, and the files chmodded 0600 after, because SQLite creates them 0644.
///
/// Open it once per folder per process and keep it for the life of the process.
public final class SQLiteSessionStore: SessionStore {
    /// The folder holding the database.
    public let folder: DataFolder
    private let path: String
    private let queue: DatabaseQueue
    private let writeLock: WriteLock
    private let logger: Logger
    /// Set by `close()`; checked inside the queue, because GRDB crashes on some calls to a closed connection.
    private let closed = Atomic<Bool>(false)

    /// How long to wait for another process before giving up with ``StoreError`` `busy`.
    static let busyTimeout: Duration = .seconds(5)

    /// Opens (creating if needed) the store in `folder`, after making the folder private.
    ///
    /// - Throws: ``StoreError`` `unreadableFolder` when the folder is unsafe, `newerSchema` when a newer
    ///   SmallChanges wrote the database (it is then left untouched), `busy` or `io` otherwise.
    public init(folder: DataFolder, logger: Logger = Logger(label: "smallchanges.store")) throws {
        self.folder = folder
        self.logger = logger
        path = folder.databaseURL.path
        try folder.prepare()

        var info = stat()
        if lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            throw StoreError.unreadableFolder(
                path: folder.url.path,
                reason: "\(DataFolder.databaseName) in it is a link or a folder, not a database. Move it away.")
        }
        writeLock = try WriteLock(path: folder.url.appendingPathComponent("sessions.lock").path)

        var configuration = Configuration()
        configuration.label = "SmallChangesStore"
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(TimeInterval(Self.busyTimeout.components.seconds))
        let databasePath = path
        configuration.prepareDatabase { db in
            // GRDB's own `journalMode = .wal` would lower synchronous to NORMAL afterwards, so WAL is set here.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            let journalMode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            guard journalMode == "wal" else {
                throw StoreError.io(
                    "\(databasePath) cannot use write-ahead logging on this file system. "
                        + "Use a data folder on a local disk with --data-dir.")
            }
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        queue = try Self.mapping(path: databasePath) {
            try DatabaseQueue(path: databasePath, configuration: configuration)
        }

        try migrate()
        tightenFiles()
        let version = (try? read { try String.fetchOne($0, sql: "SELECT sqlite_version()") }) ?? "unknown"
        logger.debug("opened the session store", metadata: ["sqlite": "\(version)", "connections": "1 per process"])
    }

    // MARK: - Schema

    /// The schema, one migration per change; identifiers are never renamed or reordered.
    ///
    /// The SQL stays portable (a PostgreSQL store will follow): times are BIGINT milliseconds since 1970
    /// UTC, booleans are 0/1 integers, lists and routings are JSON text.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE session (
                        id TEXT NOT NULL PRIMARY KEY,
                        flow TEXT NOT NULL,
                        participants TEXT NOT NULL,
                        started_at BIGINT NOT NULL,
                        last_active_at BIGINT NOT NULL,
                        stage TEXT NOT NULL,
                        readiness TEXT NOT NULL,
                        finished INTEGER NOT NULL CHECK (finished IN (0, 1)),
                        review_of TEXT NULL REFERENCES session (id) ON DELETE SET NULL
                    );
                    CREATE INDEX session_by_last_active ON session (last_active_at, id);
                    CREATE INDEX session_by_review_of ON session (review_of);
                    CREATE TABLE turn (
                        session_id TEXT NOT NULL REFERENCES session (id) ON DELETE CASCADE,
                        seq INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        speaker TEXT NULL,
                        text TEXT NOT NULL,
                        argument TEXT NULL,
                        at BIGINT NOT NULL,
                        routing TEXT NULL,
                        PRIMARY KEY (session_id, seq)
                    );
                    """)
        }
        // A measurement turn carries its figure, measure and day as JSON.
        migrator.registerMigration("v2-measurements") { db in
            try db.execute(sql: "ALTER TABLE turn ADD COLUMN value TEXT NULL")
        }
        // A client's message id on the last turn of its message, so a retried answer is stored once.
        migrator.registerMigration("v3-client-msg-id") { db in
            try db.execute(
                sql: """
                    ALTER TABLE turn ADD COLUMN client_msg_id TEXT NULL;
                    CREATE UNIQUE INDEX turn_by_client_msg_id ON turn (session_id, client_msg_id);
                    """)
        }
        // Where a session stands is kept as numbers and its step's id, not in the words a listing shows; the words
        // of older rows are read once, here, and dropped.
        migrator.registerMigration("v4-position") { db in
            try db.execute(
                sql: """
                    ALTER TABLE session ADD COLUMN step_id TEXT NULL;
                    ALTER TABLE session ADD COLUMN step INTEGER NULL;
                    ALTER TABLE session ADD COLUMN step_count INTEGER NULL;
                    ALTER TABLE session ADD COLUMN gaps INTEGER NOT NULL DEFAULT 0;
                    """)
            for row in try Row.fetchAll(db, sql: "SELECT id, stage, readiness FROM session") {
                let legacy = LegacyStanding(stage: row["stage"], readiness: row["readiness"])
                try db.execute(
                    sql: "UPDATE session SET step = ?, step_count = ?, gaps = ? WHERE id = ?",
                    arguments: [legacy.position?.step, legacy.position?.of, legacy.gaps, row["id"] as String])
            }
            try db.execute(sql: "ALTER TABLE session DROP COLUMN stage; ALTER TABLE session DROP COLUMN readiness")
        }
        return migrator
    }

    /// Brings the schema up to date, or refuses a database that a newer program has migrated further.
    ///
    /// Takes the write lock before entering the queue, unlike every other access: GRDB's migrator enters
    /// the queue itself, and during `init` no other thread can reach this store yet.
    private func migrate() throws {
        let migrator = Self.migrator
        let known = migrator.migrations
        try writeLock.withLock(timeout: Self.busyTimeout, databasePath: path) {
            let applied = try read { try migrator.appliedIdentifiers($0) }
            let unknown = applied.subtracting(known)
            guard unknown.isEmpty else {
                logger.debug(
                    "refused a database from a newer SmallChanges", metadata: ["schema": "\(unknown.sorted())"])
                throw StoreError.newerSchema(
                    found: unknown.sorted().joined(separator: ", "), supported: known.last ?? "none")
            }
            guard applied != Set(known) else { return }
            try Self.mapping(path: path) { try migrator.migrate(queue) }
            logger.log(
                level: applied.isEmpty ? .debug : .info, "migrated the session store",
                metadata: ["from": "\(applied.sorted())", "to": "\(known.last ?? "none")"])
        }
    }

    /// Belt and braces beside the umask: a file created by an older build, or by a `sqlite3` shell, may be looser.
    private func tightenFiles() {
        for file in [path, path + "-wal", path + "-shm", writeLock.path] {
            if !DataFolder.tightenOwn(file) {
                logger.warning("could not make a store file private", metadata: ["file": "\(file)"])
            }
        }
    }

    // MARK: - SessionStore

    public func create(_ record: SessionRecord) throws {
        try write { db in
            guard try !Self.exists(record.id, in: db) else { throw StoreError.sessionExists(record.id) }
            try Self.requireReviewed(record, in: db)
            try db.execute(
                sql: """
                    INSERT INTO session
                        (id, flow, participants, started_at, last_active_at, step_id, step, step_count, gaps, finished,
                        review_of)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.id.rawValue, record.flow, try Self.json(record.participants),
                    StoredTime.milliseconds(record.startedAt), StoredTime.milliseconds(record.lastActiveAt),
                    record.position?.stepID, record.position?.step, record.position?.of, record.gaps,
                    record.finished ? 1 : 0, record.reviewOf?.rawValue,
                ])
        }
    }

    public func append(_ turn: Turn, to id: SessionID, record: SessionRecord) throws {
        precondition(record.id == id, "append: the record belongs to another session")
        try write { db in
            guard try Self.exists(id, in: db) else { throw StoreError.unknownSession(id) }
            try Self.insert(turn, seq: try Self.lastSequence(id, in: db) + 1, of: id, in: db)
            try Self.replace(record, in: db)
        }
    }

    public func append(_ turns: [Turn], to id: SessionID, record: SessionRecord, after expected: Int) throws {
        try append(turns, to: id, record: record, after: expected, key: nil)
    }

    public func append(
        _ turns: [Turn], to id: SessionID, record: SessionRecord, after expected: Int, key: String?
    ) throws {
        precondition(record.id == id, "append: the record belongs to another session")
        try write { db in
            guard try Self.exists(id, in: db) else { throw StoreError.unknownSession(id) }
            let last = try Self.lastSequence(id, in: db)
            guard last == expected else { throw StoreError.moved(id) }
            if let key, try Self.sequence(ofKey: key, in: id, db: db) != nil { throw StoreError.moved(id) }
            for (offset, turn) in turns.enumerated() {
                try Self.insert(
                    turn, seq: last + offset + 1, of: id, key: offset == turns.count - 1 ? key : nil, in: db)
            }
            try Self.replace(record, in: db)
        }
    }

    public func sequence(ofKey key: String, in id: SessionID) throws -> Int? {
        try read { db in
            guard try Self.exists(id, in: db) else { throw StoreError.unknownSession(id) }
            return try Self.sequence(ofKey: key, in: id, db: db)
        }
    }

    public func turns(of id: SessionID, after sequence: Int) throws -> [Turn] {
        try read { db in
            guard try Self.exists(id, in: db) else { throw StoreError.unknownSession(id) }
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM turn WHERE session_id = ? AND seq > ? ORDER BY seq",
                arguments: [id.rawValue, sequence])
            return try rows.map(Self.turn(from:))
        }
    }

    /// Writes one turn, every column of it: the one place a turn becomes a row.
    private static func insert(
        _ turn: Turn, seq: Int, of id: SessionID, key: String? = nil, in db: Database
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO turn (session_id, seq, kind, speaker, text, argument, at, routing, value, client_msg_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id.rawValue, seq, turn.kind.rawValue, turn.speaker, turn.text, turn.argument,
                StoredTime.milliseconds(turn.at), try turn.routing.map { try json($0) },
                try turn.value.map { try json($0) }, key,
            ])
    }

    public func turnCount(_ id: SessionID) throws -> Int {
        try read { db in
            guard try Self.exists(id, in: db) else { throw StoreError.unknownSession(id) }
            return try Self.lastSequence(id, in: db)
        }
    }

    public func update(_ record: SessionRecord) throws {
        try write { db in try Self.replace(record, in: db) }
    }

    public func load(_ id: SessionID) throws -> StoredSession {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM session WHERE id = ?", arguments: [id.rawValue])
            else { throw StoreError.unknownSession(id) }
            let turns = try Row.fetchAll(
                db, sql: "SELECT * FROM turn WHERE session_id = ? ORDER BY seq", arguments: [id.rawValue])
            return StoredSession(record: try Self.record(from: row), turns: try turns.map(Self.turn(from:)))
        }
    }

    public func records() throws -> [SessionRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM session ORDER BY last_active_at DESC, id ASC").map(
                Self.record(from:))
        }
    }

    public func latest() throws -> SessionRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM session ORDER BY last_active_at DESC, id ASC LIMIT 1")
                .map(Self.record(from:))
        }
    }

    /// Removes the session and its turns, then purges their text from every file of the store.
    ///
    /// `secure_delete` zeroes the freed space in the database file, and a truncating checkpoint copies
    /// those zeroed pages home and empties the write-ahead log, which still held the old pages.
    public func delete(_ id: SessionID) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM turn WHERE session_id = ?", arguments: [id.rawValue])
            try db.execute(sql: "DELETE FROM session WHERE id = ?", arguments: [id.rawValue])
            guard db.changesCount > 0 else { throw StoreError.unknownSession(id) }
        }
        try checkpoint()
    }

    public func lookup(prefix: String) throws -> SessionID {
        let canonical = try SessionID.canonicalPrefix(prefix)
        let matches = try read { db in
            try String.fetchAll(
                db, sql: "SELECT id FROM session WHERE id LIKE ? ORDER BY id", arguments: [canonical + "%"])
        }
        switch matches.count {
        case 0: throw StoreError.noMatch(prefix)
        case 1:
            guard let id = SessionID(rawValue: matches[0]) else { throw Self.damaged(path) }
            return id
        default: throw StoreError.ambiguousID(prefix, matches: matches.count)
        }
    }

    // MARK: - Maintenance

    /// Empties the write-ahead log into the database file and truncates it to zero bytes.
    ///
    /// Run after deletes and at shutdown. When another process is reading, SQLite waits up to the busy
    /// timeout and then gives up quietly; the log is emptied by a later checkpoint.
    public func checkpoint() throws {
        let row = try access { db in
            try writeLock.withLock(timeout: Self.busyTimeout, databasePath: path) {
                try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
        let blocked = (row?[0] as Int?) ?? 0
        if blocked != 0 {
            logger.warning("could not empty the write-ahead log: another process is reading; a later checkpoint will")
        }
    }

    /// Problems SQLite finds in the database file; empty when it is healthy.
    ///
    /// Runs `PRAGMA integrity_check` and `PRAGMA foreign_key_check`.
    public func problems() throws -> [String] {
        try read { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            let orphans = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { row in
                "a row of \(row[0] as String? ?? "?") refers to a missing \(row[2] as String? ?? "?")"
            }
            return integrity + orphans
        }
    }

    /// Checkpoints and closes the database; closing again does nothing, and every other later call throws
    /// ``StoreError`` `io`.
    ///
    /// Dropping the store closes it too. SQLite's own checkpoint at close runs only when no other connection,
    /// in any process, has the file open, so it needs no lock.
    public func close() throws {
        guard !closed.load(ordering: .sequentiallyConsistent) else { return }
        try checkpoint()
        try access { _ in closed.store(true, ordering: .sequentiallyConsistent) }
        try Self.mapping(path: path) { try queue.close() }
    }

    /// Runs raw SQL in a write transaction: for tests and repairs, never with text from a session.
    func execute(sql: String) throws {
        try write { db in try db.execute(sql: sql) }
    }

    // MARK: - Access

    /// Runs `body` in an IMMEDIATE transaction, holding the cross-process write lock, and commits.
    ///
    /// The order is always queue first, then lock: `flock` belongs to the open file, so a second thread
    /// taking it outside the queue would "get" it too and then release it under the first.
    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        try access { db in
            try writeLock.withLock(timeout: Self.busyTimeout, databasePath: path) {
                try Self.transaction(.immediate, in: db, body)
            }
        }
    }

    /// Runs `body` in a DEFERRED transaction: one consistent snapshot, even while another process writes.
    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        try access { db in try Self.transaction(.deferred, in: db, body) }
    }

    /// Runs `body` on the connection, unless the store is closed.
    private func access<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.mapping(path: path) {
            try queue.writeWithoutTransaction { db in
                guard !closed.load(ordering: .sequentiallyConsistent) else {
                    throw StoreError.io(
                        "the session store at \(path) is already closed; this is a bug in SmallChanges.")
                }
                return try body(db)
            }
        }
    }

    private static func transaction<T>(
        _ kind: Database.TransactionKind, in db: Database, _ body: (Database) throws -> T
    ) throws -> T {
        var result: T?
        try db.inTransaction(kind) {
            result = try body(db)
            return .commit
        }
        guard let result else { throw StoreError.io("a database transaction did not complete.") }
        return result
    }

    /// Runs `body`, turning GRDB and coding errors into ``StoreError``s that carry no session text.
    private static func mapping<T>(path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw storeError(error, path: path)
        } catch is DecodingError {
            throw damaged(path)
        } catch is RowDecodingError {
            throw damaged(path)
        } catch is UnreadableRow {
            throw damaged(path)
        } catch {
            throw StoreError.io("\(path): \(type(of: error)).")
        }
    }

    private static func storeError(_ error: DatabaseError, path: String) -> StoreError {
        let said = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .busy(path: path)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return .io(
                "\(path) is damaged or is not a SmallChanges database (SQLite: \(said)). "
                    + "Move it aside and start again, or restore a backup.")
        case .SQLITE_FULL:
            return .diskFull(path: path)
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
            return .io("cannot open \(path) for writing (SQLite: \(said)). Check you own it and it is not read-only.")
        case .SQLITE_IOERR:
            return .io(
                "reading or writing \(path) failed (SQLite: \(said)). Check the disk; the last step was not saved.")
        default:
            return .io("the database \(path) reported a problem (SQLite: \(said)).")
        }
    }

    private static func damaged(_ path: String) -> StoreError {
        .io(
            "\(path) holds a session this program cannot read; a newer SmallChanges may have written it. "
                + "Update SmallChanges, or move the file aside.")
    }

    // MARK: - Rows

    private static func exists(_ id: SessionID, in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM session WHERE id = ?", arguments: [id.rawValue]) ?? false
    }

    /// The sequence number of the session's last turn, which is its number of turns (they count from 1).
    private static func lastSequence(_ id: SessionID, in db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM turn WHERE session_id = ?", arguments: [id.rawValue]) ?? 0
    }

    private static func sequence(ofKey key: String, in id: SessionID, db: Database) throws -> Int? {
        try Int.fetchOne(
            db, sql: "SELECT seq FROM turn WHERE session_id = ? AND client_msg_id = ?", arguments: [id.rawValue, key])
    }

    private static func requireReviewed(_ record: SessionRecord, in db: Database) throws {
        if let reviewed = record.reviewOf, try !exists(reviewed, in: db) {
            throw StoreError.unknownSession(reviewed)
        }
    }

    private static func replace(_ record: SessionRecord, in db: Database) throws {
        try requireReviewed(record, in: db)
        try db.execute(
            sql: """
                UPDATE session SET flow = ?, participants = ?, started_at = ?, last_active_at = ?, step_id = ?,
                    step = ?, step_count = ?, gaps = ?, finished = ?, review_of = ?
                WHERE id = ?
                """,
            arguments: [
                record.flow, try json(record.participants), StoredTime.milliseconds(record.startedAt),
                StoredTime.milliseconds(record.lastActiveAt), record.position?.stepID, record.position?.step,
                record.position?.of, record.gaps, record.finished ? 1 : 0,
                record.reviewOf?.rawValue, record.id.rawValue,
            ])
        guard db.changesCount > 0 else { throw StoreError.unknownSession(record.id) }
    }

    private static func position(from row: Row) throws -> SessionRecord.Position? {
        let step: Int? = try row.decode(forColumn: "step")
        let count: Int? = try row.decode(forColumn: "step_count")
        guard let step, let count else { return nil }
        return SessionRecord.Position(stepID: try row.decode(forColumn: "step_id"), step: step, of: count)
    }

    private static func record(from row: Row) throws -> SessionRecord {
        guard let id = SessionID(rawValue: try row.decode(String.self, forColumn: "id")) else {
            throw UnreadableRow()
        }
        let reviewOf: String? = try row.decode(forColumn: "review_of")
        return SessionRecord(
            id: id,
            flow: try row.decode(forColumn: "flow"),
            participants: try fromJSON([String].self, try row.decode(forColumn: "participants")),
            startedAt: StoredTime.date(milliseconds: try row.decode(forColumn: "started_at")),
            lastActiveAt: StoredTime.date(milliseconds: try row.decode(forColumn: "last_active_at")),
            position: try Self.position(from: row),
            gaps: try row.decode(forColumn: "gaps"),
            finished: try row.decode(Int.self, forColumn: "finished") != 0,
            reviewOf: try reviewOf.map { raw in
                guard let reviewed = SessionID(rawValue: raw) else {
                    throw UnreadableRow()
                }
                return reviewed
            })
    }

    private static func turn(from row: Row) throws -> Turn {
        guard let kind = Turn.Kind(rawValue: try row.decode(String.self, forColumn: "kind")) else {
            throw UnreadableRow()
        }
        let routing: String? = try row.decode(forColumn: "routing")
        let value: String? = try row.decode(forColumn: "value")
        return Turn(
            kind: kind,
            speaker: try row.decode(forColumn: "speaker"),
            text: try row.decode(forColumn: "text"),
            argument: try row.decode(forColumn: "argument"),
            at: StoredTime.date(milliseconds: try row.decode(forColumn: "at")),
            routing: try routing.map { try fromJSON(Routing.self, $0) },
            value: try value.map { try fromJSON(MeasureValue.self, $0) })
    }

    /// A stored value this program cannot interpret (an unknown turn kind, a malformed id).
    private struct UnreadableRow: Error {}

    private static func json(_ value: some Encodable) throws -> String {
        try StoredJSON.text(value)
    }

    private static func fromJSON<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try StoredJSON.value(type, text)
    }
}
