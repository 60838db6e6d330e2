import Foundation

extension DateReading {
    /// The day a figure is for, read from words that name a day already passed: "2026-11-30", "today",
    /// "yesterday", "monday" (the last one), "the 14th" (this month's, or last month's).
    ///
    /// Plans look ahead, so `find` reads "monday" as the next one; a log looks back, so a day `find` puts in the
    /// future is taken back a week (a weekday), a month (a day of the month) or a year (a day and month).
    /// - Returns: `nil` when the words name no day, or only a day still to come ("next friday").
    public static func pastDay(in text: String, today: CalendarDay) -> CalendarDay? {
        let lower = text.lowercased().trimmingCharacters(in: .whitespaces)
        if let day = CalendarDay(iso: lower) { return day <= today ? day : nil }
        if lower == "yesterday" { return today.adding(days: -1) }
        guard !lower.contains("next"), let day = find(in: text, today: today)?.day else { return nil }
        if day <= today { return day }
        let ahead = day.ordinal - today.ordinal
        let earlier =
            ahead <= 7 ? day.adding(days: -7) : ahead <= 31 ? day.adding(months: -1) : day.adding(months: -12)
        return earlier <= today ? earlier : nil
    }
}
