public import Foundation

/// What is kept about a session besides its turns: enough to list, resume and review it.
public struct SessionRecord: Codable, Sendable, Equatable {
    public var id: SessionID
    /// The id of the flow it runs (`plan`, `reflect`, `review`, `pair`).
    public var flow: String
    public var participants: [String]
    public var startedAt: Date
    public var lastActiveAt: Date
    /// Where the session stands, for listings ("Sparking · step 5 of 12", "finished").
    public var stage: String
    /// A one-line readiness verdict for listings ("ready", "3 gaps").
    public var readiness: String
    public var finished: Bool
    /// For a review session: the session whose plan it reviews.
    public var reviewOf: SessionID?

    public init(
        id: SessionID, flow: String, participants: [String], startedAt: Date, lastActiveAt: Date,
        stage: String = "", readiness: String = "", finished: Bool = false, reviewOf: SessionID? = nil
    ) {
        self.id = id
        self.flow = flow
        self.participants = participants
        self.startedAt = startedAt
        self.lastActiveAt = lastActiveAt
        self.stage = stage
        self.readiness = readiness
        self.finished = finished
        self.reviewOf = reviewOf
    }
}
