import Logging
import PostgresNIO
import SmallChangesCore
import SmallChangesStore

/// Rows as PostgreSQL holds them, and the queries every method shares.
extension PostgresSessionStore {
    struct RecordRow: Sendable {
        var id: String
        var flow: String
        var participants: String
        var startedAt: Int64
        var lastActiveAt: Int64
        var stepID: String?
        var step: Int?
        var stepCount: Int?
        var gaps: Int
        var finished: Bool
        var reviewOf: String?
    }

    struct TurnRow: Sendable {
        var kind: String
        var speaker: String?
        var text: String
        var argument: String?
        var at: Int64
        var routing: String?
        /// A measurement's figure, measure and day.
        var value: String?
    }

    static let recordColumns =
        "id, flow, participants, started_at, last_active_at, step_id, step, step_count, gaps, finished, review_of"

    static func row(_ record: SessionRecord) throws -> RecordRow {
        RecordRow(
            id: record.id.rawValue, flow: record.flow, participants: try StoredJSON.text(record.participants),
            startedAt: StoredTime.milliseconds(record.startedAt),
            lastActiveAt: StoredTime.milliseconds(record.lastActiveAt), stepID: record.position?.stepID,
            step: record.position?.step, stepCount: record.position?.of, gaps: record.gaps, finished: record.finished,
            reviewOf: record.reviewOf?.rawValue)
    }

    static func row(_ turn: Turn) throws -> TurnRow {
        TurnRow(
            kind: turn.kind.rawValue, speaker: turn.speaker, text: turn.text, argument: turn.argument,
            at: StoredTime.milliseconds(turn.at), routing: try turn.routing.map { try StoredJSON.text($0) },
            value: try turn.value.map { try StoredJSON.text($0) })
    }

    static func exists(_ id: SessionID, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        try await !connection.query("SELECT 1 FROM session WHERE id = \(id.rawValue)", logger: logger).collect()
            .isEmpty
    }

    /// Replaces a session's record and, when given, its last sequence number.
    static func replace(
        _ row: RecordRow, lastSequence: Int64?, on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard let id = SessionID(rawValue: row.id) else { throw damaged }
        if let reviewOf = row.reviewOf.flatMap(SessionID.init(rawValue:)),
            try await !exists(reviewOf, on: connection, logger: logger)
        {
            throw StoreError.unknownSession(reviewOf)
        }
        let updated = try await connection.query(
            """
            UPDATE session SET flow = \(row.flow), participants = \(row.participants), started_at = \(row.startedAt),
                last_active_at = \(row.lastActiveAt), step_id = \(row.stepID), step = \(row.step),
                step_count = \(row.stepCount), gaps = \(row.gaps),
                finished = \(row.finished), review_of = \(row.reviewOf),
                last_seq = COALESCE(\(lastSequence), last_seq)
            WHERE id = \(row.id)
            RETURNING id
            """, logger: logger
        ).collect()
        guard !updated.isEmpty else { throw StoreError.unknownSession(id) }
    }

    static func records(
        _ query: PostgresQuery, on connection: PostgresConnection, logger: Logger
    ) async throws -> [SessionRecord] {
        var records: [SessionRecord] = []
        let rows = try await connection.query(query, logger: logger).decode(
            (String, String, String, Int64, Int64, String?, Int?, Int?, Int, Bool, String?).self)
        for try await (
            id, flow, participants, startedAt, lastActiveAt, stepID, step, stepCount, gaps, finished, reviewOf
        )
            in rows
        {
            guard let id = SessionID(rawValue: id) else { throw damaged }
            var review: SessionID?
            if let reviewOf {
                guard let reviewed = SessionID(rawValue: reviewOf) else { throw damaged }
                review = reviewed
            }
            records.append(
                SessionRecord(
                    id: id, flow: flow, participants: try StoredJSON.value([String].self, participants),
                    startedAt: StoredTime.date(milliseconds: startedAt),
                    lastActiveAt: StoredTime.date(milliseconds: lastActiveAt),
                    position: step.flatMap { step in
                        stepCount.map { SessionRecord.Position(stepID: stepID, step: step, of: $0) }
                    }, gaps: gaps,
                    finished: finished, reviewOf: review))
        }
        return records
    }

    static func turns(
        of id: SessionID, after sequence: Int64, on connection: PostgresConnection, logger: Logger
    ) async throws -> [Turn] {
        var turns: [Turn] = []
        let rows = try await connection.query(
            """
            SELECT kind, speaker, text, argument, at, routing, value FROM turn
            WHERE session_id = \(id.rawValue) AND seq > \(sequence) ORDER BY seq
            """, logger: logger)
        for try await (kind, speaker, text, argument, at, routing, value) in rows.decode(
            (String, String?, String, String?, Int64, String?, String?).self)
        {
            guard let kind = Turn.Kind(rawValue: kind) else { throw damaged }
            turns.append(
                Turn(
                    kind: kind, speaker: speaker, text: text, argument: argument,
                    at: StoredTime.date(milliseconds: at),
                    routing: try routing.map { try StoredJSON.value(Routing.self, $0) },
                    value: try value.map { try StoredJSON.value(MeasureValue.self, $0) }))
        }
        return turns
    }
}
