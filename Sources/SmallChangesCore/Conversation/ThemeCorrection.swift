import Foundation

/// A person correcting the building block named for their last barrier or idea: "it's more about leadership",
/// "that's a training thing really", "the block is status quo".
enum ThemeCorrection {
    /// The building block the answer says it is, or `nil` when the answer is not such a correction.
    static func read(_ text: String) -> Theme? {
        let lower = text.lowercased().replacingOccurrences(of: "'", with: "").replacingOccurrences(
            of: "\u{2019}", with: "")
        guard lower.split(separator: " ").count <= 10 else { return nil }
        let patterns = [
            "^(no,? |nah,? |actually,? )?(its|it is|thats|that is|that was|its really|it was)\\s+(more|really|mainly|mostly|actually)\\s+(about|a|an|to do with)\\s+(.+)$",
            "^(no,? |actually,? )?(more|mainly|mostly)\\s+(about|a|an)\\s+(.+)$",
            "^(the )?(building )?block (is|should be)\\s+(.+)$",
            "^(its|it is|thats|that is) (a|an) (.+) (thing|issue|one|block)( really)?$",
        ]
        for pattern in patterns {
            guard let match = lower.range(of: pattern, options: .regularExpression) else { continue }
            let phrase = String(lower[match])
            if let theme = Theme.named(phrase.replacingOccurrences(of: "more about", with: "")) { return theme }
        }
        return nil
    }
}
