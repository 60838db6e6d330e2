import Foundation

/// Pulls the structured parts out of an answer: how much and by when for an aim; who, what and when
/// for a step or a check-in; adopt, adapt or abandon for a decision.
///
/// Deliberately plain pattern-matching: it only fills fields the person can see and correct, and
/// the readiness check names what it could not find.
public enum Extraction {
    static let months =
        "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
    static let days =
        "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mondays|tuesdays|wednesdays|thursdays|fridays|weekend|weekday"
    static let seasons = "easter|christmas|summer|spring|autumn|winter|half[- ]term|new year|the holidays|end of term"

    /// Compiles the patterns (a few milliseconds) so no answer waits for it.
    public static func prepare() {
        _ = (whenPatterns.count, howMuchPatterns.count, calendarWords.count, roles.count)
    }

    /// Fills the extracted fields of an entry for the field it is going into.
    public static func enrich(_ entry: inout ChangePlan.Entry, for field: PlanField) {
        switch field {
        case .aim:
            entry.howMuch = howMuch(in: entry.text)
            entry.byWhen = when(in: entry.text)
        case .steps, .checkIns, .nextCycle:
            entry.who = who(in: entry.text)
            entry.when = when(in: entry.text)
            entry.what = entry.text
        case .decision:
            entry.choice = choice(in: entry.text)
        default:
            break
        }
    }

    /// A date or time phrase: "by Easter", "next Friday", "in six weeks", "every Monday at 9", "12/03".
    public static func when(in text: String) -> String? {
        when(in: text, screened: true)
    }

    /// `when(in:)`, with or without the word screen that skips patterns which cannot match (the two give the
    /// same answer; tests hold them to it).
    static func when(in text: String, screened: Bool) -> String? {
        guard screened, let screen = WhenScreen(text) else { return firstMatch(whenPatterns, in: text) }
        for (index, pattern) in whenPatterns.enumerated() where screen.mayMatch(pattern: index) {
            if let found = firstMatch([pattern], in: text) { return found }
        }
        return nil
    }

    /// What a text holds that the date patterns need: each pattern below requires certain words (or a digit, a
    /// slash, a hyphen), so one pass over the words rules most patterns out before any regular expression runs.
    /// Only for ASCII text, where words and case are plain; other text runs every pattern.
    private struct WhenScreen {
        /// The groups of words the patterns need, as bits.
        struct Groups: OptionSet {
            let rawValue: UInt8
            static let month = Groups(rawValue: 1 << 0)
            static let named = Groups(rawValue: 1 << 1)
            static let period = Groups(rawValue: 1 << 2)
            static let deadline = Groups(rawValue: 1 << 3)
            static let lead = Groups(rawValue: 1 << 4)
            static let spanLead = Groups(rawValue: 1 << 5)
            static let span = Groups(rawValue: 1 << 6)
            static let adverb = Groups(rawValue: 1 << 7)
        }

        /// Which groups the text's words fall in.
        let groups: Groups
        let digit: Bool
        let slash: Bool
        let hyphen: Bool

        init?(_ text: String) {
            var lower = text.lowercased()
            guard UTF8Scan.isASCII(lower) else { return nil }
            // Letters only: "friday's" holds "friday", as the patterns' word boundaries see it. One look-up a
            // word, in a table of every word any group holds.
            var groups: Groups = []
            let table = Self.groupsOfWords
            lower.withUTF8 { bytes in
                var start = 0
                for end in 0...bytes.count {
                    if end < bytes.count, bytes[end] >= UInt8(ascii: "a"), bytes[end] <= UInt8(ascii: "z") { continue }
                    if end > start, let key = WordKey(UnsafeBufferPointer(rebasing: bytes[start..<end])),
                        let found = table[key]
                    {
                        groups.formUnion(found)
                    }
                    start = end + 1
                }
            }
            let digit = lower.utf8.contains { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            let slash = UTF8Scan.contains(lower, UInt8(ascii: "/"))
            let hyphen = UTF8Scan.contains(lower, UInt8(ascii: "-"))
            self.groups = groups
            self.digit = digit
            self.slash = slash
            self.hyphen = hyphen
        }

        /// Whether pattern `index` of `whenPatterns` could match: a necessary condition, never a sufficient one.
        func mayMatch(pattern index: Int) -> Bool {
            switch index {
            case 0: groups.contains(.deadline) && groups.contains(.period)
            case 1: groups.contains(.lead) && groups.contains(.period)
            case 2: groups.contains(.spanLead) && groups.contains(.span)
            case 3, 4: digit && groups.contains(.month)
            case 5: digit && slash
            case 6: digit && hyphen
            case 7: groups.contains(.adverb)
            case 8: groups.contains(.named)
            default: true
            }
        }

        /// A lowercase word of at most 16 letters, as the table's key: hashing two integers costs a fraction of
        /// hashing a `Substring`, which must first be normalised.
        struct WordKey: Hashable {
            private let head: UInt64
            private let tail: UInt64

            init?(_ word: UnsafeBufferPointer<UInt8>) {
                guard word.count <= 16 else { return nil }
                var head: UInt64 = 0
                var tail: UInt64 = 0
                for index in word.indices {
                    if index < 8 {
                        head |= UInt64(word[index]) << (8 * index)
                    } else {
                        tail |= UInt64(word[index]) << (8 * (index - 8))
                    }
                }
                self.head = head
                self.tail = tail
            }
        }

        private static let groupsOfWords: [WordKey: Groups] = {
            var table: [WordKey: Groups] = [:]
            let members: [(Set<Substring>, Groups)] = [
                (monthWords, .month), (namedWords, .named), (periodWords, .period), (deadlineWords, .deadline),
                (leadWords, .lead), (spanLeadWords, .spanLead), (spanWords, .span), (adverbWords, .adverb),
            ]
            for (words, group) in members {
                for var word in words {
                    let key = word.withUTF8 { WordKey($0) }
                    guard let key else { preconditionFailure("\(word): longer than a key holds") }
                    table[key, default: []].formUnion(group)
                }
            }
            return table
        }()

        private static func set(_ alternatives: String...) -> Set<Substring> {
            Set(alternatives.flatMap { $0.split(separator: "|") })
        }

        private static let monthWords = set(months)
        /// The words of days, months and seasons ("half term", "new year", "the holidays", "end of term" each
        /// hold "term", "year" or "holidays").
        private static let namedWords = set(
            days, months, "easter|christmas|summer|spring|autumn|winter|term|year|holidays")
        private static let periodWords = namedWords.union(set("week|month|quarter|fortnight|morning|afternoon"))
        private static let deadlineWords = set("by|before|until|till|end")
        private static let leadWords = set(
            "by|before|until|till|on|from|starting|start|end|this|next|every|each|within|in|after")
        private static let spanLeadWords = set("in|within|for|after")
        private static let spanWords = set("day|days|week|weeks|month|months|fortnight|fortnights")
        private static let adverbWords = set("tomorrow|today|tonight|weekly|fortnightly|monthly|daily")
    }

    private static let whenPatterns: [NSRegularExpression] = {
        let number = "\\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a couple of|a few"
        let patterns = [
            "\\b(?:by|before|until|till|end of|the end of)\\s+(?:other\\s+|second\\s+)?(?:the\\s+)?(?:end of\\s+)?(?:\(days)|\(months)|\(seasons)|week|month|term|quarter|year|fortnight|morning|afternoon)\\b(?:\\s+(?:\\d{1,2}(?:st|nd|rd|th)?|at \\d{1,2}(?::\\d{2})?\\s*(?:am|pm)?))?",
            "\\b(?:by|before|until|till|on|from|starting|start of|end of|the end of|this|next|every|each|within|in|after)\\s+(?:other\\s+|second\\s+)?(?:the\\s+)?(?:end of\\s+)?(?:\(days)|\(months)|\(seasons)|week|month|term|quarter|year|fortnight|morning|afternoon)\\b(?:\\s+(?:\\d{1,2}(?:st|nd|rd|th)?|at \\d{1,2}(?::\\d{2})?\\s*(?:am|pm)?))?",
            "\\b(?:in|within|for|after)\\s+(?:the next\\s+)?(?:\(number))\\s+(?:days?|weeks?|months?|fortnights?)\\b",
            "\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:\(months))\\b",
            "\\b(?:\(months))\\s+\\d{1,2}(?:st|nd|rd|th)?\\b",
            "\\b\\d{1,2}/\\d{1,2}(?:/\\d{2,4})?\\b",
            "\\b\\d{4}-\\d{2}-\\d{2}\\b",
            "\\b(?:tomorrow|today|tonight|weekly|fortnightly|monthly|daily)\\b",
            "\\b(?:\(days)|\(months)|\(seasons))\\b",
        ]
        return compile(patterns)
    }()

    /// An amount: a number, a percentage, a fraction or a frequency ("half", "30%", "three times a week").
    public static func howMuch(in text: String) -> String? {
        firstMatch(howMuchPatterns, in: text)
    }

    private static let howMuchPatterns: [NSRegularExpression] = {
        let patterns = [
            "\\b\\d+(?:\\.\\d+)?\\s*(?:%|percent|per cent)",
            "\\b(?:by\\s+)?(?:half|a half|a third|a quarter|two thirds|three quarters|double|twice|triple|halve)\\b(?![- ]term)",
            "\\b(?:\\d+(?:\\.\\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|a hundred)\\s+(?:[a-z-]+\\s+){0,3}?(?:a|per|each|every)\\s+(?:day|week|month|visit|family|case|meeting|shift)\\b",
            "\\b(?:from|to|under|over|at least|at most|fewer than|more than|less than)\\s+\\d+(?:\\.\\d+)?\\b",
            "\\b(?:all|every|none of the|no more than \\w+)\\s+(?:[a-z-]+\\s+){0,2}?(?:families|visits|cases|meetings|referrals|patients|forms|staff)\\b",
            "\\b\\d+(?:\\.\\d+)?\\b",
        ]
        return compile(patterns)
    }()

    /// Who acts: "I", "we", a named person or a role.
    public static func who(in text: String) -> String? {
        let words = lowercaseWords(text)
        if let role = role(in: words) { return role }
        // A capitalised word that does not start a sentence is most likely a name.
        let tokens = text.split(separator: " ")
        for (index, token) in tokens.enumerated() where index > 0 {
            // Most words start with a lowercase letter: skip them before trimming anything.
            if let first = token.utf8.first, first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z") { continue }
            let cleaned = trimmingPunctuation(token)
            guard let first = cleaned.first, first.isUppercase, cleaned.count > 1, cleaned != "I",
                !cleaned.hasPrefix("I'"),
                !tokens[index - 1].hasSuffix("."),
                !calendarWords.contains(cleaned.lowercased())
            else { continue }
            return cleaned
        }
        if words.first == "we" || words.contains("we'll") || words.contains("we") { return "we" }
        if words.contains("i") || words.contains("i'll") || words.contains("i'm") || words.contains("me") {
            return "me"
        }
        return nil
    }

    /// The words of a text, lowercased: runs of letters and apostrophes.
    private static func lowercaseWords(_ text: String) -> [Substring] {
        let lower = text.lowercased()
        guard UTF8Scan.isASCII(lower) else {
            return lower.unicodeScalars.split { !$0.properties.isAlphabetic && $0 != "'" }.map(Substring.init)
        }
        // ASCII: bytes are characters, and only a-z and ' make words.
        return lower.utf8.split {
            !(($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || $0 == UInt8(ascii: "'"))
        }.map { Substring($0) }
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
    private static let calendarWords: Set<String> = Set(
        [days, months, seasons].flatMap { $0.split(separator: "|") }.flatMap { word in
            // "half[- ]term" stands for both spellings.
            word.contains("[- ]")
                ? [word.replacingOccurrences(of: "[- ]", with: "-"), word.replacingOccurrences(of: "[- ]", with: " ")]
                : [String(word)]
        })

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
