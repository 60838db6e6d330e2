public import SmallChangesCore

/// A session as stored: its record and every turn, in the order they were said.
public struct StoredSession: Sendable, Equatable {
    public var record: SessionRecord
    /// The session's event log, oldest first; replaying it gives the plan.
    public var turns: [Turn]

    public init(record: SessionRecord, turns: [Turn]) {
        self.record = record
        self.turns = turns
    }
}
