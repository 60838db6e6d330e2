/// Stratified k-fold cross-validation of `TextClassifier` configurations on training examples alone: how a model and
/// its hyperparameters are chosen without ever looking at a test set.
///
/// Each label's examples are shuffled with a fixed seed and dealt round the folds, so every fold holds about the same
/// share of every label and the same examples always give the same folds. Each candidate is trained on all folds but
/// one and scored on the one left out, for every fold and every repeat (a repeat reshuffles with the next seed).
public enum CrossValidation {
    /// One configuration to try, with a short name for tables.
    public struct Candidate: Sendable, Hashable {
        public var name: String
        public var configuration: TextClassifier.Configuration

        public init(name: String, configuration: TextClassifier.Configuration) {
            self.name = name
            self.configuration = configuration
        }
    }

    /// How one candidate did on the held-out folds.
    public struct Result: Sendable, Hashable {
        public var candidate: Candidate
        /// Accuracy on each held-out fold, fold by fold and repeat by repeat.
        public var foldAccuracies: [Double]
        /// Held-out examples predicted correctly, over all folds and repeats.
        public var correct: Int
        /// Held-out examples, over all folds and repeats.
        public var total: Int

        /// The share of held-out examples predicted correctly.
        public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

        /// The standard error of the mean fold accuracy: how far apart two candidates must be to mean something.
        public var standardError: Double {
            let count = Double(foldAccuracies.count)
            guard count > 1 else { return 0 }
            let mean = foldAccuracies.reduce(0, +) / count
            let variance = foldAccuracies.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1)
            return (variance / count).squareRoot()
        }
    }

    /// The fold (0 ..< `count`) of each example, stratified by label: each label's examples in a shuffled order
    /// (fixed by `seed`) are dealt to the folds in turn.
    public static func folds(labels: [String], count: Int, seed: UInt64) -> [Int] {
        let count = max(1, count)
        var indicesOfLabel: [String: [Int]] = [:]
        for (index, label) in labels.enumerated() { indicesOfLabel[label, default: []].append(index) }
        var fold = [Int](repeating: 0, count: labels.count)
        var random = StableRandom(seed: seed)
        // Labels in sorted order, so the shuffles never depend on dictionary order.
        for label in indicesOfLabel.keys.sorted() {
            var indices = indicesOfLabel[label] ?? []
            random.shuffle(&indices, count: indices.count)
            for (position, index) in indices.enumerated() { fold[index] = position % count }
        }
        return fold
    }

    /// Scores every candidate by `folds`-fold cross-validation on `examples`, repeated `repeats` times with fresh
    /// shuffles; results are in the order of `candidates`.
    public static func evaluate(
        examples: [LabeledText], candidates: [Candidate], folds: Int = 5, repeats: Int = 2, seed: UInt64 = 0xF01D
    ) -> [Result] {
        let labels = examples.map(\.label)
        let splits = (0..<max(1, repeats)).map { Self.folds(labels: labels, count: folds, seed: seed &+ UInt64($0)) }
        // Texts are hashed once per feature recipe, not once per candidate and fold.
        var hashedByFeatures: [TextFeatures: [HashedText]] = [:]
        return candidates.map { candidate in
            let features = candidate.configuration.features
            let hashed =
                hashedByFeatures[features]
                ?? {
                    let hashed = examples.map { features.hashed($0.text) }
                    hashedByFeatures[features] = hashed
                    return hashed
                }()
            var result = Result(candidate: candidate, foldAccuracies: [], correct: 0, total: 0)
            for split in splits {
                for heldOut in 0..<max(1, folds) {
                    let training = split.indices.filter { split[$0] != heldOut }
                    let testing = split.indices.filter { split[$0] == heldOut }
                    guard !training.isEmpty, !testing.isEmpty else { continue }
                    let classifier = TextClassifier(
                        hashedTexts: training.map { hashed[$0] }, labels: training.map { labels[$0] },
                        configuration: candidate.configuration)
                    let correct = testing.filter { index in
                        classifier.ranked(scores: classifier.scores(hashed: hashed[index]), count: 1).first?.label
                            == labels[index]
                    }.count
                    result.foldAccuracies.append(Double(correct) / Double(testing.count))
                    result.correct += correct
                    result.total += testing.count
                }
            }
            return result
        }
    }

    /// The result with the highest accuracy; an earlier result wins a tie, so list the incumbent first.
    public static func best(_ results: [Result]) -> Result? {
        var best: Result?
        for result in results where best.map({ result.correct > $0.correct }) ?? true {
            best = result
        }
        return best
    }
}
