/// The knowledge cards the conversation draws on, with the look-ups it needs.
public struct Corpus: Sendable, Equatable {
    public let cards: [Card]
    /// Where each card and each theme's building block sits in `cards`: looked up on every turn, and a scan
    /// would copy every card it passes.
    private let cardIndex: [String: Int]
    private let blockIndex: [Theme: Int]

    public init(cards: [Card]) {
        self.cards = cards
        var cardIndex: [String: Int] = [:]
        var blockIndex: [Theme: Int] = [:]
        for (index, card) in cards.enumerated() {
            if cardIndex[card.id] == nil { cardIndex[card.id] = index }
            guard card.kind == .buildingBlock else { continue }
            for theme in card.themes where blockIndex[theme] == nil { blockIndex[theme] = index }
        }
        self.cardIndex = cardIndex
        self.blockIndex = blockIndex
    }

    public func card(_ id: String) -> Card? { cardIndex[id].map { cards[$0] } }

    /// The building-block card for a theme.
    public func block(_ theme: Theme) -> Card? {
        blockIndex[theme].map { cards[$0] }
    }

    /// Cards that illustrate what an answer to a question expecting `field` could look like, best first.
    ///
    /// Worked examples (changes and barriers) come before explanations, and a theme, when known,
    /// narrows the choice; the order is stable so the same question always offers the same examples.
    public func examples(for field: Intent, theme: Theme? = nil, limit: Int = 3) -> [Card] {
        func rank(_ card: Card) -> Int {
            var score = 0
            if card.fields.contains(field) { score += 4 }
            if let theme, card.themes.contains(theme) { score += 3 }
            switch card.kind {
            case .change where field == .idea || field == .step: score += 2
            case .barrier where field == .barrier: score += 2
            case .pdsa where [.aim, .measure, .prediction, .learning, .decision].contains(field): score += 2
            default: break
            }
            return score
        }
        var scored: [Ranked] = []
        for (index, card) in cards.enumerated() {
            let score = rank(card)
            if score >= 4 { scored.append(Ranked(card: card, score: score, index: index)) }
        }
        return Array(scored.sorted(by: Ranked.before).prefix(limit).map(\.card))
    }

    /// Cards whose words best match a free-text query, best first.
    public func search(_ query: String, limit: Int = 5) -> [Card] {
        let terms = Set(Self.words(query))
        guard !terms.isEmpty else { return [] }
        var scored: [Ranked] = []
        for (index, card) in cards.enumerated() {
            let title = Set(Self.words(card.title))
            let body = Set(
                Self.words(
                    [card.text, card.ideas.joined(separator: " "), card.tags.joined(separator: " ")]
                        .joined(separator: " ")))
            var score = 0
            for term in terms {
                if title.contains(term) { score += 3 }
                if body.contains(term) { score += 1 }
            }
            if score > 0 { scored.append(Ranked(card: card, score: score, index: index)) }
        }
        return Array(scored.sorted(by: Ranked.before).prefix(limit).map(\.card))
    }

    /// A card with its score; ties keep the corpus order so results are stable.
    private struct Ranked {
        var card: Card
        var score: Int
        var index: Int
        static func before(_ lhs: Ranked, _ rhs: Ranked) -> Bool {
            lhs.score != rhs.score ? lhs.score > rhs.score : lhs.index < rhs.index
        }
    }

    static let stopWords: Set<String> = [
        "the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with", "is", "it", "we", "i", "my", "our",
        "you", "your", "be", "at", "by", "that", "this", "what", "how", "do", "can",
    ]

    static func words(_ text: String) -> [String] {
        text.lowercased()
            .split { !$0.isLetter && !$0.isNumber && $0 != "_" }
            .map(String.init)
            .filter { $0.count > 1 && !stopWords.contains($0) }
    }
}
