public import Foundation
import Logging
import PostgresNIO
public import SmallChangesCore
public import SmallChangesStore

/// Join codes and seats in the database, so a code minted on one instance is claimed on another, and every instance
/// sees who is seated where.
extension PostgresSessionStore: PairingStore {
    public func invite(code: String, to id: SessionID, name: String, expires: Date) throws -> Bool {
        let expiresAt = StoredTime.milliseconds(expires)
        // Measured from the new code's end, so that the clock the server is given is the only clock.
        let stale = expiresAt - 2 * 86_400_000
        let logger = logger
        return try run { client in
            try await client.withTransaction(logger: logger) { connection in
                // Codes long past their end are kept no longer: they only show that a session was shared.
                try await connection.query("DELETE FROM join_code WHERE expires_at < \(stale)", logger: logger)
                return try await !connection.query(
                    """
                    INSERT INTO join_code (code, session_id, name, expires_at)
                    VALUES (\(code), \(id.rawValue), \(name), \(expiresAt))
                    ON CONFLICT (code) DO NOTHING
                    RETURNING code
                    """, logger: logger
                ).collect().isEmpty
            }
        }
    }

    public func claim(code: String, name: String?, now: Date) throws -> InvitationClaim {
        let at = StoredTime.milliseconds(now)
        let logger = logger
        return try run { client in
            try await client.withConnection { connection in
                let claimed = try await connection.query(
                    """
                    UPDATE join_code SET claimed_at = \(at)
                    WHERE code = \(code) AND claimed_at IS NULL AND expires_at > \(at)
                        AND (\(name)::text IS NULL OR lower(name) = lower(\(name)))
                    RETURNING session_id, name, expires_at
                    """, logger: logger
                ).decode((String, String, Int64).self)
                for try await (session, invited, expires) in claimed {
                    guard let id = SessionID(rawValue: session) else { throw Self.damaged }
                    return .claimed(
                        Invitation(sessionId: id, name: invited, expires: StoredTime.date(milliseconds: expires)))
                }
                guard name != nil else { return .refused }
                let open = try await connection.query(
                    "SELECT 1 FROM join_code WHERE code = \(code) AND claimed_at IS NULL AND expires_at > \(at)",
                    logger: logger
                ).collect()
                return open.isEmpty ? .refused : .otherName
            }
        }
    }

    public func invited(to id: SessionID, now: Date) throws -> [String] {
        let at = StoredTime.milliseconds(now)
        return try names(
            """
            SELECT name FROM join_code
            WHERE session_id = \(id.rawValue) AND claimed_at IS NULL AND expires_at > \(at)
            """)
    }

    public func seat(_ name: String, in id: SessionID) throws {
        let backend = try listeningBackend()
        listening.withLock { $0.seats.append((id, name)) }
        let logger = logger
        try run { client in
            try await Self.insertSeat(name, in: id, backend: backend, on: client, logger: logger)
        }
    }

    public func unseat(_ name: String, in id: SessionID) throws {
        let backend = listening.withLock { state in
            if let index = state.seats.firstIndex(where: { $0.id == id && $0.name == name }) {
                state.seats.remove(at: index)
            }
            return state.backend
        }
        guard let backend else { return }
        let logger = logger
        try run { client in
            try await client.query(
                """
                DELETE FROM seat WHERE session_id = \(id.rawValue) AND name = \(name) AND backend_pid = \(backend)
                """, logger: logger)
            try await client.query(
                "SELECT pg_notify(\(PostgresSchema.turnsChannel), \(id.rawValue + " seats"))", logger: logger)
        }
    }

    public func seated(in id: SessionID) throws -> [String] {
        try names(
            """
            SELECT DISTINCT seat.name FROM seat
            JOIN pg_stat_activity activity
                ON activity.pid = seat.backend_pid AND activity.backend_start = seat.backend_start
            WHERE seat.session_id = \(id.rawValue)
            """)
    }

    static func insertSeat(
        _ name: String, in id: SessionID, backend: Int32, on client: PostgresClient, logger: Logger
    ) async throws {
        try await client.query(
            """
            INSERT INTO seat (session_id, name, backend_pid, backend_start)
            SELECT \(id.rawValue), \(name), pid, backend_start FROM pg_stat_activity WHERE pid = \(backend)
            ON CONFLICT DO NOTHING
            """, logger: logger)
        try await client.query(
            "SELECT pg_notify(\(PostgresSchema.turnsChannel), \(id.rawValue + " seats"))", logger: logger)
    }

    private func names(_ query: PostgresQuery) throws -> [String] {
        let logger = logger
        return try run { client in
            var names: [String] = []
            for try await name in try await client.query(query, logger: logger).decode(String.self) {
                names.append(name)
            }
            return names
        }
    }
}
