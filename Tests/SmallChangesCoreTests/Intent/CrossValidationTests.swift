import Testing

@testable import SmallChangesCore
@testable import TextClassification

@Suite struct CrossValidationTests {
    @Test func foldsAreStratifiedByLabelAndTheSameOnEveryRun() {
        let labels = (0..<30).map { $0 < 20 ? "a" : "b" }
        let folds = CrossValidation.folds(labels: labels, count: 5, seed: 7)
        #expect(folds == CrossValidation.folds(labels: labels, count: 5, seed: 7))
        #expect(folds != CrossValidation.folds(labels: labels, count: 5, seed: 8))
        for fold in 0..<5 {
            #expect(zip(labels, folds).filter { $0 == ("a", fold) }.count == 4)
            #expect(zip(labels, folds).filter { $0 == ("b", fold) }.count == 2)
        }
    }

    @Test func everyExampleIsHeldOutOncePerRepeatAndTheIncumbentWinsATie() {
        let examples = TextClassifierTests.examples
        let candidate = CrossValidation.Candidate(name: "default", configuration: TextClassifier.Configuration())
        var twin = candidate
        twin.name = "twin"
        let results = CrossValidation.evaluate(examples: examples, candidates: [candidate, twin], folds: 3, repeats: 2)
        #expect(results.map(\.total) == [examples.count * 2, examples.count * 2])
        #expect(results.allSatisfy { $0.foldAccuracies.count == 6 && (0...1).contains($0.accuracy) })
        #expect(results[0].correct == results[1].correct)
        #expect(CrossValidation.best(results)?.candidate.name == "default")
    }

    @Test func thePreviousThemeModelIsTheFirstCandidate() {
        let first = ThemeModelSelection.candidates.first?.configuration
        #expect(first?.model == .naiveBayes(smoothing: 0.1))
        #expect(first?.features == TextFeatures(skipBigrams: false, boundaryWords: false, lengthFeature: false))
    }

    @Test func concurrentMapKeepsTheOrderOfTheElements() {
        let squares = Array(0..<50).concurrentMap { $0 * $0 }
        #expect(squares == (0..<50).map { $0 * $0 })
    }
}
