import Foundation

/// A general text classifier over string labels, learned from examples: the engine under the intent matcher, and
/// the one `smallchanges intents eval` measures on any dataset.
///
/// Texts become TF-IDF vectors of hashed word and character n-grams (`TextFeatures`), and one linear support vector
/// machine per label (one-vs-rest, squared hinge loss) is trained by dual coordinate descent, as LIBLINEAR does (or,
/// for tiny data sets, multinomial naive Bayes). Scores turn into probabilities with a softmax whose temperature is
/// fitted on held-out examples (`calibrate(on:)`), so the top probability can serve as a confidence; the raw top
/// score is the better out-of-scope test.
///
/// Training is deterministic: labels are sorted, columns are numbered in example order, and the only shuffle uses a
/// fixed-seed generator. Each label's machine is trained independently, so training them on several threads gives
/// exactly the same weights as on one.
public struct TextClassifier: Sendable {
    /// The knobs of feature extraction and training; the defaults were chosen on CLINC150 (150 intents, 100
    /// examples each).
    public struct Configuration: Sendable, Hashable {
        /// How texts become hashed n-grams.
        public var features: TextFeatures
        /// Weight of the word n-gram block relative to the character block.
        public var wordWeight: Float
        /// Weight of the character n-gram block.
        public var charWeight: Float
        /// How much n-grams never seen in training shorten the vector, as a multiple of the highest idf; 0 ignores
        /// them (see `TextVectorizer`).
        public var unseenWeight: Float
        /// The SVM's cost C: higher fits the training examples more closely.
        public var cost: Float
        /// At most this many passes of coordinate descent per label.
        public var maxEpochs: Int
        /// Stop when the projected gradient spread falls below this (LIBLINEAR's eps).
        public var tolerance: Float
        /// Seed of the one shuffle of the training rows, which fixes the order of every pass.
        public var seed: UInt64
        /// Threads used to train labels in parallel; results do not depend on it.
        public var threads: Int
        /// The kind of linear model learned from the vectors.
        public var model: Model
        /// A row outside the margin by more than this is set aside for the rest of a label's training (until a
        /// final check): LIBLINEAR's shrinking, made more eager so most of the rest drop out after one pass.
        public var shrinkMargin: Float

        /// Creates a configuration; every argument has a default that suits short texts.
        public init(
            features: TextFeatures = TextFeatures(), wordWeight: Float = 1.2, charWeight: Float = 1,
            unseenWeight: Float = 1, cost: Float = 1.5, maxEpochs: Int = 20, tolerance: Float = 0.05,
            seed: UInt64 = 0x5EED, threads: Int = 2, shrinkMargin: Float = 0.2, model: Model = .supportVectorMachine
        ) {
            self.features = features
            self.wordWeight = wordWeight
            self.charWeight = charWeight
            self.unseenWeight = unseenWeight
            self.cost = cost
            self.maxEpochs = maxEpochs
            self.tolerance = tolerance
            self.seed = seed
            self.threads = threads
            self.shrinkMargin = shrinkMargin
            self.model = model
        }
    }

    /// The kind of linear model.
    public enum Model: Sendable, Hashable {
        /// One-vs-rest linear SVMs (squared hinge loss): the most accurate, trained in passes over the data.
        case supportVectorMachine
        /// Multinomial naive Bayes with additive smoothing: trained in one pass, competitive on tiny data sets.
        case naiveBayes(smoothing: Float)
    }

    /// One label with its raw score, calibrated probability and how near the text lies to the label's examples.
    public struct Candidate: Sendable, Hashable {
        public var label: String
        /// Position of `label` in `labels`.
        public var index: Int
        public var score: Float
        public var probability: Double
        /// Cosine similarity of the text's vector to the centroid of the label's training vectors: low when the
        /// text shares little with any example of the label, however the machines voted. `nil` when the candidate
        /// was ranked from scores alone.
        public var similarityToCentroid: Float?
    }

    /// Every label seen in training, sorted.
    public let labels: [String]
    public let configuration: Configuration
    /// Softmax temperature: scores are divided by it before the softmax.
    public private(set) var temperature: Float
    let vectorizer: TextVectorizer
    /// Weights by column then label: `weights[column * labels.count + label]`, so one column's weights are
    /// contiguous and scoring reads memory in order.
    private let weights: [Float]
    private let bias: [Float]
    private let centroids: CentroidTable

    /// Trains on `examples`; an empty list gives a classifier with no labels.
    public init(examples: [LabeledText], configuration: Configuration = Configuration()) {
        self.init(
            hashedTexts: examples.map { configuration.features.hashed($0.text) }, labels: examples.map(\.label),
            configuration: configuration)
    }

    /// Trains on texts already hashed with `configuration.features`, so callers training several classifiers on
    /// the same texts hash them once.
    package init(hashedTexts: [HashedText], labels exampleLabels: [String], configuration: Configuration) {
        let labels = Array(Set(exampleLabels)).sorted()
        var indexOfLabel: [String: Int32] = [:]
        for (index, label) in labels.enumerated() { indexOfLabel[label] = Int32(index) }
        let (vectorizer, vectors) = TextVectorizer.fit(
            features: configuration.features, hashedTexts: hashedTexts, wordWeight: configuration.wordWeight,
            charWeight: configuration.charWeight, unseenWeight: configuration.unseenWeight)
        let labelIndices = exampleLabels.map { indexOfLabel[$0] ?? 0 }
        let weights: [Float]
        let bias: [Float]
        switch configuration.model {
        case .supportVectorMachine:
            (weights, bias) = Self.trainSVM(
                vectors: vectors, labels: labelIndices, labelCount: labels.count,
                columnCount: vectorizer.columnCount, configuration: configuration)
        case .naiveBayes(let smoothing):
            (weights, bias) = Self.trainNaiveBayes(
                vectors: vectors, labels: labelIndices, labelCount: labels.count,
                columnCount: vectorizer.columnCount, smoothing: smoothing)
        }
        self.labels = labels
        self.configuration = configuration
        self.temperature = 0.1
        self.vectorizer = vectorizer
        self.weights = weights
        self.bias = bias
        centroids = CentroidTable(
            vectors: vectors, labels: labelIndices, labelCount: labels.count, columnCount: vectorizer.columnCount)
    }

    /// One-vs-rest SVMs; weights by column then label, and the bias of each label.
    private static func trainSVM(
        vectors: [SparseVector], labels: [Int32], labelCount: Int, columnCount: Int, configuration: Configuration
    ) -> (weights: [Float], bias: [Float]) {
        // Rows are stored once in a fixed shuffled order: the solver walks them in storage order, which reads memory
        // sequentially and still mixes the labels.
        var order = Array(vectors.indices)
        var random = StableRandom(seed: configuration.seed)
        random.shuffle(&order, count: order.count)
        let matrix = TrainingMatrix(
            vectors: order.map { vectors[$0] }, labels: order.map { labels[$0] }, columnCount: columnCount)
        let solution = OneVsRestSVM.train(matrix: matrix, labelCount: labelCount, configuration: configuration)
        let width = matrix.width
        var weights = [Float](repeating: 0, count: columnCount * labelCount)
        var bias = [Float](repeating: 0, count: labelCount)
        solution.withUnsafeBufferPointer { labelMajor in
            weights.withUnsafeMutableBufferPointer { columnMajor in
                for label in 0..<labelCount {
                    for column in 0..<columnCount {
                        columnMajor[column * labelCount + label] = labelMajor[label * width + column]
                    }
                    bias[label] = labelMajor[label * width + columnCount] * TrainingMatrix.biasValue
                }
            }
        }
        return (weights, bias)
    }

    /// Multinomial naive Bayes over the TF-IDF values (as scikit-learn's `MultinomialNB` on TF-IDF): weights are
    /// smoothed log feature probabilities per label and the bias is the log prior. One pass, no iterations.
    private static func trainNaiveBayes(
        vectors: [SparseVector], labels: [Int32], labelCount: Int, columnCount: Int, smoothing: Float
    ) -> (weights: [Float], bias: [Float]) {
        var counts = [Float](repeating: 0, count: columnCount * labelCount)
        var totals = [Float](repeating: 0, count: labelCount)
        var examples = [Float](repeating: 0, count: labelCount)
        for (vector, label) in zip(vectors, labels) {
            let label = Int(label)
            examples[label] += 1
            for (column, value) in zip(vector.columns, vector.values) {
                counts[Int(column) * labelCount + label] += value
                totals[label] += value
            }
        }
        let alpha = max(smoothing, 1e-6)
        let denominators = totals.map { logf($0 + alpha * Float(columnCount)) }
        // Most counts are zero (a column belongs to few labels), and log(0 + alpha) is the same every time.
        let logAlpha = logf(alpha)
        counts.withUnsafeMutableBufferPointer { counts in
            for column in 0..<columnCount {
                for label in 0..<labelCount {
                    let index = column * labelCount + label
                    let count = counts[index]
                    counts[index] = (count == 0 ? logAlpha : logf(count + alpha)) - denominators[label]
                }
            }
        }
        let total = Float(max(1, vectors.count))
        return (counts, examples.map { logf(max($0, 1) / total) })
    }

    /// The raw score of every label for `text`, in the order of `labels`.
    public func scores(_ text: String) -> [Float] {
        scores(vector: vectorizer.vector(text))
    }

    /// Scores from text already hashed with `configuration.features` (classifiers with the same features can share
    /// one hashing of an answer).
    package func scores(hashed: HashedText) -> [Float] {
        scores(vector: vectorizer.vector(hashed: hashed))
    }

    /// Scores from n-grams already counted (see `CountedText`), for classifiers sharing features.
    package func scores(counted: CountedText) -> [Float] {
        scores(vector: vectorizer.vector(counted: counted))
    }

    func scores(vector: SparseVector) -> [Float] {
        var result = bias
        let labelCount = labels.count
        guard labelCount > 0 else { return result }
        weights.withUnsafeBufferPointer { weights in
            result.withUnsafeMutableBufferPointer { result in
                for (column, value) in zip(vector.columns, vector.values) {
                    let row = weights.baseAddress.map { $0 + Int(column) * labelCount }
                    guard let row else { continue }
                    for label in 0..<labelCount { result[label] += value * row[label] }
                }
            }
        }
        return result
    }

    /// The cosine similarity of `text` to the centroid of each label's training vectors, in the order of `labels`.
    public func similarities(_ text: String) -> [Float] {
        centroids.similarities(vectorizer.vector(text))
    }

    /// The similarity of a vector (see `vector(counted:)`) to the centroid of the label at `index` alone: what a
    /// caller ranking adjusted scores adds to its few best candidates.
    func similarityToCentroid(of index: Int, vector: SparseVector) -> Float {
        centroids.similarity(vector, label: index)
    }

    /// The vector of n-grams already counted, for callers scoring it and then asking for similarities.
    func vector(counted: CountedText) -> SparseVector {
        vectorizer.vector(counted: counted)
    }

    /// Calibrated probabilities of every label from its scores (softmax at `temperature`).
    public func probabilities(scores: [Float]) -> [Double] {
        Self.softmax(scores, temperature: temperature)
    }

    /// The `count` most likely labels for `text`, best first, ties broken by label order.
    public func ranked(_ text: String, count: Int = 3) -> [Candidate] {
        let vector = vectorizer.vector(text)
        var candidates = ranked(scores: scores(vector: vector), count: count)
        for position in candidates.indices {
            candidates[position].similarityToCentroid = centroids.similarity(vector, label: candidates[position].index)
        }
        return candidates
    }

    /// The `count` most likely labels given precomputed (possibly adjusted) scores, and optionally the similarities
    /// to the centroids (from `similarities(_:)`) to give each candidate.
    public func ranked(scores: [Float], similarities: [Float]? = nil, count: Int = 3) -> [Candidate] {
        let probabilities = probabilities(scores: scores)
        var best: [Int] = []
        best.reserveCapacity(count + 1)
        for index in scores.indices {
            var position = best.count
            while position > 0 && scores[best[position - 1]] < scores[index] { position -= 1 }
            if position < count {
                best.insert(index, at: position)
                if best.count > count { best.removeLast() }
            }
        }
        return best.map {
            Candidate(
                label: labels[$0], index: $0, score: scores[$0], probability: probabilities[$0],
                similarityToCentroid: similarities?[$0])
        }
    }

    /// Fits `temperature` to minimise the negative log-likelihood of `examples` (labels unknown to the classifier
    /// are ignored), so probabilities mean what they say. Examples should be held out from training.
    public mutating func calibrate(on examples: [LabeledText]) {
        calibrate(scored: examples.map { (scores($0.text), $0.label) })
    }

    /// Fits the temperature on precomputed scores and the true label of each.
    package mutating func calibrate(scored: [(scores: [Float], label: String)]) {
        var rows: [(scores: [Float], label: Int)] = []
        for row in scored {
            guard let label = labels.firstIndex(of: row.label) else { continue }
            rows.append((row.scores, label))
        }
        if !rows.isEmpty { temperature = Self.fitTemperature(rows) }
    }

    /// The temperature minimising the negative log-likelihood of `rows`, by golden-section search on its logarithm
    /// between 0.002 and 5.
    static func fitTemperature(_ rows: [(scores: [Float], label: Int)]) -> Float {
        guard !rows.isEmpty else { return 0.1 }
        func loss(_ logTemperature: Double) -> Double {
            let temperature = Float(exp(logTemperature))
            var total = 0.0
            for row in rows {
                total -= log(max(softmaxProbability(row.scores, of: row.label, temperature: temperature), 1e-12))
            }
            return total
        }
        var low = log(0.002)
        var high = log(5.0)
        let ratio = (5.0.squareRoot() - 1) / 2
        var left = high - ratio * (high - low)
        var right = low + ratio * (high - low)
        var leftLoss = loss(left)
        var rightLoss = loss(right)
        for _ in 0..<40 {
            if leftLoss <= rightLoss {
                high = right
                right = left
                rightLoss = leftLoss
                left = high - ratio * (high - low)
                leftLoss = loss(left)
            } else {
                low = left
                left = right
                leftLoss = rightLoss
                right = low + ratio * (high - low)
                rightLoss = loss(right)
            }
        }
        return Float(exp((low + high) / 2))
    }

    /// Sets the softmax temperature directly (for example, one fitted on another classifier with the same data).
    public mutating func setTemperature(_ value: Float) {
        temperature = max(value, 1e-4)
    }

    /// `softmax(scores, temperature:)[label]`, computed the same way without building the array.
    static func softmaxProbability(_ scores: [Float], of label: Int, temperature: Float) -> Double {
        guard let top = scores.max() else { return 0 }
        let inverse = 1 / Double(temperature)
        var total = 0.0
        var chosen = 0.0
        for (index, score) in scores.enumerated() {
            let term = exp((Double(score) - Double(top)) * inverse)
            total += term
            if index == label { chosen = term }
        }
        return chosen / total
    }

    static func softmax(_ scores: [Float], temperature: Float) -> [Double] {
        guard let top = scores.max() else { return [] }
        let inverse = 1 / Double(temperature)
        var result = scores.map { exp((Double($0) - Double(top)) * inverse) }
        let total = result.reduce(0, +)
        for index in result.indices { result[index] /= total }
        return result
    }
}

extension TextClassifier {
    /// Writes everything training produced: labels, temperature, vocabulary, weights and centroids. The
    /// configuration is not written: it is the caller's to give again when reading.
    package func encode(into writer: inout ModelWriter) {
        writer.append(labels)
        writer.append(temperature)
        vectorizer.encode(into: &writer)
        writer.append(weights)
        writer.append(bias)
        centroids.encode(into: &writer)
    }

    /// Reads a classifier written by `encode(into:)` that was trained with `configuration`.
    package init(decoding reader: inout ModelReader, configuration: Configuration) throws(ModelDecodingError) {
        let labels = try reader.strings()
        let temperature = try reader.float()
        let vectorizer = try TextVectorizer(decoding: &reader, configuration: configuration)
        let weights = try reader.array(of: Float.self)
        let bias = try reader.array(of: Float.self)
        guard temperature.isFinite, temperature > 0, bias.count == labels.count,
            weights.count == vectorizer.columnCount * labels.count
        else { throw ModelDecodingError("a classifier whose parts do not fit together") }
        self.labels = labels
        self.configuration = configuration
        self.temperature = temperature
        self.vectorizer = vectorizer
        self.weights = weights
        self.bias = bias
        centroids = try CentroidTable(
            decoding: &reader, labelCount: labels.count, columnCount: vectorizer.columnCount)
    }
}
