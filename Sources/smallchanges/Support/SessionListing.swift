import Foundation
import SmallChangesCore
import SmallChangesStore

/// How saved sessions are listed and rebuilt for the commands that work on them.
enum SessionListing {
    static func line(_ record: SessionRecord, guide: Guide) -> String {
        let summary = SessionSummary(record, guide: guide)
        let when = record.lastActiveAt.formatted(date: .abbreviated, time: .shortened)
        let who = record.participants.isEmpty ? "" : " \u{00B7} \(record.participants.joined(separator: " & "))"
        return
            "\(record.id)  \(record.flow.padding(toLength: 8, withPad: " ", startingAt: 0))  \(when)  \(summary.stage) \u{00B7} \(summary.readiness)\(who)"
    }
}
