public import Foundation

extension ChangePlan {
    /// The check-ins and review dates as an iCalendar file (RFC 5545): one all-day event each, recurring where
    /// the check-in has a rhythm.
    ///
    /// Each event's UID is made from the plan's id and the event's place among its kind, never from the time
    /// of export, so importing a newer export updates the events rather than adding copies.
    /// - Parameters:
    ///   - id: the plan's session id, for the UIDs.
    ///   - stamp: when the plan last changed (DTSTAMP), so the same plan always gives the same file.
    public func icalendar(id: String, title: String, stamp: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//SmallChanges//SmallChanges 0.1//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:\(Self.icsText(title))",
        ]
        let changeText = change.last?.text ?? title
        let dtstamp = Self.icsStamp(stamp)
        func event(uid: String, day: CalendarDay, rhythm: DateReading.Rhythm?, summary: String, description: String) {
            lines += [
                "BEGIN:VEVENT", "UID:\(uid)", "DTSTAMP:\(dtstamp)", "DTSTART;VALUE=DATE:\(Self.icsDay(day))",
                "DTEND;VALUE=DATE:\(Self.icsDay(day.adding(days: 1)))",
            ]
            if let rhythm {
                let rule =
                    switch rhythm {
                    case .daily: "FREQ=DAILY"
                    case .weekly: "FREQ=WEEKLY"
                    case .fortnightly: "FREQ=WEEKLY;INTERVAL=2"
                    case .monthly: "FREQ=MONTHLY"
                    }
                lines.append("RRULE:\(rule)")
            }
            lines += [
                "SUMMARY:\(Self.icsText(summary))", "DESCRIPTION:\(Self.icsText(description))", "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        }
        let partnerName = partner.last.map { $0.who ?? $0.text }
        for (index, checkIn) in partnerCheckIns.enumerated() {
            guard let day = checkIn.date else { continue }
            event(
                uid: "\(id)-check-in-\(index + 1)@smallchanges", day: day, rhythm: checkIn.rhythm,
                summary: "Check in" + (partnerName.map { " with \($0)" } ?? "") + ": \(changeText)",
                description: "Check-in: \(checkIn.text)\nThe change: \(changeText)")
        }
        let reviews = checkIns.filter { $0.asked == Self.reviewDateStep }
        for (index, review) in reviews.enumerated() {
            guard let day = review.date else { continue }
            event(
                uid: "\(id)-review-\(index + 1)@smallchanges", day: day, rhythm: nil,
                summary: "Review cycle \(index + 1): \(changeText)",
                description: "Study the figures against the prediction, then adopt, adapt or abandon.\n"
                    + "Run: smallchanges review \(id)")
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    static func icsDay(_ day: CalendarDay) -> String { day.description.replacingOccurrences(of: "-", with: "") }

    static func icsStamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let day = CalendarDay(date)
        let rest = ((seconds % 86_400) + 86_400) % 86_400
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return icsDay(day) + "T" + two(rest / 3600) + two(rest % 3600 / 60) + two(rest % 60) + "Z"
    }

    /// TEXT as RFC 5545 §3.3.11 wants it: backslash, semicolon and comma escaped, new lines as `\n`.
    static func icsText(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": break
            default: out.append(character)
            }
        }
        return out
    }

    /// Folds a content line at 75 octets (RFC 5545 §3.1), never inside a character.
    static func fold(_ line: String) -> String {
        var out = ""
        var length = 0
        for character in line {
            let size = String(character).utf8.count
            if length + size > 75 {
                out += "\r\n "
                length = 1
            }
            out.append(character)
            length += size
        }
        return out
    }
}
