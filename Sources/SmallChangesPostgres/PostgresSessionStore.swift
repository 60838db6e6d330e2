import Dispatch
import Foundation
public import Logging
import PostgresNIO
public import SmallChangesCore
public import SmallChangesStore
import Synchronization

/// Sessions kept in a PostgreSQL database that several `smallchanges serve` processes share.
///
/// Why it is set up this way:
/// - Every append runs in one transaction that first locks the session's row (`SELECT … FOR UPDATE`), checks
///   and moves its `last_seq`, inserts the turns keyed by `(session_id, seq)`, and calls `pg_notify`: two
///   processes appending to one session queue on the lock, so turns never interleave, never repeat, and
///   leave no gap; the notification goes out only if the transaction commits.
/// - A client's message id is unique per session (`UNIQUE (session_id, client_msg_id)`), so a retried answer is
///   stored once whichever process it reaches.
/// - The protocol is synchronous, as the REPL and the server's store threads expect: each call runs on
///   `PostgresClient`'s event loops and the calling thread waits, at most ``timeout``. Never call it from an
///   event loop or from Swift's cooperative threads.
/// - A delete rewrites the tables (`VACUUM FULL`), because a plain delete leaves the text in the table files.
public final class PostgresSessionStore: SessionStore {
    /// The database, for messages (never with the password).
    public let url: DatabaseURL
    let client: PostgresClient
    private let running: Task<Void, Never>
    let executor = LoopExecutor()
    let logger: Logger
    /// The connection that listens for other instances' changes, once `watch` has started it.
    let listening = Mutex(Listening())

    /// How long a call waits for the database before giving up with ``StoreError`` `busy`.
    public static let timeout: Duration = .seconds(30)

    /// Connects, and brings the schema up to date (or refuses a database a newer SmallChanges migrated further).
    ///
    /// - Parameter maximumConnections: the most connections to the database this process opens for queries.
    public init(
        url: DatabaseURL, maximumConnections: Int = 20, logger: Logger = Logger(label: "smallchanges.store")
    ) throws {
        self.url = url
        self.logger = logger
        var configuration = url.clientConfiguration
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(10)
        let client = PostgresClient(
            configuration: configuration, eventLoopGroup: executor.group, backgroundLogger: logger)
        self.client = client
        running = Task(executorPreference: executor) { await client.run() }
        do {
            try migrate()
        } catch {
            running.cancel()
            throw error
        }
    }

    deinit {
        running.cancel()
        listening.withLock { $0.task?.cancel() }
    }

    /// Closes every connection; later calls fail with ``StoreError`` `io`.
    public func close() {
        listening.withLock { $0.task?.cancel() }
        running.cancel()
    }

    // MARK: - Schema

    private func migrate() throws {
        let known = PostgresSchema.migrations.map(\.id)
        let logger = logger
        let applied = try run { client in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    "SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger: logger)
                try await connection.query(
                    "CREATE TABLE IF NOT EXISTS schema_migration (id TEXT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)",
                    logger: logger)
                var applied: [String] = []
                for try await id in try await connection.query("SELECT id FROM schema_migration", logger: logger)
                    .decode(String.self)
                {
                    applied.append(id)
                }
                let unknown = Set(applied).subtracting(known)
                guard unknown.isEmpty else {
                    throw StoreError.newerSchema(
                        found: unknown.sorted().joined(separator: ", "), supported: known.last ?? "none")
                }
                let now = StoredTime.milliseconds(Date())
                for migration in PostgresSchema.migrations where !applied.contains(migration.id) {
                    for statement in migration.sql {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query(
                        "INSERT INTO schema_migration (id, applied_at) VALUES (\(migration.id), \(now))",
                        logger: logger)
                }
                return applied
            }
        }
        if Set(applied) != Set(known) {
            logger.log(
                level: applied.isEmpty ? .debug : .info, "migrated the session store",
                metadata: ["from": "\(applied.sorted())", "to": "\(known.last ?? "none")", "database": "\(url)"])
        }
    }

    // MARK: - SessionStore

    public func create(_ record: SessionRecord) throws {
        let row = try Self.row(record)
        let logger = logger
        try run { client in
            try await client.withTransaction(logger: logger) { connection in
                if let reviewed = record.reviewOf {
                    guard try await Self.exists(reviewed, on: connection, logger: logger) else {
                        throw StoreError.unknownSession(reviewed)
                    }
                }
                let inserted = try await connection.query(
                    """
                    INSERT INTO session
                        (id, flow, participants, started_at, last_active_at, step_id, step, step_count, gaps,
                        finished, review_of)
                    VALUES (\(row.id), \(row.flow), \(row.participants), \(row.startedAt), \(row.lastActiveAt),
                        \(row.stepID), \(row.step), \(row.stepCount), \(row.gaps), \(row.finished), \(row.reviewOf))
                    ON CONFLICT (id) DO NOTHING
                    RETURNING id
                    """, logger: logger
                ).collect()
                guard !inserted.isEmpty else { throw StoreError.sessionExists(record.id) }
            }
        }
    }

    public func append(_ turn: Turn, to id: SessionID, record: SessionRecord) throws {
        try append([turn], to: id, record: record, after: nil, key: nil)
    }

    public func append(_ turns: [Turn], to id: SessionID, record: SessionRecord, after expected: Int) throws {
        try append(turns, to: id, record: record, after: expected, key: nil)
    }

    public func append(
        _ turns: [Turn], to id: SessionID, record: SessionRecord, after expected: Int, key: String?
    ) throws {
        try append(turns, to: id, record: record, after: Optional(expected), key: key)
    }

    /// The one append: locks the session's row, checks, inserts, moves `last_seq` and notifies, in one transaction.
    private func append(
        _ turns: [Turn], to id: SessionID, record: SessionRecord, after expected: Int?, key: String?
    ) throws {
        precondition(record.id == id, "append: the record belongs to another session")
        let rows = try turns.map(Self.row)
        let recordRow = try Self.row(record)
        let logger = logger
        try run { client in
            try await client.withTransaction(logger: logger) { connection in
                var last: Int64?
                for try await seq in try await connection.query(
                    "SELECT last_seq FROM session WHERE id = \(id.rawValue) FOR UPDATE", logger: logger
                ).decode(Int64.self) {
                    last = seq
                }
                guard let last else { throw StoreError.unknownSession(id) }
                if let expected, last != Int64(expected) { throw StoreError.moved(id) }
                if let key {
                    let held = try await connection.query(
                        "SELECT seq FROM turn WHERE session_id = \(id.rawValue) AND client_msg_id = \(key)",
                        logger: logger
                    ).collect()
                    guard held.isEmpty else { throw StoreError.moved(id) }
                }
                for (offset, turn) in rows.enumerated() {
                    let seq = last + Int64(offset) + 1
                    let turnKey = offset == rows.count - 1 ? key : nil
                    try await connection.query(
                        """
                        INSERT INTO turn
                            (session_id, seq, kind, speaker, text, argument, at, routing, value, client_msg_id)
                        VALUES (\(id.rawValue), \(seq), \(turn.kind), \(turn.speaker), \(turn.text), \(turn.argument),
                            \(turn.at), \(turn.routing), \(turn.value), \(turnKey))
                        """, logger: logger)
                }
                let now = last + Int64(rows.count)
                try await Self.replace(recordRow, lastSequence: now, on: connection, logger: logger)
                if !rows.isEmpty {
                    try await connection.query(
                        "SELECT pg_notify(\(PostgresSchema.turnsChannel), \(id.rawValue + " " + String(now)))",
                        logger: logger)
                }
            }
        }
    }

    public func sequence(ofKey key: String, in id: SessionID) throws -> Int? {
        let logger = logger
        return try run { client in
            try await client.withTransaction(logger: logger) { connection in
                guard try await Self.exists(id, on: connection, logger: logger) else {
                    throw StoreError.unknownSession(id)
                }
                var found: Int?
                for try await seq in try await connection.query(
                    "SELECT seq FROM turn WHERE session_id = \(id.rawValue) AND client_msg_id = \(key)",
                    logger: logger
                ).decode(Int64.self) {
                    found = Int(seq)
                }
                return found
            }
        }
    }

    public func turnCount(_ id: SessionID) throws -> Int {
        let logger = logger
        return try run { client in
            var count: Int?
            for try await seq in try await client.query(
                "SELECT last_seq FROM session WHERE id = \(id.rawValue)", logger: logger
            ).decode(Int64.self) {
                count = Int(seq)
            }
            guard let count else { throw StoreError.unknownSession(id) }
            return count
        }
    }

    public func turns(of id: SessionID, after sequence: Int) throws -> [Turn] {
        let logger = logger
        return try run { client in
            try await client.withTransaction(logger: logger) { connection in
                guard try await Self.exists(id, on: connection, logger: logger) else {
                    throw StoreError.unknownSession(id)
                }
                return try await Self.turns(of: id, after: Int64(sequence), on: connection, logger: logger)
            }
        }
    }

    public func update(_ record: SessionRecord) throws {
        let row = try Self.row(record)
        let logger = logger
        try run { client in
            try await client.withTransaction(logger: logger) { connection in
                try await Self.replace(row, lastSequence: nil, on: connection, logger: logger)
            }
        }
    }

    public func load(_ id: SessionID) throws -> StoredSession {
        let logger = logger
        return try run { client in
            try await client.withTransaction(logger: logger) { connection in
                // One snapshot for the record and the turns, even while another process appends.
                try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", logger: logger)
                let records = try await Self.records(
                    "SELECT \(unescaped: Self.recordColumns) FROM session WHERE id = \(id.rawValue)", on: connection,
                    logger: logger)
                guard let record = records.first else { throw StoreError.unknownSession(id) }
                let turns = try await Self.turns(of: id, after: 0, on: connection, logger: logger)
                return StoredSession(record: record, turns: turns)
            }
        }
    }

    public func records() throws -> [SessionRecord] {
        let logger = logger
        return try run { client in
            try await client.withConnection { connection in
                try await Self.records(
                    "SELECT \(unescaped: Self.recordColumns) FROM session ORDER BY last_active_at DESC, id ASC",
                    on: connection, logger: logger)
            }
        }
    }

    public func latest() throws -> SessionRecord? {
        let logger = logger
        return try run { client in
            try await client.withConnection { connection in
                try await Self.records(
                    "SELECT \(unescaped: Self.recordColumns) FROM session ORDER BY last_active_at DESC, id ASC LIMIT 1",
                    on: connection, logger: logger
                ).first
            }
        }
    }

    /// Removes the session, its turns and its join codes, then rewrites the tables so their files keep no copy.
    ///
    /// `VACUUM FULL` copies only rows no transaction can still see, so it waits (up to ``timeout``) for the
    /// transactions that began before the delete to end. It holds each table's exclusive lock while it copies the
    /// table: every instance's appends wait for it (milliseconds for thousands of sessions). The write-ahead log
    /// and any backups still hold the text until they are recycled; docs/DEPLOY.md says how to bound that.
    public func delete(_ id: SessionID) throws {
        let logger = logger
        let deadline = ContinuousClock.now + Self.timeout / 2
        let clean = try run { client in
            let transaction = try await client.withTransaction(logger: logger) { connection in
                let deleted = try await connection.query(
                    "DELETE FROM session WHERE id = \(id.rawValue) RETURNING id", logger: logger
                ).collect()
                guard !deleted.isEmpty else { throw StoreError.unknownSession(id) }
                var transaction: Int64 = 0
                for try await xid in try await connection.query(
                    "SELECT txid_current() % 4294967296", logger: logger
                ).decode(Int64.self) {
                    transaction = xid
                }
                return transaction
            }
            let older: PostgresQuery = """
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL
                    AND age(backend_xmin) >= age(\(String(transaction))::xid)
                """
            while ContinuousClock.now < deadline {
                var waiting: Int64 = 0
                for try await count in try await client.query(older, logger: logger).decode(Int64.self) {
                    waiting = count
                }
                if waiting == 0 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            try await client.query("VACUUM (FULL) turn, join_code, session", logger: logger)
            return ContinuousClock.now < deadline
        }
        if !clean {
            logger.warning("a delete waited too long for older transactions; their rows may stay until the next delete")
        }
    }

    public func lookup(prefix: String) throws -> SessionID {
        let canonical = try SessionID.canonicalPrefix(prefix)
        let logger = logger
        let matches = try run { client in
            var ids: [String] = []
            for try await id in try await client.query(
                "SELECT id FROM session WHERE id LIKE \(canonical + "%") ORDER BY id LIMIT 2", logger: logger
            ).decode(String.self) {
                ids.append(id)
            }
            return ids
        }
        switch matches.count {
        case 0: throw StoreError.noMatch(prefix)
        case 1:
            guard let id = SessionID(rawValue: matches[0]) else { throw Self.damaged }
            return id
        default:
            let count = try run { client in
                var count = 0
                for try await n in try await client.query(
                    "SELECT count(*) FROM session WHERE id LIKE \(canonical + "%")", logger: logger
                ).decode(Int64.self) {
                    count = Int(n)
                }
                return count
            }
            throw StoreError.ambiguousID(prefix, matches: count)
        }
    }

    /// Creates a schema if it is missing: for tests, each of which works in a schema of its own.
    static func createSchema(_ name: String, at url: DatabaseURL) throws {
        var plain = url
        plain.searchPath = nil
        let store = try PostgresSessionStore(url: plain, maximumConnections: 1)
        defer { store.close() }
        let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        try store.run { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(quoted)"))
        }
    }

    /// Runs raw SQL outside a transaction: for tests and repairs, never with text from a session.
    package func execute(_ sql: String) throws {
        try run { client in
            try await client.query(PostgresQuery(unsafeSQL: sql))
        }
    }

    // MARK: - Running

    /// Runs `body` on the client's event loops and waits for it on this thread, for at most ``timeout``.
    func run<T: Sendable>(_ body: @escaping @Sendable (PostgresClient) async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let client = client
        let task = Task(executorPreference: executor) {
            do {
                outcome.set(.success(try await body(client)))
            } catch {
                outcome.set(.failure(error))
            }
        }
        let seconds = Int(Self.timeout.components.seconds)
        guard outcome.wait(until: .now() + .seconds(seconds)) else {
            task.cancel()
            throw StoreError.busy(path: url.description)
        }
        switch outcome.result {
        case .success(let value): return value
        case .failure(let error): throw storeError(error)
        case nil: throw StoreError.io("a database call to \(url) did not complete.")
        }
    }

    /// What a database failure means to a user: the session text it was about never appears.
    private func storeError(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError:
            return error
        case let error as PostgresTransactionError:
            if let inner = error.closureError ?? error.beginError ?? error.commitError {
                return storeError(inner)
            }
            return .io("a transaction on \(url) failed.")
        case let error as PSQLError where error.code == .server:
            let state = error.serverInfo?[.sqlState] ?? "?"
            switch state {
            case "40001", "40P01", "55P03", "57014": return .busy(path: url.description)
            case "53100": return .diskFull(path: url.description)
            case "23505", "23503": return .io("\(url) refused a write (SQLSTATE \(state)); nothing was saved.")
            default: return .io("the database \(url) reported a problem (SQLSTATE \(state)).")
            }
        case is PSQLError, is CancellationError:
            return .io("cannot reach the database \(url); the last step was not saved. Check that it is running.")
        case is DecodingError, is PostgresDecodingError:
            return Self.damaged
        default:
            return .io("\(url): \(type(of: error)).")
        }
    }

    static let damaged = StoreError.io(
        "the database holds a session this program cannot read; a newer SmallChanges may have written it.")
}

/// The result of a call another thread waits for.
private final class Outcome<T: Sendable>: Sendable {
    private let value = Mutex<Result<T, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    func set(_ result: Result<T, any Error>) {
        value.withLock { $0 = result }
        done.signal()
    }

    /// Waits for the result; false when the deadline passed first.
    func wait(until deadline: DispatchTime) -> Bool {
        done.wait(timeout: deadline) == .success
    }

    var result: Result<T, any Error>? { value.withLock { $0 } }
}
