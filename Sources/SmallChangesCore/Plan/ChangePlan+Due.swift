extension ChangePlan {
    /// A review or check-in whose day has come.
    public struct Due: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable {
            case review
            case checkIn = "check-in"
        }

        public var kind: Kind
        /// The day it fell due (for a rhythm, the latest meeting on or before today).
        public var day: CalendarDay
        /// What it is, in the plan's words: "every Friday at 2pm with Priya".
        public var what: String
        /// True when its day is before today.
        public var overdue: Bool
    }

    /// The day of each meeting of a check-in, from its first day on, while on or before `until`.
    static func meetings(of entry: Entry, until: CalendarDay) -> [CalendarDay] {
        guard let first = entry.date else { return [] }
        guard let rhythm = entry.rhythm else { return first <= until ? [first] : [] }
        var days: [CalendarDay] = []
        var day = first
        var count = 0
        while day <= until, count < 2000 {
            days.append(day)
            count += 1
            switch rhythm {
            case .daily: day = first.adding(days: count)
            case .weekly: day = first.adding(days: 7 * count)
            case .fortnightly: day = first.adding(days: 14 * count)
            case .monthly: day = first.adding(months: count)
            }
        }
        return days
    }

    /// The next meeting of a check-in on or after `today`, if it has a day.
    public static func nextMeeting(of entry: Entry, from today: CalendarDay) -> CalendarDay? {
        guard let first = entry.date else { return nil }
        if first >= today { return first }
        guard entry.rhythm != nil else { return nil }
        return meetings(of: entry, until: today.adding(days: 40)).first { $0 >= today }
    }

    /// What has fallen due by `today`: the review date, when no review has decided since it; and the latest
    /// check-in meeting, when nothing was done with the plan on or after its day.
    ///
    /// - Parameter lastSeen: the last day anything was done with the plan (an answer, a figure, a review).
    public func due(today: CalendarDay, lastSeen: CalendarDay) -> [Due] {
        var due: [Due] = []
        if let review = reviewDate, let day = review.date, day <= today {
            let decided = cycles.compactMap(\.decided).max()
            if decided.map({ $0 < day }) ?? true {
                due.append(Due(kind: .review, day: day, what: review.text, overdue: day < today))
            }
        }
        if let checkIn = partnerCheckIns.last, let day = Self.meetings(of: checkIn, until: today).last,
            lastSeen < day
        {
            let with = partner.last.map { " (with \($0.who ?? $0.text))" } ?? ""
            due.append(Due(kind: .checkIn, day: day, what: checkIn.text + with, overdue: day < today))
        }
        return due
    }
}
