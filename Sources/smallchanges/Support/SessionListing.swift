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
}
