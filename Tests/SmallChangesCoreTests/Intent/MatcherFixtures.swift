import Foundation
import SmallChangesTesting
import Testing

@testable import SmallChangesCore

/// The real training data and domain test set, loaded once for every matcher test.
enum MatcherFixtures {
    static var packageRoot: URL { PackageRoot.url }

    static func prompt(_ name: String) -> String {
        (try? String(contentsOf: packageRoot.appendingPathComponent("Prompts/\(name)"), encoding: .utf8)) ?? ""
    }

    static let examples: IntentExamples? = try? IntentExamples.parse(
        intentsYAML: prompt("intents.yaml"), intentsFile: "Prompts/intents.yaml",
        themesYAML: prompt("themes.yaml"), themesFile: "Prompts/themes.yaml")

    static let matcher: IntentMatcher? = examples.map { IntentMatcher(examples: $0) }

    /// The held-out domain cases; a missing or broken file stops the tests, so no test loops over nothing.
    static let domainCases: [RoutingCase] = {
        guard let url = Bundle.module.url(forResource: "domain-test", withExtension: "jsonl", subdirectory: "Fixtures"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("Fixtures/domain-test.jsonl is missing from the test bundle") }
        do {
            let cases = try RoutingCase.parseLines(text, file: "domain-test.jsonl")
            guard !cases.isEmpty else { fatalError("Fixtures/domain-test.jsonl holds no cases") }
            return cases
        } catch {
            fatalError("Fixtures/domain-test.jsonl does not parse: \(error)")
        }
    }()
}
