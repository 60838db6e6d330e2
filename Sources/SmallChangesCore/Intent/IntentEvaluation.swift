/// The `smallchanges intents eval` contract (`notes/intent-eval.md`) as a pure function: train on labelled rows,
/// choose the out-of-scope threshold on validation rows, and predict every test text.
///
/// The caller reads the files and passes a clock, so this stays free of I/O and is the same code the command runs.
public enum IntentEvaluation {
    /// The label used for rejected texts, and for out-of-scope validation rows.
    public static let outOfScope = "oos"

    /// One test prediction and how long it took.
    public struct Prediction: Sendable, Hashable {
        /// A training label, or `oos` when rejected.
        public var label: String
        public var latencyMicroseconds: Double
    }

    /// Everything a run produced.
    public struct Report: Sendable {
        public var predictions: [Prediction]
        /// Time to build the matcher from the train and validation rows.
        public var trainMilliseconds: Double
        /// Texts whose best raw score is below this are rejected as `oos`.
        public var threshold: Double
        /// The fitted softmax temperature.
        public var temperature: Float
    }

    /// How a validation row was scored: its true label, the predicted label and the prediction's confidence (any
    /// score where higher means surer).
    public struct Scored: Sendable, Hashable {
        public var label: String
        public var predicted: String
        public var confidence: Double

        public init(label: String, predicted: String, confidence: Double) {
            self.label = label
            self.predicted = predicted
            self.confidence = confidence
        }
    }

    /// Trains, picks the threshold on `validation` (which may hold `oos` rows) and predicts each of `test`, timing
    /// each prediction with `nanoseconds` (a monotonic clock).
    ///
    /// A probe classifier trained on `train` alone scores the validation rows: the softmax temperature is fitted on
    /// the in-scope ones and the rejection threshold chosen by `chooseThreshold` on all of them, so the threshold is
    /// tuned on answers the probe has not seen. The final classifier is then trained on `train` plus the in-scope
    /// validation rows, with the probe's temperature and threshold. A text is rejected as `oos` when its best raw
    /// score is below the threshold (the raw score separates out-of-scope texts better than the probability).
    public static func run(
        train: [LabeledText], validation: [LabeledText], test: [String],
        configuration: TextClassifier.Configuration = TextClassifier.Configuration(),
        nanoseconds: () -> UInt64
    ) -> Report {
        let start = nanoseconds()
        let inScope = train.filter { $0.label != outOfScope }
        var probe = TextClassifier(examples: inScope, configuration: configuration)
        let validationInScope = validation.filter { $0.label != outOfScope && probe.labels.contains($0.label) }
        if !validationInScope.isEmpty { probe.calibrate(on: validationInScope) }
        let scored = validation.map { row in
            let best = probe.ranked(row.text, count: 1).first
            return Scored(
                label: row.label, predicted: best?.label ?? outOfScope, confidence: Double(best?.score ?? -.infinity))
        }
        let threshold = chooseThreshold(scored)
        var classifier = probe
        if !validationInScope.isEmpty {
            classifier = TextClassifier(examples: inScope + validationInScope, configuration: configuration)
            classifier.setTemperature(probe.temperature)
        }
        let trainMilliseconds = Double(nanoseconds() - start) / 1e6
        var predictions: [Prediction] = []
        predictions.reserveCapacity(test.count)
        for text in test {
            let before = nanoseconds()
            let best = classifier.ranked(text, count: 1).first
            let label = best.map { Double($0.score) < threshold ? outOfScope : $0.label } ?? outOfScope
            let latency = Double(nanoseconds() - before) / 1e3
            predictions.append(Prediction(label: label, latencyMicroseconds: latency))
        }
        return Report(
            predictions: predictions, trainMilliseconds: trainMilliseconds, threshold: threshold,
            temperature: classifier.temperature)
    }

    /// The rejection threshold that maximises out-of-scope recall while giving up at most `maxAccuracyLoss` of
    /// in-scope accuracy (absolute, 0...1) compared with rejecting nothing; minus infinity (reject nothing) when the
    /// rows hold no out-of-scope example. Rows are rejected when their confidence is below the threshold.
    ///
    /// A conversation pays more for turning away a real answer than for answering an off-topic one, so the rule
    /// spends a small, fixed budget of in-scope accuracy rather than balancing the two rates.
    public static func chooseThreshold(_ rows: [Scored], maxAccuracyLoss: Double = 0.003) -> Double {
        let inScope = rows.filter { $0.label != outOfScope }
        let outside = rows.filter { $0.label == outOfScope }
        guard !inScope.isEmpty, !outside.isEmpty else { return -.infinity }
        let correct = inScope.filter { $0.predicted == $0.label }.map(\.confidence).sorted()
        let baseline = Double(correct.count) / Double(inScope.count)
        let candidates = Array(Set(rows.map(\.confidence))).sorted()
        var best = -Double.infinity
        var bestRecall = -1.0
        var lost = 0
        for threshold in candidates {
            // Correct in-scope rows rejected at this threshold: those with confidence below it.
            while lost < correct.count && correct[lost] < threshold { lost += 1 }
            let accuracy = Double(correct.count - lost) / Double(inScope.count)
            if baseline - accuracy > maxAccuracyLoss + 1e-12 { break }
            let recall = Double(outside.filter { $0.confidence < threshold }.count) / Double(outside.count)
            if recall > bestRecall {
                bestRecall = recall
                best = threshold
            }
        }
        return best
    }
}
