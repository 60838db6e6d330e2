/// A date said in an answer, resolved against the day it was said: "tues early", "on the 14th", "next
/// supervision, 14th jan", "in two weeks", "end of March", "after half term", "every other Friday".
///
/// Plain word matching over the answer's words, in one pass per rule: the words a person used are kept beside
/// the calendar day, so the plan shows both and the person can correct either.
public struct DateReading: Sendable, Equatable {
    /// How often something recurs, when the answer says so.
    public enum Rhythm: String, Codable, Sendable, CaseIterable {
        case daily, weekly, fortnightly, monthly
    }

    /// The words that name the date, as typed ("by the end of March").
    public var words: String
    /// The calendar day meant; `nil` for a rhythm with no start ("weekly") or a vague time ("soon-ish").
    public var day: CalendarDay?
    public var rhythm: Rhythm?

    /// The date an answer names, or `nil` when it names none.
    public static func find(in text: String, today: CalendarDay) -> DateReading? {
        let tokens = Token.split(text)
        guard !tokens.isEmpty else { return nil }
        var reader = Reader(tokens: tokens, today: today)
        reader.run()
        let rhythm = reader.rhythm
        guard let best = reader.matches.min(by: { ($0.rank, $0.start) < ($1.rank, $1.start) }) ?? rhythm?.match
        else { return nil }
        // The words run from the first to the last date phrase ("every other Friday, starting the 18th").
        var all = [best]
        // A rhythm said beside the date belongs to its words ("every other Friday, starting the 18th").
        if let rhythm, rhythm.match.start <= best.end + 3, best.start <= rhythm.match.end + 3 {
            all.append(rhythm.match)
        }
        let start = all.map(\.start).min() ?? best.start
        let end = all.map(\.end).max() ?? best.end
        let first = tokens[start].range.lowerBound
        let last = tokens[end - 1].range.upperBound
        let words = String(text[first..<last])
        return DateReading(words: words, day: best.day, rhythm: rhythm?.kind)
    }

    /// One word or number of the answer, lowercased, with where it stands in the text.
    struct Token {
        var text: String
        var number: Int?
        /// "14th", "2nd": a number written as an ordinal.
        var ordinal: Bool
        /// A number written as part of a time or an amount ("7.30", "2pm", "3:15").
        var time: Bool
        /// The character right after the token, if it is not a space ("/" in "14/1").
        var joiner: Character?
        var range: Range<String.Index>

        static func split(_ text: String) -> [Token] {
            var tokens: [Token] = []
            var index = text.startIndex
            while index < text.endIndex {
                let character = text[index]
                guard character.isLetter || character.isNumber else {
                    index = text.index(after: index)
                    continue
                }
                let start = index
                while index < text.endIndex, text[index].isLetter || text[index].isNumber || text[index] == "'" {
                    index = text.index(after: index)
                }
                var word = text[start..<index].lowercased()
                if word.hasSuffix("'s") { word.removeLast(2) }
                let joiner = index < text.endIndex && text[index] != " " ? text[index] : nil
                tokens.append(Token(word, joiner: joiner, range: start..<index))
            }
            // A number after ":" or "." that follows a number is the minutes of a time, and so is the number before.
            for position in tokens.indices.dropFirst()
            where tokens[position].number != nil && tokens[position - 1].number != nil
                && (tokens[position - 1].joiner == ":" || tokens[position - 1].joiner == ".")
            {
                tokens[position].time = true
                tokens[position - 1].time = true
            }
            return tokens
        }

        init(_ word: String, joiner: Character?, range: Range<String.Index>) {
            text = word
            self.joiner = joiner
            self.range = range
            ordinal = false
            time = false
            let digits = word.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 4, let value = Int(digits) else {
                number = Self.numberWords[word]
                return
            }
            let suffix = word.dropFirst(digits.count)
            switch suffix {
            case "": number = value
            case "st", "nd", "rd", "th":
                number = value
                ordinal = true
            case "am", "pm", "h", "hrs", "hr", "mins", "min":
                number = value
                time = true
            default: number = nil
            }
        }

        static let numberWords: [String: Int] = [
            "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple": 2, "few": 3,
        ]
    }

    /// A date phrase found in the tokens `start..<end`.
    struct Match {
        var start: Int
        var end: Int
        var day: CalendarDay?
        /// Lower wins: an explicit day and month beats a weekday.
        var rank: Int
    }

    /// Walks the tokens once per rule, collecting every date phrase.
    struct Reader {
        let tokens: [Token]
        let today: CalendarDay
        var matches: [Match] = []
        var rhythm: (kind: Rhythm, match: Match)?

        init(tokens: [Token], today: CalendarDay) {
            self.tokens = tokens
            self.today = today
        }

        func word(_ index: Int) -> String? { tokens.indices.contains(index) ? tokens[index].text : nil }

        func number(_ index: Int) -> Int? {
            guard tokens.indices.contains(index), !tokens[index].time else { return nil }
            return tokens[index].number
        }

        mutating func run() {
            for index in tokens.indices {
                explicitDay(at: index)
                dayOfMonth(at: index)
                named(at: index)
                relative(at: index)
                weekday(at: index)
                recurring(at: index)
            }
        }

        /// The lead words a phrase may start with ("by", "before", "on", "the end of" …), counted back from
        /// `index`.
        func leadStart(_ index: Int) -> Int {
            var start = index
            while start > 0, let previous = word(start - 1), DateReading.leadWords.contains(previous),
                !(previous == "in" && ["every", "each", "on"].contains(word(start) ?? ""))
            {
                start -= 1
            }
            return start
        }

        mutating func add(_ start: Int, _ end: Int, _ day: CalendarDay?, rank: Int) {
            matches.append(Match(start: leadStart(start), end: end, day: day, rank: rank))
        }

        /// The next time a month and day come round, today included.
        func next(month: Int, day: Int) -> CalendarDay? {
            for year in [today.year, today.year + 1] where CalendarDay.isValid(year: year, month: month, day: day) {
                let candidate = CalendarDay(year: year, month: month, day: day)
                if candidate >= today { return candidate }
            }
            return nil
        }

        /// "14th jan", "14 of January 2027", "jan 14", "14/1", "14/01/27", "2027-01-14".
        mutating func explicitDay(at index: Int) {
            let token = tokens[index]
            if let day = number(index), (1...31).contains(day) {
                var after = index + 1
                if word(after) == "of" { after += 1 }
                if let month = word(after).flatMap({ DateReading.months[$0] }) {
                    var end = after + 1
                    var found = next(month: month, day: day)
                    if let year = number(end), year >= 2000, year < 2100,
                        CalendarDay.isValid(year: year, month: month, day: day)
                    {
                        found = CalendarDay(year: year, month: month, day: day)
                        end += 1
                    }
                    add(index, end, found, rank: 1)
                    return
                }
                // 14/1 and 14/1/27: day first, as in the UK.
                if token.joiner == "/", let month = number(index + 1), (1...12).contains(month) {
                    var end = index + 2
                    var found = next(month: month, day: day)
                    if tokens[index + 1].joiner == "/", let year = number(index + 2) {
                        let full = year < 100 ? 2000 + year : year
                        if CalendarDay.isValid(year: full, month: month, day: day) {
                            found = CalendarDay(year: full, month: month, day: day)
                        }
                        end += 1
                    }
                    add(index, end, found, rank: 1)
                    return
                }
            }
            if let month = DateReading.months[token.text], let day = number(index + 1), (1...31).contains(day),
                !(word(index + 2).map { DateReading.unitWords.contains($0) } ?? false)
            {
                add(index, index + 2, next(month: month, day: day), rank: 1)
                return
            }
            if token.text.count == 4, let year = Int(token.text), token.joiner == "-", let month = number(index + 1),
                tokens[index + 1].joiner == "-", let day = number(index + 2),
                CalendarDay.isValid(year: year, month: month, day: day)
            {
                add(index, index + 3, CalendarDay(year: year, month: month, day: day), rank: 1)
            }
        }

        /// "on the 14th", "starting the 18th", "the 3rd": the next time that day of the month comes round.
        mutating func dayOfMonth(at index: Int) {
            guard let day = number(index), (1...31).contains(day), tokens[index].text.first?.isNumber == true,
                tokens[index].ordinal || word(index - 1) == "the",
                !(word(index + 1).map { DateReading.months[$0] != nil || DateReading.unitWords.contains($0) } ?? false),
                !(word(index - 1).map { DateReading.months[$0] != nil } ?? false),
                tokens[index].joiner != "/"
            else { return }
            var month = CalendarDay(year: today.year, month: today.month, day: 1)
            for _ in 0..<3 {
                if CalendarDay.isValid(year: month.year, month: month.month, day: day) {
                    let candidate = CalendarDay(year: month.year, month: month.month, day: day)
                    if candidate >= today {
                        add(index, index + 1, candidate, rank: 2)
                        return
                    }
                }
                month = month.adding(months: 1)
            }
        }

        /// Holidays, terms and months: "Easter", "half term", "end of term", "end of March", "by March".
        mutating func named(at index: Int) {
            let text = tokens[index].text
            let previous = word(index - 1)
            let endOf = previous == "of" && (word(index - 2) == "end" || word(index - 3) == "end")
            switch text {
            case "easter":
                var easter = CalendarDay.easter(today.year)
                if easter < today { easter = CalendarDay.easter(today.year + 1) }
                add(index, index + 1, easter, rank: 3)
            case "christmas", "xmas":
                add(index, index + 1, next(month: 12, day: 25), rank: 3)
            case "year" where previous == "new":
                add(index - 1, index + 1, next(month: 1, day: 1), rank: 3)
            case "term" where previous == "half" || previous == "half-term":
                var day = halfTerm()
                if word(index - 2) == "after" { day = day.adding(days: 7) }
                add(index - 1, index + 1, day, rank: 3)
            case "halfterm", "half-term":
                var day = halfTerm()
                if previous == "after" { day = day.adding(days: 7) }
                add(index, index + 1, day, rank: 3)
            case "term" where endOf:
                add(index, index + 1, endOfTerm(), rank: 3)
            default:
                guard let month = DateReading.months[text],
                    text.count > 3 || previous.map(DateReading.leadWords.contains) == true
                else { return }
                // "may" is a month only after a lead word ("by May").
                if text == "may", previous.map(DateReading.leadWords.contains) != true { return }
                guard let first = next(month: month, day: 1) ?? next(month: month, day: 28) else { return }
                let start = CalendarDay(year: first.year, month: month, day: 1)
                var day = start
                if endOf || previous == "by" || previous == "until" || previous == "till" {
                    day = start.endOfMonth
                } else if previous == "mid" || (previous == "of" && word(index - 2) == "middle") {
                    day = CalendarDay(year: start.year, month: month, day: 15)
                } else if previous == "after" {
                    day = start.adding(months: 1)
                }
                // A month already under way ("by December" in December) is this one, not next year's.
                if month == today.month, endOf || previous == "by" || previous == "until" || previous == "till" {
                    day = today.endOfMonth
                }
                add(index, index + 1, max(day, today), rank: 4)
            }
        }

        /// The Monday the next school half-term week starts (England's usual weeks: mid-February, the last week
        /// of May, the last week of October).
        func halfTerm() -> CalendarDay {
            var candidates: [CalendarDay] = []
            for year in [today.year, today.year + 1] {
                candidates.append(mondayOnOrBefore(CalendarDay(year: year, month: 2, day: 18)))
                candidates.append(mondayOnOrBefore(CalendarDay(year: year, month: 5, day: 31)))
                candidates.append(mondayOnOrBefore(CalendarDay(year: year, month: 10, day: 27)))
            }
            return candidates.sorted().first { $0 >= today } ?? today
        }

        /// The Friday the next school term ends (before Christmas, before Easter, or in late July).
        func endOfTerm() -> CalendarDay {
            var candidates: [CalendarDay] = []
            for year in [today.year, today.year + 1] {
                candidates.append(fridayOnOrBefore(CalendarDay(year: year, month: 12, day: 20)))
                candidates.append(fridayOnOrBefore(CalendarDay.easter(year).adding(days: -3)))
                candidates.append(fridayOnOrBefore(CalendarDay(year: year, month: 7, day: 23)))
            }
            return candidates.sorted().first { $0 >= today } ?? today
        }

        func mondayOnOrBefore(_ day: CalendarDay) -> CalendarDay { day.adding(days: -(day.weekday - 1)) }
        func fridayOnOrBefore(_ day: CalendarDay) -> CalendarDay { day.adding(days: -((day.weekday + 2) % 7)) }

        /// "tomorrow", "in two weeks", "in a fortnight", "end of the month", "next week", "end of next week".
        mutating func relative(at index: Int) {
            let text = tokens[index].text
            switch text {
            case "today", "tonight":
                add(index, index + 1, today, rank: 3)
            case "tomorrow", "tmrw", "tmw":
                add(index, index + 1, today.adding(days: 1), rank: 3)
            case "fortnight" where ["a", "in", "one"].contains(word(index - 1) ?? ""):
                add(index, index + 1, today.adding(days: 14), rank: 3)
            case "day", "days", "week", "weeks", "month", "months", "year", "years":
                let unit = text.hasPrefix("day") ? 1 : text.hasPrefix("week") ? 7 : text.hasPrefix("month") ? 30 : 365
                if let count = number(index - 1), ["in", "within", "next", "after"].contains(word(index - 2) ?? "") {
                    let day =
                        unit == 30
                        ? today.adding(months: count)
                        : unit == 365
                            ? today.adding(months: 12 * count)
                            : today.adding(days: count * unit)
                    add(index - 1, index + 1, day, rank: 3)
                    return
                }
                let previous = word(index - 1)
                let endOf =
                    word(index - 2) == "of" && word(index - 3) == "end"
                    || previous == "of" && word(index - 2) == "end"
                    || previous == "the" && word(index - 2) == "of" && word(index - 3) == "end"
                let next = previous == "next" || (previous == "the" && word(index - 2) == "next")
                switch text {
                case "week":
                    let monday = today.adding(days: -(today.weekday - 1))
                    if endOf {
                        var friday = monday.adding(days: next ? 11 : 4)
                        if friday < today { friday = friday.adding(days: 7) }
                        add(index, index + 1, friday, rank: 3)
                    } else if next {
                        add(index, index + 1, monday.adding(days: 7), rank: 3)
                    } else if previous == "this" {
                        add(index, index + 1, max(today, monday.adding(days: 4)), rank: 3)
                    }
                case "month":
                    let thisMonth = CalendarDay(year: today.year, month: today.month, day: 1)
                    if endOf {
                        add(index, index + 1, (next ? thisMonth.adding(months: 1) : thisMonth).endOfMonth, rank: 3)
                    } else if next {
                        add(index, index + 1, thisMonth.adding(months: 1), rank: 3)
                    }
                case "year" where endOf:
                    add(index, index + 1, CalendarDay(year: today.year, month: 12, day: 31), rank: 3)
                default:
                    break
                }
            default:
                break
            }
        }

        /// "tues", "next Friday", "this thurs", "friday week", "every other Monday" (the first one).
        mutating func weekday(at index: Int) {
            let text = tokens[index].text
            guard let target = DateReading.weekdays[text] else { return }
            let previous = word(index - 1)
            // Short forms that are also everyday words count only in a date's company.
            if ["sat", "sun", "wed", "mon"].contains(text),
                !(previous.map { ["on", "every", "each", "next", "this", "by", "till", "until", "from"].contains($0) }
                    ?? false)
            {
                return
            }
            var ahead = (target - today.weekday + 7) % 7
            if ahead == 0 { ahead = 7 }
            var day = today.adding(days: ahead)
            var end = index + 1
            if word(index + 1) == "week" {
                day = day.adding(days: 7)
                end += 1
            }
            add(index, end, day, rank: 5)
        }

        /// "every other Friday", "fortnightly", "weekly", "once a month", "each morning", "Fridays".
        mutating func recurring(at index: Int) {
            guard rhythm == nil else { return }
            let text = tokens[index].text
            let next = word(index + 1)
            var kind: Rhythm?
            var end = index + 1
            switch text {
            case "daily": kind = .daily
            case "weekly": kind = .weekly
            case "fortnightly", "biweekly": kind = .fortnightly
            case "monthly": kind = .monthly
            case "every", "each", "once":
                var look = index + 1
                if next == "other" || next == "second" || next == "alternate" {
                    kind = .fortnightly
                    look += 1
                } else if let count = number(index + 1), count == 2, word(index + 2)?.hasPrefix("week") == true {
                    kind = .fortnightly
                    look += 1
                }
                if text == "once", next == "a" || next == "every" { look += 1 }
                guard let unit = word(look) else { break }
                if kind == nil {
                    switch unit {
                    case "day", "morning", "afternoon", "evening", "shift", "handover": kind = .daily
                    case "week": kind = .weekly
                    case "fortnight": kind = .fortnightly
                    case "month": kind = .monthly
                    default: if DateReading.weekdays[unit] != nil { kind = .weekly }
                    }
                }
                if kind != nil { end = look + 1 }
            default:
                if DateReading.pluralWeekdays.contains(text) {
                    kind = .weekly
                    // "fridays": the next one is when it starts.
                    let name = String(text.dropLast())
                    if let target = DateReading.weekdays[name] {
                        var ahead = (target - today.weekday + 7) % 7
                        if ahead == 0 { ahead = 7 }
                        matches.append(Match(start: index, end: index + 1, day: today.adding(days: ahead), rank: 5))
                    }
                }
            }
            if let kind {
                rhythm = (kind, Match(start: index, end: end, day: nil, rank: 6))
            }
        }
    }

    static let months: [String: Int] = {
        var table: [String: Int] = [:]
        let names = [
            "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december",
        ]
        for (index, name) in names.enumerated() {
            table[name] = index + 1
            table[String(name.prefix(3))] = index + 1
        }
        table["sept"] = 9
        // "mar" and "jun" and "may" read as months only in a date's company (see `named`); "mar" alone is rare.
        return table
    }()

    static let weekdays: [String: Int] = [
        "monday": 1, "mon": 1, "tuesday": 2, "tues": 2, "tue": 2, "wednesday": 3, "wed": 3, "weds": 3,
        "thursday": 4, "thurs": 4, "thur": 4, "thu": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6,
        "sunday": 7, "sun": 7,
    ]

    static let pluralWeekdays: Set<String> = [
        "mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays", "sundays", "weekends",
    ]

    /// Words that may open a date phrase.
    static let leadWords: Set<String> = [
        "by", "before", "until", "till", "til", "on", "from", "starting", "start", "after", "every", "each", "next",
        "this", "in", "within", "the", "end", "of", "beginning", "mid", "middle", "other", "second", "at",
    ]

    /// Words after a number that make it an amount, not a day ("24 hours", "30 minutes").
    static let unitWords: Set<String> = [
        "hours", "hour", "hrs", "hr", "minutes", "mins", "min", "percent", "visits", "families", "cases", "patients",
        "days", "weeks", "months", "times", "people", "out", "per", "a", "an",
    ]
}
