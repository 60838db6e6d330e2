import Foundation
import SmallChangesCore
import SmallChangesStore

/// The reviews and check-ins that have fallen due, across every saved plan.
enum DueList {
    struct Item {
        var chain: PlanChain
        var change: String
        var due: ChangePlan.Due
    }

    /// Each plan's due reviews and check-ins, the longest overdue first; and the next one still to come.
    static func items(store: any SessionStore, guide: Guide, today: CalendarDay) throws -> (
        due: [Item], next: (day: CalendarDay, line: String)?
    ) {
        var due: [Item] = []
        var next: (day: CalendarDay, line: String)?
        var seen: Set<SessionID> = []
        for record in try store.records() where guide.flow(record.flow)?.review == false {
            guard record.reviewOf == nil, seen.insert(record.id).inserted else { continue }
            let chain = try PlanChain(containing: record.id, in: store)
            guard let plan = try? chain.conversation(guide: guide, store: store).plan else { continue }
            let change = plan.change.last?.text ?? "(no change chosen yet)"
            for item in plan.due(today: today, lastSeen: chain.lastSeen) {
                due.append(Item(chain: chain, change: change, due: item))
            }
            var coming: [(CalendarDay, String)] = []
            if let checkIn = plan.partnerCheckIns.last,
                let day = ChangePlan.nextMeeting(of: checkIn, from: today.adding(days: 1))
            {
                coming.append((day, "check-in (\(checkIn.text))"))
            }
            if let review = plan.reviewDate, let day = review.date, day > today {
                coming.append((day, "review (\(review.text))"))
            }
            for (day, what) in coming where next.map({ day < $0.day }) ?? true {
                next = (day, "\(what) for \(chain.root.id): \(change)")
            }
        }
        due.sort { ($0.due.day, $0.chain.root.id.rawValue) < ($1.due.day, $1.chain.root.id.rawValue) }
        return (due, next)
    }

    /// One line for a due item: "s-7k2m9q4xw3ha  review overdue since 2026-12-01 (in six weeks): a huddle".
    static func line(_ item: Item) -> String {
        let state = item.due.overdue ? "overdue since \(item.due.day)" : "due today"
        return "\(item.chain.root.id)  \(item.due.kind.rawValue) \(state) (\(item.due.what)): \(item.change)"
    }

    /// What to run for a due item.
    static func hint(_ item: Item) -> String {
        switch item.due.kind {
        case .review: "smallchanges review \(item.chain.root.id)"
        case .checkIn: "smallchanges log \(item.chain.root.id) VALUE"
        }
    }
}
