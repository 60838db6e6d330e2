import Foundation

/// Splits an answer that clearly lists several things into its items; everything else stays one item.
///
/// A list is clear when the person laid it out as one: separate lines, bullets, numbers ("1) ... 2) ..."),
/// semicolons. Two complete clauses joined by "and" ("we never have time to meet and my manager blocks new
/// ideas") are offered as candidate items, which the matcher keeps apart only when each is confidently of the
/// question's kind. Commas, "or", numbers ("1,200", "9.30") and quotes never split an answer: "it takes ages and
/// crashes" is one barrier, "I'll email the team and book the room" one step.
public enum AnswerSplitter {
    /// How an answer was split.
    public enum Kind: Sendable, Equatable {
        /// One item.
        case whole
        /// Laid out as a list by the person: lines, bullets, numbers, semicolons.
        case laidOut
        /// Two or more complete clauses joined by "and": items only if each is confidently the question's kind.
        case clauses
    }

    /// The items of `text`, in order; a single element (the trimmed text) when it is not a list.
    public static func split(_ text: String) -> [String] {
        pieces(text).items
    }

    /// The items of `text` and how they were found.
    public static func pieces(_ text: String) -> (items: [String], kind: Kind) {
        let whole = clean(Substring(text))
        // Most answers have none of the marks a list needs: one look at the bytes spares them the string work.
        let marks = listMarks(text)
        if marks.layout {
            let laidOut = laidOutParts(text)
            if laidOut.count >= 2 { return (laidOut, .laidOut) }
        }
        if marks.and {
            let clauses = clauseParts(whole)
            if clauses.count >= 2 { return (clauses, .clauses) }
        }
        return ([whole], .whole)
    }

    /// Whether the text has what a laid-out list needs (a line break, a semicolon, a bullet, a digit before ")" or
    /// ".", or a full stop or colon after an announced count) and whether it has the word "and".
    static func listMarks(_ text: String) -> (layout: Bool, and: Bool) {
        var layout = false
        var previous: UInt8 = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: ";"), 0xE2: layout = true
            case UInt8(ascii: ")"), UInt8(ascii: "."), UInt8(ascii: ":"):
                if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(previous) || byte != UInt8(ascii: ")") {
                    layout = true
                }
            default: break
            }
            if layout { break }
            previous = byte
        }
        return (layout, containsAnd(text))
    }

    /// Whether the text has " and " in any case. ASCII text is searched byte by byte; other text goes through
    /// Foundation, whose case folding reaches beyond ASCII.
    static func containsAnd(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return text.range(of: " and ", options: .caseInsensitive) != nil }
        let and: [UInt8] = Array(" and ".utf8)
        var matched = 0
        for byte in utf8 {
            // Lowercases an ASCII letter; any other byte is left as it is.
            let folded = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
            if folded == and[matched] {
                matched += 1
                if matched == and.count { return true }
            } else {
                matched = folded == and[0] ? 1 : 0
            }
        }
        return false
    }

    /// Lines, semicolons, bullets and numbered items, outside quotes.
    static func laidOutParts(_ text: String) -> [String] {
        var parts: [Substring] = []
        var start = text.startIndex
        var quoted = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\"" || character == "\u{201C}" || character == "\u{201D}" { quoted.toggle() }
            if !quoted, character == "\n" || character == ";" || character == "\u{2022}" || character == "\r\n" {
                parts.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        parts.append(text[start...])
        if parts.count == 1 { parts = numberedParts(text) }
        if parts.count == 1 { parts = announcedParts(text) }
        let items = parts.map(stripMarker).map(clean).filter(hasLetters)
        return items.count >= 2 ? items : []
    }

    /// "1) a 2) b", "1. a 2. b" on one line: markers counting up from 1.
    static func numberedParts(_ text: String) -> [Substring] {
        var markers: [String.Index] = []
        var expected = 1
        var index = text.startIndex
        while index < text.endIndex {
            let atWordStart = index == text.startIndex || text[text.index(before: index)] == " "
            if atWordStart, text[index...].hasPrefix("\(expected)") {
                let after = text.index(index, offsetBy: "\(expected)".count)
                if after < text.endIndex, text[after] == ")" || text[after] == ".",
                    text.index(after: after) == text.endIndex || text[text.index(after: after)] == " "
                {
                    markers.append(index)
                    expected += 1
                }
            }
            index = text.index(after: index)
        }
        guard markers.count >= 2 else { return [Substring(text)] }
        var parts: [Substring] = []
        for (position, marker) in markers.enumerated() {
            let end = position + 1 < markers.count ? markers[position + 1] : text.endIndex
            parts.append(text[marker..<end])
        }
        return parts
    }

    /// "Two things. Every project ... And the ward teams ...": sentences after a count the person announced.
    static func announcedParts(_ text: String) -> [Substring] {
        let lower = text.lowercased()
        let counts = ["two", "2", "three", "3", "a couple of", "couple of", "a few"]
        let nouns = ["things", "problems", "issues", "reasons", "barriers", "ideas", "bits", "options"]
        guard
            let announced = counts.lazy.compactMap({ count in
                nouns.lazy.compactMap { lower.range(of: "\(count) \($0)") }.first
            }).first
        else { return [Substring(text)] }
        let after = text[announced.upperBound...]
        let sentences = after.split(whereSeparator: { ".!?:".contains($0) })
            .filter { $0.split(separator: " ").count >= 3 }
        return sentences.count >= 2 && sentences.count <= 5 ? sentences : [Substring(text)]
    }

    /// Clauses joined by "and" where the part after "and" opens with a subject of its own.
    static func clauseParts(_ text: String) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        // Only short, plain sentences: a comma or a "because" or "so" means one thought running on.
        guard words.count >= 7, words.count <= 22, !text.contains(","),
            !words.contains(where: { runOnWords.contains($0.lowercased()) })
        else { return [] }
        var items: [String] = []
        var current: [Substring] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            let bare = Extraction.trimmingPunctuation(Substring(word.lowercased()))
            if bare == "and", current.count >= 3, index + 3 < words.count,
                opensClause(words[index + 1]), !word.hasPrefix("\""),
                words[(index + 1)...].count >= 3
            {
                items.append(current.joined(separator: " "))
                current = []
                index += 1
                continue
            }
            current.append(word)
            index += 1
        }
        items.append(current.joined(separator: " "))
        let cleaned = items.map { clean(Substring($0)) }.filter(hasLetters)
        return cleaned.count >= 2 ? cleaned : []
    }

    /// Whether a word can open a clause of its own: a pronoun, a determiner or a name.
    static func opensClause(_ word: Substring) -> Bool {
        let lower = Extraction.trimmingPunctuation(Substring(word.lowercased()))
        if subjects.contains(lower) { return true }
        return word.first?.isUppercase == true && word != "I" && !word.hasPrefix("I'")
    }

    /// Words that run one thought on: an answer holding one is never split at "and".
    static let runOnWords: Set<String> = ["because", "so", "but", "which", "cos", "coz", "then"]

    static let subjects: Set<String> = [
        "i", "i'm", "im", "we", "we're", "were", "they", "they're", "theyre", "he", "she", "it's", "there", "there's",
        "theres", "nobody", "everyone", "everybody", "people", "my", "our", "their", "his", "her", "the", "staff",
        "parents", "families", "managers", "management", "nothing", "no-one", "noone", "senior", "leaders",
    ]

    static func stripMarker(_ part: Substring) -> Substring {
        var piece = part.drop { $0 == " " || $0 == "\t" }
        if let first = piece.first, first == "-" || first == "*" || first == "\u{2022}" {
            return piece.dropFirst()
        }
        let digits = piece.prefix { $0.isNumber }
        let rest = piece.dropFirst(digits.count)
        if !digits.isEmpty, digits.count <= 2, let marker = rest.first, marker == "." || marker == ")",
            rest.dropFirst().first == " " || rest.count == 1
        {
            piece = rest.dropFirst()
        }
        return piece
    }

    static func hasLetters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.isAlphabetic }
    }

    /// Trims white space, and trailing commas, full stops and joining words left by the split.
    static func clean(_ text: Substring) -> String {
        var piece = text.trimmingScalars(where: { $0.properties.isWhitespace })
        while let last = piece.last, last == "," || last == ";" {
            piece = piece.dropLast().trimmingScalars(where: { $0.properties.isWhitespace })
        }
        for joiner in ["and ", "And ", "also ", "plus "] where piece.hasPrefix(joiner) {
            piece = piece.dropFirst(joiner.count)
        }
        return String(piece)
    }
}
