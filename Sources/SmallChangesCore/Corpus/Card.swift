/// A knowledge card: one idea from the source material, in our own words, that the conversation can offer.
public struct Card: Codable, Sendable, Equatable, Identifiable {
    /// What a card is about, which decides when the conversation offers it.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case buildingBlock = "building_block"
        case workshop
        case network
        case wayOfWorking = "way_of_working"
        case pdsa
        case prototyping
        case barrier
        case change
    }

    public var id: String
    public var title: String
    public var kind: Kind
    public var text: String
    /// Themes (building blocks) and plan fields (intents) the card speaks to.
    public var tags: [String]
    /// Short, concrete suggestions: ways around a barrier, or small changes to try.
    public var ideas: [String]
    /// The title of the source document the card was written from.
    public var source: String

    public init(
        id: String, title: String, kind: Kind, text: String, tags: [String], ideas: [String] = [], source: String
    ) {
        self.id = id
        self.title = title
        self.kind = kind
        self.text = text
        self.tags = tags
        self.ideas = ideas
        self.source = source
    }

    /// The themes among the card's tags.
    public var themes: [Theme] { tags.compactMap(Theme.init(rawValue:)) }

    /// The plan fields among the card's tags.
    public var fields: [Intent] { tags.compactMap(Intent.init(rawValue:)).filter(\.isPlanContent) }
}
