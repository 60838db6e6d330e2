import Foundation

/// A person correcting the building block named for their last barrier or idea: "it's more about leadership",
/// "that's a training thing really", "the block is status quo".
enum ThemeCorrection {
    /// The building block the answer says it is, or `nil` when the answer is not such a correction.
    static func read(_ text: String) -> Theme? {
        let lower = text.lowercased().replacingOccurrences(of: "'", with: "").replacingOccurrences(
            of: "\u{2019}", with: "")
        // Every pattern needs one of these words: most answers are ruled out before any pattern runs.
        guard lower.split(separator: " ").count <= 10,
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

    /// Compiled once.
    static let expressions: [NSRegularExpression] = [
        "^(no,? |nah,? |actually,? )?(its|it is|thats|that is|that was|its really|it was)\\s+(more|really|mainly|mostly|actually)\\s+(about|a|an|to do with)\\s+(.+)$",
        "^(no,? |actually,? )?(more|mainly|mostly)\\s+(about|a|an)\\s+(.+)$",
        "^(the )?(building )?block (is|should be)\\s+(.+)$",
        "^(its|it is|thats|that is) (a|an) (.+) (thing|issue|one|block)( really)?$",
    ].compactMap { try? NSRegularExpression(pattern: $0) }
}
