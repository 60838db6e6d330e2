package import Foundation
import SmallChangesCore

/// How every store keeps time: whole milliseconds since 1970, UTC.
///
/// One rule shared by all stores, so a session reads back the same from memory, SQLite or PostgreSQL.
package enum StoredTime {
    package static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    package static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    package static func normalized(_ date: Date) -> Date {
        Self.date(milliseconds: milliseconds(date))
    }
}

extension SessionRecord {
    /// The record as a store gives it back.
    var stored: SessionRecord {
        var record = self
        record.startedAt = StoredTime.normalized(startedAt)
        record.lastActiveAt = StoredTime.normalized(lastActiveAt)
        return record
    }

    /// Listing order: most recently active first; ties broken by id so the order is stable.
    static func listedBefore(_ lhs: SessionRecord, _ rhs: SessionRecord) -> Bool {
        let left = StoredTime.milliseconds(lhs.lastActiveAt)
        let right = StoredTime.milliseconds(rhs.lastActiveAt)
        return left != right ? left > right : lhs.id.rawValue < rhs.id.rawValue
    }
}

extension Turn {
    /// The turn as a store gives it back.
    var stored: Turn {
        var turn = self
        turn.at = StoredTime.normalized(at)
        return turn
    }
}
