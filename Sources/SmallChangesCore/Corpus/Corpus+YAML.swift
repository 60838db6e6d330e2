import Foundation
import Yams

extension Corpus {
    /// Reads the cards of several YAML files (`cards:` lists), checking every card and that ids are unique.
    ///
    /// - Parameter files: each file's name as the user should see it in errors, and its text.
    public static func parse(_ files: [(name: String, text: String)]) throws(SourceError) -> Corpus {
        var cards: [Card] = []
        var seen: [String: String] = [:]
        for file in files {
            let source = try YAMLSource(text: file.text, file: file.name)
            let top = try source.fields(source.root, "the corpus file", required: ["cards"], optional: [])
            guard let list = top["cards"] else { continue }
            for node in try source.sequence(list, "cards") {
                let card = try parseCard(node, source)
                if let other = seen[card.id] {
                    throw source.fail(node, "card id \"\(card.id)\" is already used in \(other)")
                }
                seen[card.id] = "\(file.name):\(source.line(node))"
                cards.append(card)
            }
        }
        return Corpus(cards: cards)
    }

    private static func parseCard(_ node: Node, _ source: YAMLSource) throws(SourceError) -> Card {
        let fields = try source.fields(
            node, "a card", required: ["id", "title", "kind", "text", "tags", "source"], optional: ["ideas"])
        func text(_ key: String) throws(SourceError) -> String {
            // `fields` has checked that required keys exist.
            let value = try source.string(fields[key] ?? node, "\"\(key)\"")
            guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw source.fail(fields[key] ?? node, "\"\(key)\" is empty")
            }
            return value.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let id = try text("id")
        guard id.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) else {
            throw source.fail(node, "card id \"\(id)\" should use only lowercase letters, digits and '-'")
        }
        let kindName = try text("kind")
        guard let kind = Card.Kind(rawValue: kindName) else {
            let known = Card.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw source.fail(
                fields["kind"] ?? node, "card \"\(id)\" has unknown kind \"\(kindName)\" (known: \(known))")
        }
        let tagNode = fields["tags"] ?? node
        let tags = try source.strings(tagNode, "\"tags\"")
        for tag in tags where Theme(rawValue: tag) == nil && !(Intent(rawValue: tag)?.isPlanContent ?? false) {
            throw source.fail(tagNode, "card \"\(id)\" has tag \"\(tag)\", which is neither a theme nor a plan field")
        }
        let ideas = try fields["ideas"].map { node throws(SourceError) in try source.strings(node, "\"ideas\"") } ?? []
        return Card(
            id: id, title: try text("title"), kind: kind, text: try text("text"), tags: tags, ideas: ideas,
            source: try text("source"))
    }
}
