import Foundation
import Testing

@testable import SmallChangesCore

@Suite struct DataFileTests {
    static let sourceTitles: Set<String> = [
        "Small Changes project", "Designing for systems-changing frontline workers",
        "11 building blocks for bottom-up change", "Shifting mindsets, shifting practice",
        "Making radical efficiency a reality",
    ]

    @Test func theCorpusHasEveryBuildingBlockAndCreditsItsSources() {
        let corpus = TestGuide.guide.corpus
        #expect(corpus.cards.count >= 40)
        for theme in Theme.allCases {
            #expect(corpus.block(theme)?.ideas.isEmpty == false, "no building block card with ideas for \(theme)")
        }
        for card in corpus.cards {
            #expect(Self.sourceTitles.contains(card.source), "\(card.id) credits an unknown source \"\(card.source)\"")
        }
    }

    @Test func everyShippedFlowLoads() {
        let ids = Set(TestGuide.guide.flows.map(\.id))
        #expect(ids.isSuperset(of: ["plan", "reflect", "review"]))
    }

    /// A flow file with a valid header (six lines) and the given steps after it.
    static func brokenFlow(_ steps: String) -> String {
        """
        id: broken
        title: Broken
        summary: s
        welcome: w
        farewell: f
        steps:
        \(steps)
        """
    }

    @Test func anUnknownFieldIsReportedWithFileAndLine() {
        let text = Self.brokenFlow(
            """
              - id: aim
                stage: Sparking
                field: aimm
                ask: "What is your aim?"
                source: "PDSA"
            """)
        #expect(
            throws: SourceError(
                file: "Prompts/broken.yaml", line: 9,
                "step \"aim\" has field \"aimm\", which the plan does not have (known: \(PlanField.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        ) {
            try Flow.parse(text, file: "Prompts/broken.yaml", corpus: TestGuide.guide.corpus)
        }
    }

    @Test func aListStepWithoutAFollowUpQuestionIsRejected() {
        let text = Self.brokenFlow(
            """
              - id: barriers
                stage: Inspiring
                field: barriers
                collect: list
                ask: "What gets in the way?"
                source: "Workshop 1"
            """)
        do {
            _ = try Flow.parse(text, file: "Prompts/broken.yaml", corpus: TestGuide.guide.corpus)
            Issue.record("a list step with no follow-up should not load")
        } catch {
            #expect(error.description.hasPrefix("Prompts/broken.yaml:7:"))
            #expect(error.description.contains("no \"more\" question"))
        }
    }

    @Test func invalidYAMLIsReportedWithItsLine() {
        do {
            _ = try Flow.parse("id: x\nsteps: [\n  - oops: {\n", file: "Prompts/x.yaml", corpus: TestGuide.guide.corpus)
            Issue.record("broken YAML should not load")
        } catch {
            #expect(error.description.hasPrefix("Prompts/x.yaml:"))
            #expect(error.line > 0)
        }
    }

    @Test func aStepOfferingAnUnknownCardIsRejected() {
        let text = Self.brokenFlow(
            """
              - id: aim
                stage: Sparking
                field: aim
                ask: "What is your aim?"
                source: "PDSA"
                examples: [no-such-card]
            """)
        do {
            _ = try Flow.parse(text, file: "Prompts/broken.yaml", corpus: TestGuide.guide.corpus)
            Issue.record("an unknown card should not load")
        } catch {
            #expect(error.description.contains("no-such-card"))
        }
    }
}
