import Testing

@testable import SmallChangesCore
@testable import TextClassification

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

    @Test func aurocIsTheShareOfInScopeOutOfScopePairsOrderedRightWithTiesAsHalves() {
        let rows: [IntentEvaluation.Scored] = [
            .init(label: "a", predicted: "a", confidence: 0.9), .init(label: "a", predicted: "a", confidence: 0.5),
            .init(label: "oos", predicted: "a", confidence: 0.5), .init(label: "oos", predicted: "a", confidence: 0.1),
        ]
        #expect(IntentEvaluation.auroc(rows) == 3.5 / 4)
        #expect(IntentEvaluation.auroc(Array(rows.prefix(2))) == nil)
    }

    @Test func calibratedOnInScopeRowsAloneTheRunUsesTheRuleAndIgnoresOutOfScopeRows() {
        let options = IntentEvaluation.Options(calibration: .inScope)
        let report = IntentEvaluation.run(
            train: TextClassifierTests.examples,
            validation: OutOfScopeRuleTests.validation + [
                LabeledText(text: "who won the cup", label: "oos")
            ], test: ["rain tomorrow?", "quarterly tax return deadline extension"], options: options,
            nanoseconds: { 0 })
        guard case .rule(let rule) = report.rejection else {
            Issue.record("expected the out-of-scope rule, got \(report.rejection)")
            return
        }
        #expect(rule.level > 0)
        #expect(report.trials.count == 1)
        #expect(report.predictions.map(\.label) == ["weather", "oos"])
        #expect(report.predictions[0].confidence > report.predictions[1].confidence)
    }
}
