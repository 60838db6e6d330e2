import Testing

@testable import SmallChangesCore
@testable import TextClassification

@Suite struct OutOfScopeRuleTests {
    /// Held-out in-scope answers for the three labels of `TextClassifierTests.examples`: each request in five
    /// settings, 75 in all, so 5% of them is a few rows.
    static let validation: [LabeledText] = [
        (["is it raining", "will it be sunny", "how hot is it", "whats the forecast", "do I need a coat"], "weather"),
        (["play a tune", "put some jazz on", "next song please", "turn the song up", "play my music"], "music"),
        (
            ["wake me at 5", "set my alarm for 6am", "cancel the alarm", "alarm at 7", "change my wake up time"],
            "alarm"
        ),
    ].flatMap { requests, label in
        requests.flatMap { request in
            ["", " today", " tomorrow", " please", " this weekend"].map {
                LabeledText(text: request + $0, label: label)
            }
        }
    }

    static func fitted(keep: Double = 0.95) -> (TextClassifier, TextClassifier.OutOfScopeRule) {
        let classifier = TextClassifier(examples: TextClassifierTests.examples)
        let evidence = validation.compactMap {
            TextClassifier.OutOfScopeRule.Evidence(classifier.ranked($0.text, count: 2), margin: .probability)
        }
        return (classifier, TextClassifier.OutOfScopeRule.fit(inScope: evidence, keep: keep, margin: .probability))
    }

    @Test func aTextFarFromEveryCentroidIsRejectedAndAnInScopeOneIsKept() throws {
        let (classifier, rule) = Self.fitted()
        let far = classifier.ranked("quarterly tax return deadline extension", count: 2)
        #expect(try #require(far.first?.similarityToCentroid) < rule.similarityThreshold)
        #expect(rule.rejects(far))
        #expect(!rule.rejects(classifier.ranked("will it rain tomorrow afternoon", count: 2)))
    }

    @Test(arguments: [0.95, 0.9, 0.8])
    func theLevelKeepsAtLeastTheAskedShareOfInScopeValidationRows(keep: Double) {
        let (classifier, rule) = Self.fitted(keep: keep)
        let kept = Self.validation.filter { !rule.rejects(classifier.ranked($0.text, count: 2)) }
        #expect(Double(kept.count) >= keep * Double(Self.validation.count))
        #expect(rule.level > 0)
    }

    @Test func similarityToTheOwnCentroidIsHighestForATrainingText() throws {
        let classifier = TextClassifier(examples: TextClassifierTests.examples)
        let similarities = classifier.similarities("set an alarm for 7am")
        let alarm = try #require(classifier.labels.firstIndex(of: "alarm"))
        #expect(similarities.indices.allSatisfy { similarities[$0] <= similarities[alarm] })
        #expect(similarities[alarm] > 0 && similarities[alarm] <= 1 + 1e-5)
    }

    @Test func withNoInScopeEvidenceTheRuleRejectsNothing() {
        let rule = TextClassifier.OutOfScopeRule.fit(inScope: [], margin: .score)
        #expect(!rule.rejects(TextClassifier.OutOfScopeRule.Evidence(margin: 0, similarity: 0)))
    }
}
