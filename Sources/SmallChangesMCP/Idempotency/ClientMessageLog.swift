public import Foundation
import GRDB
import SmallChangesStore

/// Which `client_msg_id`s each session has taken an answer for, kept on disk so a call retried after a restart
/// still adds no second turn.
///
/// Only facts are kept: the session id, the client's opaque id, and how many turns the session had before the
/// answer. Nothing anyone wrote is stored here. A row is written before the answer is sent to the engine and
/// marked applied after, so a crash in between is told apart on retry by the session's turn count: more turns
/// than before means the answer was committed.
public final class ClientMessageLog: Sendable {
    /// One answer's entry.
    struct Entry: Equatable {
        var turnsBefore: Int
        var applied: Bool
    }

    /// The log's file in the data folder.
    public static let fileName = DataFolder.answerIdsName

    private let database: DatabaseQueue

    /// A log in `file` (created if needed), or, with `nil`, one kept in memory for this run only.
    public init(file: URL?) throws {
        if let file {
            database = try DatabaseQueue(path: file.path)
        } else {
            database = try DatabaseQueue()
        }
        try database.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS client_message (
                        session_id TEXT NOT NULL,
                        client_msg_id TEXT NOT NULL,
                        turns_before INTEGER NOT NULL,
                        applied INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (session_id, client_msg_id)
                    ) WITHOUT ROWID
                    """)
        }
    }

    func entry(session: String, message: String) throws -> Entry? {
        try database.read { db in
            try Row.fetchOne(
                db, sql: "SELECT turns_before, applied FROM client_message WHERE session_id = ? AND client_msg_id = ?",
                arguments: [session, message]
            ).map { Entry(turnsBefore: $0["turns_before"], applied: $0["applied"]) }
        }
    }

    /// Notes that an answer with this id is about to be taken, the session having `turnsBefore` turns.
    func begin(session: String, message: String, turnsBefore: Int) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO client_message (session_id, client_msg_id, turns_before, applied)
                    VALUES (?, ?, ?, 0)
                    """,
                arguments: [session, message, turnsBefore])
        }
    }

    func markApplied(session: String, message: String) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE client_message SET applied = 1 WHERE session_id = ? AND client_msg_id = ?",
                arguments: [session, message])
        }
    }

    /// Forgets every id kept for a session, when the session is deleted.
    public func forget(session: String) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM client_message WHERE session_id = ?", arguments: [session])
        }
    }

    /// Forgets an answer the engine refused: nothing was stored, so a retry may take it.
    func forget(session: String, message: String) throws {
        try database.write { db in
            try db.execute(
                sql: "DELETE FROM client_message WHERE session_id = ? AND client_msg_id = ?",
                arguments: [session, message])
        }
    }
}
