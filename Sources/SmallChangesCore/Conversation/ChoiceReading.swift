import Foundation

/// Which of the offered options an answer picks: by number ("2", "number 2"), by ordinal ("the first one i
/// guess", "the last one"), or by words that match one option only ("the huddle one").
enum ChoiceReading {
    /// The index of the option picked, or `nil` when the answer picks none (or could mean several).
    static func pick(_ text: String, from options: [String], field: PlanField) -> Int? {
        guard !options.isEmpty else { return nil }
        let words = normalisedWords(text)
        let meaningful = words.filter { !hedges.contains($0) }
        if meaningful.count <= 4 {
            for word in meaningful {
                if let number = Int(word.trimmingCharacters(in: CharacterSet(charactersIn: "#.)"))),
                    options.indices.contains(number - 1)
                {
                    return number - 1
                }
                if let index = ordinals[word], options.indices.contains(index) { return index }
                if word == "last" || word == "latter" { return options.count - 1 }
            }
        }
        let lower = words.joined(separator: " ")
        if let exact = options.firstIndex(where: { normalisedWords($0).joined(separator: " ") == lower }) {
            return exact
        }
        if field == .decision, let choice = Extraction.choice(in: text),
            let index = options.firstIndex(where: { $0.lowercased().hasPrefix(choice.rawValue) })
        {
            return index
        }
        // An acronym of an option's words: "the RAG one" for "red/amber/green the caseload".
        let acronyms = meaningful.filter { $0.count >= 2 && $0.count <= 4 && $0.allSatisfy(\.isLetter) }
        for acronym in acronyms {
            let matching = options.indices.filter { index in
                let initials = String(normalisedWords(options[index]).compactMap(\.first))
                return initials.contains(acronym)
            }
            if matching.count == 1 { return matching[0] }
        }
        // Words that match one option only.
        let content = meaningful.filter { $0.count >= 3 && !stopWords.contains($0) }
        guard !content.isEmpty, content.count <= 6 else { return nil }
        let scores = options.map { option -> Int in
            let optionWords = normalisedWords(option).filter { $0.count >= 3 && !stopWords.contains($0) }
            return content.filter { word in optionWords.contains { same(word, $0) } }.count
        }
        guard let best = scores.max(), best >= 1, scores.filter({ $0 == best }).count == 1,
            best * 2 >= content.count
        else { return nil }
        return scores.firstIndex(of: best)
    }

    /// Two words match when one is the other with an ending ("huddle", "huddles").
    static func same(_ left: String, _ right: String) -> Bool {
        if left == right { return true }
        let shorter = left.count <= right.count ? left : right
        let longer = left.count <= right.count ? right : left
        return shorter.count >= 4 && longer.hasPrefix(shorter) && longer.count - shorter.count <= 3
    }

    static func normalisedWords(_ text: String) -> [String] {
        text.lowercased().removingScalars { $0 == "'" || $0 == "\u{2019}" }
            .split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    static let ordinals: [String: Int] = [
        "first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3, "fifth": 4,
        "5th": 4, "sixth": 5, "6th": 5, "seventh": 6, "7th": 6, "eighth": 7, "8th": 7, "ninth": 8, "9th": 8,
        "tenth": 9, "10th": 9, "one": 0, "two": 1, "three": 2, "four": 3, "five": 4,
    ]

    /// Words that hedge or frame a pick without saying which ("i guess", "lets go with", "option").
    static let hedges: Set<String> = [
        "the", "one", "i", "guess", "think", "suppose", "maybe", "probably", "prob", "lets", "let", "us", "go",
        "with", "pick", "choose", "option", "number", "no", "num", "please", "id", "say", "ill", "do", "take", "that",
        "idea", "hmm", "um", "erm", "ok", "okay", "so", "then", "best", "is", "it", "its", "thats", "want", "to", "a",
        "reckon", "yeah", "yes", "go", "for", "mine", "would", "be", "like", "just",
    ]

    static let stopWords: Set<String> = [
        "the", "and", "one", "that", "with", "for", "about", "this", "our", "their", "your", "each", "every",
        "could", "would", "should", "will", "idea", "thing", "about", "think", "guess", "maybe", "probably", "from",
        "into", "more", "less", "week", "team", "start", "starting", "have", "just", "like",
    ]
}
