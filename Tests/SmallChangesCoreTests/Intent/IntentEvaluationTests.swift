import Testing

@testable import SmallChangesCore

@Suite struct IntentEvaluationTests {
    @Test func theThresholdRejectsOutOfScopeRowsWithinTheAccuracyBudget() {
        var rows: [IntentEvaluation.Scored] = (0..<200).map {
            .init(label: "a", predicted: "a", confidence: 0.5 + Double($0) / 400)
        }
        rows += (0..<10).map { .init(label: "oos", predicted: "a", confidence: 0.1 + Double($0) / 100) }
        let threshold = IntentEvaluation.chooseThreshold(rows, maxAccuracyLoss: 0.005)
        #expect(threshold > 0.19)
        #expect(threshold <= 0.5 + 1.0 / 400)
    }

    @Test func withoutOutOfScopeRowsNothingIsRejected() {
        let rows: [IntentEvaluation.Scored] = [.init(label: "a", predicted: "a", confidence: 0.9)]
        #expect(IntentEvaluation.chooseThreshold(rows) == -.infinity)
    }

    @Test func aRunPredictsEveryTestLineWithATrainingLabelOrOOS() {
        let train = TextClassifierTests.examples
        let validation = [
            LabeledText(text: "is it raining", label: "weather"), LabeledText(text: "play a tune", label: "music"),
            LabeledText(text: "wake me at 5", label: "alarm"), LabeledText(text: "who won the cup", label: "oos"),
        ]
        var tick: UInt64 = 0
        let report = IntentEvaluation.run(
            train: train, validation: validation, test: ["rain tomorrow?", "", "play jazz"],
            nanoseconds: {
                tick += 1000
                return tick
            })
        #expect(report.predictions.count == 3)
        #expect(report.predictions.allSatisfy { ["weather", "music", "alarm", "oos"].contains($0.label) })
        #expect(report.predictions.allSatisfy { $0.latencyMicroseconds == 1 })
    }
}
