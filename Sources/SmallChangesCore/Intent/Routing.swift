/// How one answer was heard: the matcher's verdict, with enough detail to explain and to confirm it.
public struct Routing: Codable, Sendable, Equatable {
    /// One ranked alternative to the chosen intent.
    public struct Alternative: Codable, Sendable, Equatable {
        public var intent: Intent
        public var confidence: Double
        public init(intent: Intent, confidence: Double) {
            self.intent = intent
            self.confidence = confidence
        }
    }

    /// One part of an answer that held several items ("no time, no money and no backing").
    public struct Item: Codable, Sendable, Equatable {
        public var text: String
        public var intent: Intent
        public var theme: Theme?
        public init(text: String, intent: Intent, theme: Theme?) {
            self.text = text
            self.intent = intent
            self.theme = theme
        }
    }

    public var intent: Intent
    /// Calibrated probability that `intent` is right, 0...1.
    public var confidence: Double
    /// The building block, for barriers and ideas; `nil` otherwise or when none fits.
    public var theme: Theme?
    /// The next best intents, most likely first (at most a few).
    public var alternatives: [Alternative]
    /// The separate items when the answer was split; empty when it was one item.
    public var items: [Item]
    /// True when the top two intents are too close to call, so the conversation should confirm.
    public var needsConfirm: Bool
    /// For a barrier or idea whose building block the matcher is not sure of: the two likeliest, to offer.
    public var themeOptions: [Theme]?

    public init(
        intent: Intent, confidence: Double, theme: Theme? = nil, alternatives: [Alternative] = [],
        items: [Item] = [], needsConfirm: Bool = false, themeOptions: [Theme]? = nil
    ) {
        self.intent = intent
        self.confidence = confidence
        self.theme = theme
        self.alternatives = alternatives
        self.items = items
        self.needsConfirm = needsConfirm
        self.themeOptions = themeOptions
    }
}
