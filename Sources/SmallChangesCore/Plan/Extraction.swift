import Foundation

/// Pulls the structured parts out of an answer: how much and by when for an aim; who, what and when
/// for a step or a check-in; adopt, adapt or abandon for a decision.
///
/// Deliberately plain pattern-matching: it only fills fields the person can see and correct, and
/// the readiness check names what it could not find.
public enum Extraction {
    /// Compiles the patterns (a few milliseconds) so no answer waits for it.
    public static func prepare() {
        _ = (howMuchPatterns.count, rangePatterns.count, roles.count)
    }

    /// Fills the extracted fields of an entry for the field it is going into; dates are read against `today`,
    /// the day the answer was given.
    public static func enrich(_ entry: inout ChangePlan.Entry, for field: PlanField, today: CalendarDay?) {
        switch field {
        case .aim:
            let amounts = amounts(in: entry.text)
            entry.baseline = amounts.baseline
            entry.howMuch = amounts.target
            let date = today.flatMap { DateReading.find(in: entry.text, today: $0) }
            entry.byWhen = date?.words
            entry.byDate = date?.day
        case .steps, .checkIns, .nextCycle:
            entry.who = who(in: entry.text)
            let date = today.flatMap { DateReading.find(in: entry.text, today: $0) }
            entry.when = date?.words
            entry.date = date?.day
            entry.rhythm = date?.rhythm
            entry.what = entry.text
        case .partner, .support:
            entry.who = PersonReference.find(in: entry.text)
        case .decision:
            entry.choice = choice(in: entry.text)
        default:
            break
        }
    }

    /// An aim's starting point and target: "from 8 a week to 4" gives 8 a week and 4; "9 out of 10" and "80%"
    /// are targets; "halve it" has the target "halve".
    public static func amounts(in text: String) -> (baseline: String?, target: String?) {
        let whole = NSRange(text.startIndex..., in: text)
        for pattern in rangePatterns {
            guard let match = pattern.firstMatch(in: text, range: whole), match.numberOfRanges >= 3,
                let from = Range(match.range(at: 1), in: text), let to = Range(match.range(at: 2), in: text)
            else { continue }
            return (trimmingWhitespace(text[from]), plain(trimmingWhitespace(text[to])))
        }
        // "at the moment about 12 a month ..., want a quarter fewer": where things stand, then the target.
        let amounts = allMatches(howMuchPatterns.dropLast(), in: text)
        let lower = text.lowercased()
        if amounts.count >= 2,
            ["at the moment", "currently", "right now", "at present", "usually", "now "].contains(where: lower.contains)
        {
            return (amounts[0], plain(amounts[amounts.count - 1]))
        }
        if amounts.count == 1, let standing = allMatches([bareNumber], in: text).first,
            ["at the moment", "currently", "right now", "at present"].contains(where: lower.contains),
            !amounts[0].contains(standing)
        {
            return (standing, plain(amounts[0]))
        }
        return (nil, howMuch(in: text).map(plain))
    }

    /// The target in its plain form: "halve" and "by half" are "half"; "a quarter fewer" is "a quarter".
    static func plain(_ target: String) -> String {
        let lower = target.lowercased()
        if lower == "halve" || lower == "halving" || lower == "by half" || lower == "a half" { return "half" }
        for suffix in [" fewer", " less", " lower"] where lower.hasSuffix(suffix) {
            return String(target.dropLast(suffix.count))
        }
        if lower.hasPrefix("by ") { return String(target.dropFirst(3)) }
        return target
    }

    private static let bareNumber: NSRegularExpression = compile(["\\b\\d+(?:\\.\\d+)?\\b"])[0]

    /// Every non-overlapping match of the patterns, in the order they appear.
    private static func allMatches(_ patterns: some Sequence<NSRegularExpression>, in text: String) -> [String] {
        let whole = NSRange(text.startIndex..., in: text)
        var found: [(NSRange, String)] = []
        for pattern in patterns {
            for match in pattern.matches(in: text, range: whole)
            where !found.contains(where: { NSIntersectionRange($0.0, match.range).length > 0 }) {
                if let range = Range(match.range, in: text) {
                    found.append((match.range, trimmingWhitespace(text[range])))
                }
            }
        }
        return found.sorted { $0.0.location < $1.0.location }.map(\.1)
    }

    /// "from 8 a week to 4", "from an hour to 20 minutes", "8 down to 4", "from 60% to 90%".
    private static let rangePatterns: [NSRegularExpression] = {
        let number =
            "\\d{1,3}(?:,\\d{3})+|\\d+(?:\\.\\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
            + "|fifteen|twenty|thirty|forty|fifty|sixty|half an?|a couple of|a few"
        let amount =
            "(?:about |around |roughly |nearly |almost |over |under )?(?:\(number))\\s*(?:%|percent|per cent)?"
            + "(?:\\s+(?:out of|in)\\s+\\d+)?(?:\\s+(?!to\\b|down\\b|by\\b|before\\b|within\\b|in\\b)[a-z-]+){0,5}?"
        let end = "(?=\\s+(?:by|before|until|in|within|at|on|over|of|for|from|and|so)\\b|\\s*[,.;!?)]|\\s*$)"
        let patterns = [
            "\\bfrom\\s+(\(amount))\\s+(?:down |up )?to\\s+(\(amount))\(end)",
            "\\b(\\d[\\d,]*(?:\\.\\d+)?\\s*%?)\\s+(?:down|up)\\s+to\\s+(\\d[\\d,]*(?:\\.\\d+)?\\s*%?)",
        ]
        return compile(patterns)
    }()

    /// An amount: a number, a percentage, a fraction or a frequency ("half", "30%", "three times a week").
    public static func howMuch(in text: String) -> String? {
        firstMatch(howMuchPatterns, in: text)
    }

    private static let howMuchPatterns: [NSRegularExpression] = {
        let patterns = [
            "\\b\\d+\\s+(?:out of|in)\\s+\\d+\\b",
            "\\b\\d+(?:\\.\\d+)?\\s*(?:%|percent|per cent)",
            "\\b(?:a quarter|a third|a half|half|a fifth|a tenth|\\d+%?)\\s+(?:fewer|less|more|lower|higher)\\b",
            "\\b(?:by\\s+)?(?:half|a half|a third|a quarter|two thirds|three quarters|double|twice|triple|halve|halving)\\b(?![- ]term)",
            "\\b(?:\\d+(?:\\.\\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|a hundred)\\s+(?:[a-z-]+\\s+){0,3}?(?:a|per|each|every)\\s+(?:day|week|month|visit|family|case|meeting|shift)\\b",
            "\\b(?:from|to|under|over|at least|at most|fewer than|more than|less than)\\s+\\d+(?:\\.\\d+)?\\b",
            "\\b(?:all|every|none of the|no more than \\w+)\\s+(?:[a-z-]+\\s+){0,2}?(?:families|visits|cases|meetings|referrals|patients|forms|staff)\\b",
            "\\b\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?\\b|\\b\\d+(?:\\.\\d+)?\\b",
        ]
        return compile(patterns)
    }()

    /// Who acts: "me" (said with "I", or as an instruction to oneself: "tell my team lead tomorrow"), "we", a
    /// named person ("Sam will email them") or a role ("my manager will ...").
    public static func who(in text: String) -> String? {
        let words = lowercaseWords(text)
        let tokens = text.split(separator: " ")
        if let first = tokens.first.map(trimmingPunctuation), first.first?.isUppercase == true, first.count > 1,
            first != "I", !first.hasPrefix("I'"), !calendarWords.contains(first.lowercased()),
            words.count > 1,
            ["will", "is", "to", "and", "can", "would", "could", "has", "said"].contains(words[1])
                || first.hasSuffix("'ll")
        {
            return first
        }
        let selves: Set<Substring> = ["i", "i'll", "ill", "i'm", "im", "i've", "ive", "i'd", "me", "myself", "my"]
        if words.prefix(6).contains(where: { selves.contains($0) && $0 != "my" }) { return "me" }
        if words.first == "we" || words.prefix(6).contains(where: { ["we", "we'll", "well", "us"].contains($0) }) {
            return "we"
        }
        if words.count >= 2, ["my", "our", "the"].contains(words[0]), let role = role(in: Array(words.prefix(4))),
            words.prefix(6).contains(where: { ["will", "is", "to", "can", "has"].contains($0) })
        {
            return role
        }
        return "me"
    }

    /// The words of a text, lowercased: runs of letters and apostrophes.
    private static func lowercaseWords(_ text: String) -> [Substring] {
        text.lowercased().unicodeScalars.split { !$0.properties.isAlphabetic && $0 != "'" }.map(Substring.init)
    }

    /// Roles named with "my", "the" or "our" in front: "my manager", "the ward sister".
    private static let roles: [[Substring]] = [
        "manager", "team", "practice lead", "supervisor", "colleague", "colleagues", "partner", "ward sister",
        "matron", "admin", "team leader", "deputy", "receptionist", "nurse", "doctor", "gp", "worker",
    ].map { $0.split(separator: " ") }

    /// The first role in `roles` order that the words name after "my", "the" or "our".
    private static func role(in words: [Substring]) -> String? {
        var best: (rank: Int, role: [Substring])?
        for index in words.indices.dropLast()
        where words[index] == "my" || words[index] == "the" || words[index] == "our" {
            for (rank, role) in roles.enumerated() where rank < best?.rank ?? roles.count {
                let end = index + 1 + role.count
                if end <= words.count && words[(index + 1)..<end].elementsEqual(role) { best = (rank, role) }
            }
        }
        return best.map { $0.role.joined(separator: " ") }
    }

    /// Day, month and season names, which are capitalised but are not people.
    private static let calendarWords: Set<String> = Set(DateReading.months.keys).union(DateReading.weekdays.keys)
        .union(DateReading.pluralWeekdays).union(["easter", "christmas", "summer", "spring", "autumn", "winter"])

    /// Adopt, adapt or abandon, from a decision in the person's words.
    public static func choice(in text: String) -> ChangePlan.Choice? {
        let lower = text.lowercased()
        if lower.range(of: "\\b(abandon|drop|stop|scrap|give up|ditch|bin)\\w*", options: .regularExpression) != nil {
            return .abandon
        }
        if lower.range(of: "\\b(adapt|tweak|change|adjust|modify|move it|but )\\w*", options: .regularExpression) != nil
        {
            return .adapt
        }
        if lower.range(of: "\\b(adopt|keep|carry on|continue|stick|yes)\\w*", options: .regularExpression) != nil {
            return .adopt
        }
        return nil
    }

    private static func firstMatch(_ patterns: [NSRegularExpression], in text: String) -> String? {
        let whole = NSRange(text.startIndex..., in: text)
        for pattern in patterns {
            if let match = pattern.firstMatch(in: text, range: whole), let range = Range(match.range, in: text) {
                return trimmingWhitespace(text[range])
            }
        }
        return nil
    }

    /// `text` without the white space around it, as `trimmingCharacters(in: .whitespaces)` trims (tabs and
    /// space separators), without a trip through `NSString`.
    static func trimmingWhitespace(_ text: Substring) -> String {
        String(
            text.trimmingScalars { scalar in
                scalar == " " || scalar == "\t"
                    || (scalar.value >= 0x80 && scalar.properties.generalCategory == .spaceSeparator)
            })
    }

    /// `text` without the punctuation around it, as `trimmingCharacters(in: .punctuationCharacters)` trims
    /// (Unicode's punctuation categories), without a trip through `NSString`.
    static func trimmingPunctuation(_ text: Substring) -> String {
        String(
            text.trimmingScalars { scalar in
                switch scalar.properties.generalCategory {
                case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                    .initialPunctuation, .finalPunctuation, .otherPunctuation:
                    true
                default: false
                }
            })
    }

    /// Compiles patterns once: they are used on every answer that goes into an aim, a step or a check-in.
    private static func compile(_ patterns: [String]) -> [NSRegularExpression] {
        patterns.compactMap { try? NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }
    }
}
