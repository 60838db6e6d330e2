/// The PostgreSQL schema, one migration per change, in the order they were written; identifiers are never
/// renamed or reordered, as in the SQLite store.
///
/// The SQL mirrors the SQLite schema (times are BIGINT milliseconds since 1970 UTC, lists and routings JSON text),
/// plus what several processes sharing one database need: each session's last sequence number on its row (the
/// row that an append locks), a client message id on the turn it came with, and join codes.
enum PostgresSchema {
    struct Migration {
        let id: String
        let sql: [String]
    }

    static let migrations: [Migration] = [
        Migration(
            id: "v1",
            sql: [
                """
                CREATE TABLE session (
                    id TEXT NOT NULL PRIMARY KEY,
                    flow TEXT NOT NULL,
                    participants TEXT NOT NULL,
                    started_at BIGINT NOT NULL,
                    last_active_at BIGINT NOT NULL,
                    stage TEXT NOT NULL,
                    readiness TEXT NOT NULL,
                    finished BOOLEAN NOT NULL,
                    review_of TEXT NULL REFERENCES session (id) ON DELETE SET NULL,
                    last_seq BIGINT NOT NULL DEFAULT 0
                )
                """,
                "CREATE INDEX session_by_last_active ON session (last_active_at DESC, id)",
                "CREATE INDEX session_by_review_of ON session (review_of)",
                """
                CREATE TABLE turn (
                    session_id TEXT NOT NULL REFERENCES session (id) ON DELETE CASCADE,
                    seq BIGINT NOT NULL,
                    kind TEXT NOT NULL,
                    speaker TEXT NULL,
                    text TEXT NOT NULL,
                    argument TEXT NULL,
                    at BIGINT NOT NULL,
                    routing TEXT NULL,
                    value TEXT NULL,
                    client_msg_id TEXT NULL,
                    PRIMARY KEY (session_id, seq),
                    UNIQUE (session_id, client_msg_id)
                )
                """,
                """
                CREATE TABLE join_code (
                    code TEXT NOT NULL PRIMARY KEY,
                    session_id TEXT NOT NULL REFERENCES session (id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    claimed_at BIGINT NULL
                )
                """,
                "CREATE INDEX join_code_by_session ON join_code (session_id)",
            ]),
        // Who is seated in a shared session, by which instance: a seat counts while the backend of the instance's
        // listening connection (its pid and start time) is alive, so a killed instance's seats stop counting.
        Migration(
            id: "v2",
            sql: [
                """
                CREATE TABLE seat (
                    session_id TEXT NOT NULL REFERENCES session (id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    backend_pid INTEGER NOT NULL,
                    backend_start TIMESTAMPTZ NOT NULL,
                    PRIMARY KEY (session_id, name, backend_pid)
                )
                """
            ]),
        // Where a session stands is kept as numbers and its step's id, not in the words a listing shows; the words
        // of older rows are read once, here, and dropped.
        Migration(
            id: "v3-position",
            sql: [
                """
                ALTER TABLE session ADD COLUMN step_id TEXT NULL, ADD COLUMN step BIGINT NULL,
                    ADD COLUMN step_count BIGINT NULL, ADD COLUMN gaps BIGINT NOT NULL DEFAULT 0
                """,
                """
                UPDATE session SET step = (regexp_match(stage, 'step (\\d+) of (\\d+)'))[1]::bigint,
                    step_count = (regexp_match(stage, 'step (\\d+) of (\\d+)'))[2]::bigint,
                    gaps = COALESCE((regexp_match(readiness, '^(\\d+) gap'))[1]::bigint, 0)
                """,
                "ALTER TABLE session DROP COLUMN stage, DROP COLUMN readiness",
            ]),
    ]

    /// The channel every instance listens on; the payload is `<session id> <sequence number>` after turns were
    /// committed, `<session id> seats` after a seat was taken or left.
    static let turnsChannel = "smallchanges_turns"

    /// The advisory lock key that keeps two instances starting at once from migrating together.
    static let migrationLock: Int64 = 0x534D_414C_4C43_4847
}
