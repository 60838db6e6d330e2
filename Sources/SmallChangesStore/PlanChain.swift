public import Foundation
public import SmallChangesCore

/// A plan and the reviews that follow it, one cycle each: the plan's session, a review of it, a review of that
/// review, and so on. Commands given any id in the chain work on the whole of it: figures go to the plan's own
/// session, and the plan is read from the latest review, which holds every cycle.
public struct PlanChain: Sendable {
    /// The plan's own session: where the chain starts and where logged figures are kept.
    public let root: SessionRecord
    /// Every session of the chain, the plan first, then each review in the order they were started.
    public let sessions: [SessionRecord]

    /// The chain holding `id`, read from the store's records.
    public init(containing id: SessionID, in store: any SessionStore) throws {
        let records = try store.records()
        let byID = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        guard var root = byID[id] else { throw StoreError.unknownSession(id) }
        var seen: Set<SessionID> = [root.id]
        while let parent = root.reviewOf.flatMap({ byID[$0] }), seen.insert(parent.id).inserted {
            root = parent
        }
        self.root = root
        sessions = [root] + Self.reviews(of: root.id, in: records)
    }

    /// Every session that reviews `id`, directly or through another review, oldest first.
    public static func reviews(of id: SessionID, in records: [SessionRecord]) -> [SessionRecord] {
        var found: [SessionRecord] = []
        var frontier: Set<SessionID> = [id]
        while !frontier.isEmpty {
            let next = records.filter { $0.reviewOf.map(frontier.contains) ?? false }
                .filter { record in !found.contains { $0.id == record.id } && record.id != id }
            found += next
            frontier = Set(next.map(\.id))
        }
        return found.sorted { ($0.startedAt, $0.id.rawValue) < ($1.startedAt, $1.id.rawValue) }
    }

    /// The latest session of the chain: its plan holds every cycle reviewed so far.
    public var tip: SessionRecord { sessions.last ?? root }

    /// The last day anything was done in the chain.
    public var lastSeen: CalendarDay { CalendarDay(sessions.map(\.lastActiveAt).max() ?? root.lastActiveAt) }

    /// The plan with every cycle, as its latest session has it.
    public func conversation(guide: Guide, store: any SessionStore) throws -> Conversation {
        try SessionHandle.resume(tip.id, guide: guide, store: store).conversation
    }

    /// The plan written out as every face exports it: the latest cycle's plan, under the plan's id, stamped with
    /// the last time anything in the chain changed.
    ///
    /// - Parameter held: the latest session's conversation when the caller holds it already; read from the store
    ///   otherwise.
    public func document(
        _ format: PlanFormat, speaker: String? = nil, guide: Guide, store: any SessionStore,
        held: Conversation? = nil
    ) throws -> String {
        let conversation = try held ?? conversation(guide: guide, store: store)
        return try conversation.document(
            format, speaker: speaker, about: about(conversation), id: root.id.rawValue,
            stamp: sessions.map(\.lastActiveAt).max() ?? root.lastActiveAt)
    }

    /// What the exports say about the plan: when it was made and changed, and where it stands.
    public func about(_ conversation: Conversation) -> ChangePlan.About {
        let plan = conversation.plan
        var status =
            root.finished ? "planned" : "being planned (\(SessionSummary(root, guide: conversation.guide).stage))"
        if let cycle = plan.cycles.last {
            if let choice = cycle.decision?.choice {
                status =
                    switch choice {
                    case .adopt: "adopted after cycle \(cycle.number)"
                    case .adapt: "adapted after cycle \(cycle.number): cycle \(cycle.number + 1) running"
                    case .abandon: "abandoned after cycle \(cycle.number)"
                    }
            } else {
                status = "cycle \(cycle.number) being reviewed"
            }
        } else if root.finished {
            status = "cycle 1 running"
        }
        return ChangePlan.About(
            created: CalendarDay(root.startedAt),
            updated: CalendarDay(sessions.map(\.lastActiveAt).max() ?? root.lastActiveAt), status: status)
    }
}
