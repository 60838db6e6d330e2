import Foundation
import SmallChangesCore
import SmallChangesStore

/// How saved sessions are listed and rebuilt for the commands that work on them.
enum SessionListing {
    static func line(_ record: SessionRecord) -> String {
        let when = record.lastActiveAt.formatted(date: .abbreviated, time: .shortened)
        let who = record.participants.isEmpty ? "" : " \u{00B7} \(record.participants.joined(separator: " & "))"
        return
            "\(record.id)  \(record.flow.padding(toLength: 8, withPad: " ", startingAt: 0))  \(when)  \(record.stage) \u{00B7} \(record.readiness)\(who)"
    }

    /// Rebuilds a stored session's conversation (following a review back to the plan it reviews).
    static func conversation(of id: SessionID, store: any SessionStore, guide: Guide, depth: Int = 0) throws
        -> Conversation
    {
        let stored = try store.load(id)
        guard let flow = guide.flow(stored.record.flow) else {
            throw UsageError("session \(id) uses the flow \"\(stored.record.flow)\", which Prompts/ no longer has")
        }
        var reviewing: ChangePlan?
        if let base = stored.record.reviewOf, depth < 50 {
            reviewing = try conversation(of: base, store: store, guide: guide, depth: depth + 1).plan
        }
        var conversation = Conversation(
            guide: guide, flow: flow, participants: stored.record.participants, reviewing: reviewing)
        conversation.replay(stored.turns)
        return conversation
    }

    static func plan(of id: SessionID, store: any SessionStore, guide: Guide) throws -> ChangePlan {
        try conversation(of: id, store: store, guide: guide).plan
    }
}
