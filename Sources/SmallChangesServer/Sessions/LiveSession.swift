import SmallChangesCore

/// A session held in memory: its conversation and the record kept with it in the store.
struct LiveSession: Sendable {
    var conversation: Conversation
    var record: SessionRecord
}
