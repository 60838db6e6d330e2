import Foundation
import SmallChangesCore

/// The real guide, built once from the package's Prompts/ and Corpus/ folders.
enum TestGuide {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let shared: Guide = build(flows: ["plan.yaml", "reflect.yaml"])

    /// With the pair flow too, for the shared-session tests.
    static let withPair: Guide = build(flows: ["plan.yaml", "reflect.yaml", "pair.yaml"])

    /// With the review flow too, for starting a review.
    static let withReview: Guide = build(flows: ["plan.yaml", "reflect.yaml", "review.yaml"])

    /// Only the flows these tests play, so a flow being edited elsewhere does not stop the others.
    private static func build(flows: Set<String>) -> Guide {
        func files(_ folder: String) -> [URL] {
            let url = root.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            return names.filter { $0.hasSuffix(".yaml") }.sorted().map { url.appendingPathComponent($0) }
        }
        func read(_ url: URL) -> (name: String, text: String) {
            (url.lastPathComponent, (try? String(contentsOf: url, encoding: .utf8)) ?? "")
        }
        let prompts = files("Prompts")
        let sources = Guide.Sources(
            flows: prompts.filter { flows.contains($0.lastPathComponent) }.map(read),
            intents: read(root.appendingPathComponent("Prompts/intents.yaml")),
            themes: read(root.appendingPathComponent("Prompts/themes.yaml")),
            cards: files("Corpus").map(read))
        do {
            return try Guide.build(from: sources)
        } catch {
            fatalError("the test guide does not build: \(error)")
        }
    }
}
