import MCP
import SmallChangesCore

/// The resources: each stored plan as Markdown and as JSON, and every corpus card, under `smallchanges://` URIs.
enum ResourceCatalog {
    static let plansPrefix = "smallchanges://plans/"
    static let cardsPrefix = "smallchanges://cards/"

    static let templates: [Resource.Template] = [
        .init(
            uriTemplate: plansPrefix + "{id}.md", name: "plan-markdown", title: "A session's plan (Markdown)",
            description: "The plan of session {id}, with what it still lacks.", mimeType: "text/markdown"),
        .init(
            uriTemplate: plansPrefix + "{id}.json", name: "plan-json", title: "A session's plan (JSON)",
            description: "The plan of session {id}, field by field.", mimeType: "application/json"),
        .init(
            uriTemplate: cardsPrefix + "{id}", name: "card", title: "A corpus card",
            description: "A barrier, building block, change or way of working from the workshops.",
            mimeType: "text/markdown"),
    ]

    /// What a resource URI names.
    enum Target: Equatable {
        case plan(session: String, format: String)
        case card(String)
    }

    static func target(of uri: String) -> Target? {
        if uri.hasPrefix(plansPrefix) {
            let name = uri.dropFirst(plansPrefix.count)
            for (suffix, format) in [(".md", "markdown"), (".json", "json")] where name.hasSuffix(suffix) {
                let session = name.dropLast(suffix.count)
                return session.isEmpty ? nil : .plan(session: String(session), format: format)
            }
            return nil
        }
        if uri.hasPrefix(cardsPrefix) {
            let id = uri.dropFirst(cardsPrefix.count)
            return id.isEmpty ? nil : .card(String(id))
        }
        return nil
    }

    /// A card as a short Markdown page.
    static func markdown(_ card: Card) -> String {
        var text = "# \(card.title)\n\n\(card.text)\n"
        if !card.ideas.isEmpty { text += "\n" + card.ideas.map { "- \($0)" }.joined(separator: "\n") + "\n" }
        text += "\n_\(card.kind.rawValue) · \(card.source)_\n"
        return text
    }
}

extension MCPService {
    func resources() async throws -> [Resource] {
        let listing = try await engine.call("session/list")
        var resources: [Resource] = []
        for session in listing.objectValue?["sessions"]?.arrayValue ?? [] {
            guard let record = session.objectValue, let id = record["id"]?.stringValue else { continue }
            let about = [record["flow"], record["stage"], record["readiness"]].compactMap { $0?.stringValue }
                .joined(separator: " · ")
            resources.append(
                Resource(
                    name: "plan \(id)", uri: ResourceCatalog.plansPrefix + id + ".md", title: "Plan \(id) (Markdown)",
                    description: about, mimeType: "text/markdown"))
            resources.append(
                Resource(
                    name: "plan \(id) json", uri: ResourceCatalog.plansPrefix + id + ".json",
                    title: "Plan \(id) (JSON)",
                    description: about, mimeType: "application/json"))
        }
        for card in guide.corpus.cards {
            resources.append(
                Resource(
                    name: card.id, uri: ResourceCatalog.cardsPrefix + card.id, title: card.title,
                    description: card.source, mimeType: "text/markdown"))
        }
        return resources
    }

    func read(_ uri: String) async throws -> ReadResource.Result {
        switch ResourceCatalog.target(of: uri) {
        case .plan(let session, let format):
            let export: Value
            do {
                export = try await engine.call(
                    "plan/export", ["sessionId": .string(session), "format": .string(format)])
            } catch {
                // -32002 is MCP's "resource not found"; other failures (a busy store) keep the engine's code.
                guard error.code == -32010 || error.isProtocolError else {
                    throw MCPError.serverError(code: error.code, message: error.message)
                }
                throw MCPError.serverError(code: -32002, message: "resource not found: \(error.message)")
            }
            let content = export.objectValue?["content"]?.stringValue ?? ""
            let mimeType = format == "json" ? "application/json" : "text/markdown"
            return ReadResource.Result(contents: [.text(content, uri: uri, mimeType: mimeType)])
        case .card(let id):
            guard let card = guide.corpus.card(id) else {
                throw MCPError.serverError(code: -32002, message: "resource not found: no card has this id")
            }
            return ReadResource.Result(
                contents: [.text(ResourceCatalog.markdown(card), uri: uri, mimeType: "text/markdown")])
        case nil:
            throw MCPError.serverError(code: -32002, message: "resource not found: not a smallchanges:// plan or card")
        }
    }
}
