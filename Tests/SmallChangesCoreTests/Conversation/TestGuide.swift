import Foundation

@testable import SmallChangesCore

/// The real Prompts/ and Corpus/ of this package, loaded once for the tests.
enum TestGuide {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    static func files(_ folder: String, excluding: Set<String> = []) -> [(name: String, text: String)] {
        let url = root.appendingPathComponent(folder)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") && !excluding.contains($0) }.sorted()
        return names.map { name in
            ("\(folder)/\(name)", (try? String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)) ?? "")
        }
    }

    static func file(_ path: String) -> (name: String, text: String) {
        (path, (try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) ?? "")
    }

    static var sources: Guide.Sources {
        Guide.Sources(
            flows: files("Prompts", excluding: ["intents.yaml", "themes.yaml"]),
            intents: file("Prompts/intents.yaml"), themes: file("Prompts/themes.yaml"), cards: files("Corpus"))
    }

    static let guide: Guide = {
        do {
            return try Guide.build(from: sources)
        } catch {
            fatalError("the package's own Prompts/ and Corpus/ should load: \(error)")
        }
    }()

    static func conversation(_ flow: String, participants: [String] = []) -> Conversation {
        guard let flow = guide.flow(flow) else { fatalError("no flow \(flow)") }
        return Conversation(guide: guide, flow: flow, participants: participants)
    }

    static let now = Date(timeIntervalSince1970: 1_800_000_000)
}
