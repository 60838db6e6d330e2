public import Foundation

/// What is kept about a session besides its turns: enough to list, resume and review it.
///
/// Only numbers and ids: what a listing says ("Sparking · step 5 of 12", "3 gaps") is worded from them when shown
/// (`SessionSummary`), so rewording never leaves stored rows stale.
public struct SessionRecord: Codable, Sendable, Equatable {
    public var id: SessionID
    /// The id of the flow it runs (`plan`, `reflect`, `review`, `pair`).
    public var flow: String
    public var participants: [String]
    public var startedAt: Date
    public var lastActiveAt: Date
    /// The question the session is at; `nil` once it is finished.
    public var position: Position?
    /// How many gaps its plan has, among the fields its flow asks about.
    public var gaps: Int
    public var finished: Bool
    /// For a review session: the session whose plan it reviews.
    public var reviewOf: SessionID?

    /// Where in its flow a session is.
    public struct Position: Codable, Sendable, Equatable {
        /// The id of the flow's step; `nil` in a record kept before steps were recorded by id.
        public var stepID: String?
        /// The question's number among those the flow asks, from 1, and how many it asks.
        public var step: Int
        public var of: Int

        public init(stepID: String?, step: Int, of: Int) {
            self.stepID = stepID
            self.step = step
            self.of = of
        }
    }

    public init(
        id: SessionID, flow: String, participants: [String], startedAt: Date, lastActiveAt: Date,
        position: Position? = nil, gaps: Int = 0, finished: Bool = false, reviewOf: SessionID? = nil
    ) {
        self.id = id
        self.flow = flow
        self.participants = participants
        self.startedAt = startedAt
        self.lastActiveAt = lastActiveAt
        self.position = position
        self.gaps = gaps
        self.finished = finished
        self.reviewOf = reviewOf
    }

    /// This record with where the conversation stands.
    public func deriving(from conversation: Conversation) -> SessionRecord {
        var record = self
        record.position = conversation.position
        record.gaps = conversation.gapCount
        record.finished = conversation.isFinished
        return record
    }
}

/// A session as listings and clients see it: its record, with where it stands and its readiness in words.
public struct SessionSummary: Codable, Sendable, Equatable {
    public var id: SessionID
    public var flow: String
    public var participants: [String]
    public var startedAt: Date
    public var lastActiveAt: Date
    /// Where it stands, as `stands` says it: "Sparking · step 5 of 12", or "finished".
    public var stage: String
    /// "ready", "1 gap", "4 gaps".
    public var readiness: String
    public var finished: Bool
    public var reviewOf: SessionID?

    /// Words the record with its flow from `guide` (a flow no longer loaded leaves the step's number alone).
    public init(_ record: SessionRecord, guide: Guide) {
        id = record.id
        flow = record.flow
        participants = record.participants
        startedAt = record.startedAt
        lastActiveAt = record.lastActiveAt
        stage = Flow.stands(at: record.finished ? nil : record.position, in: guide.flow(record.flow))
        readiness = ReadinessGap.verdict(count: record.gaps)
        finished = record.finished
        reviewOf = record.reviewOf
    }
}
