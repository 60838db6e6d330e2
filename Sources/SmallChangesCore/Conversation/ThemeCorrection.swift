import Foundation

/// A person correcting the building block named for their last barrier or idea: "it's more about leadership",
/// "that's a training thing really", "the block is status quo".
enum ThemeCorrection {
    /// The building block the answer says it is, or `nil` when the answer is not such a correction.
    static func read(_ text: String) -> Theme? {
        let lower = text.lowercased().removingScalars { $0 == "'" || $0 == "\u{2019}" }
        // Every pattern is anchored at the start, opens with one of `openings` and needs one of these words: most
        // answers are ruled out before any pattern runs.
        guard openings.contains(where: { lower.utf8.starts(with: $0.utf8) }),
            lower.split(separator: " ").count <= 10,
            ["more", "really", "mainly", "mostly", "actually", "block", "thing", "issue", "one"].contains(where: {
                lower.contains($0)
            })
        else { return nil }
        for expression in expressions {
            guard let match = Correction.firstMatch(expression, in: lower) else { continue }
            let phrase = String(lower[match])
            if let theme = Theme.named(phrase.replacingOccurrences(of: "more about", with: "")) { return theme }
        }
        return nil
    }

    /// What each of `expressions` can open with.
    static let openings = [
        "no", "nah", "actually", "it", "that", "more", "mainly", "mostly", "the ", "building ", "block",
    ]

    /// Compiled once.
    static let expressions: [NSRegularExpression] = [
        "^(no,? |nah,? |actually,? )?(its|it is|thats|that is|that was|its really|it was)\\s+(more|really|mainly|mostly|actually)\\s+(about|a|an|to do with)\\s+(.+)$",
        "^(no,? |actually,? )?(more|mainly|mostly)\\s+(about|a|an)\\s+(.+)$",
        "^(the )?(building )?block (is|should be)\\s+(.+)$",
        "^(its|it is|thats|that is) (a|an) (.+) (thing|issue|one|block)( really)?$",
    ].compactMap { try? NSRegularExpression(pattern: $0) }
}
