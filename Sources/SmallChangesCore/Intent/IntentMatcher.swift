// STAND-IN written by the lead so the rest of the package builds; the matcher helper replaces this file.
/// The product's matcher (stand-in).
public struct IntentMatcher: Sendable {
    let intents: TextClassifier
    let themes: TextClassifier

    public init(examples: IntentExamples) {
        intents = TextClassifier(examples: examples.intents)
        themes = TextClassifier(examples: examples.themes)
    }

    public func route(_ text: String, expecting: Intent?) -> Routing {
        let lower = text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        if let expecting, expecting.isPlanContent, ["no", "nope", "nothing", "none", "n"].contains(lower) {
            return Routing(intent: .done, confidence: 0.9)
        }
        var scores = intents.scores(text)
        if let expecting, let index = intents.labels.firstIndex(of: expecting.rawValue) { scores[index] += 0.3 }
        let ranked = intents.ranked(scores: scores, count: 3)
        let intent = ranked.first.flatMap { Intent(rawValue: $0.label) } ?? .oos
        let theme = intent.hasTheme ? themes.ranked(text, count: 1).first.flatMap { Theme(rawValue: $0.label) } : nil
        let alternatives = ranked.dropFirst().compactMap { candidate in
            Intent(rawValue: candidate.label).map { Routing.Alternative(intent: $0, confidence: candidate.probability) }
        }
        let margin = (ranked.first?.probability ?? 0) - (ranked.dropFirst().first?.probability ?? 0)
        return Routing(
            intent: intent, confidence: ranked.first?.probability ?? 0, theme: theme, alternatives: alternatives,
            needsConfirm: margin < 0.15)
    }
}
