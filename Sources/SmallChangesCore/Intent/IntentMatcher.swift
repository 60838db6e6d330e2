public import TextClassification

/// The product's matcher: routes every free-text answer to an `Intent`, with a calibrated
/// confidence, a theme for barriers and ideas, alternatives, and the items of a list answer.
///
/// It is trained at start from `IntentExamples` (the data in `Prompts/`), with the general `TextClassifier`: one
/// classifier for the 21 intents and one for the 11 themes. The question's expected intent is a prior added to the
/// scores, not a rule, so "Sam" answering "who will hold you to account?" is `support` while a barrier given to the
/// principles question is still `barrier`. Routing is deterministic: the same examples and answer always give the
/// same `Routing`. A class, though immutable: one reference is cheaper to pass around and capture than its arrays.
public final class IntentMatcher: Sendable {
    /// How the matcher weighs context and when it rejects or asks to confirm.
    public struct Configuration: Sendable, Hashable {
        /// Features and training of the intent classifier.
        public var classifier: TextClassifier.Configuration
        /// Features and training of the theme classifier (when its features equal the intents', an answer is hashed
        /// once for both).
        public var themeClassifier: TextClassifier.Configuration
        /// Added to the expected intent's score (scores are SVM margins, roughly -1...1).
        public var expectedBoost: Float
        /// Below this probability for the best intent, the answer is out of scope.
        public var rejectBelow: Double
        /// When the two best intents are closer than this in probability, the conversation confirms.
        public var confirmMargin: Double

        /// Creates a configuration. The defaults keep training within a few tens of milliseconds: few passes for the
        /// intents (more barely changed accuracy) and, for the themes, the winner of `ThemeModelSelection`'s
        /// cross-validation on the theme examples: naive Bayes with light smoothing on the intents' features (so an
        /// answer is hashed once for both), which beat every SVM tried.
        public init(
            classifier: TextClassifier.Configuration = TextClassifier.Configuration(
                features: TextFeatures(charNGrams: 3...5), cost: 0.5, maxEpochs: 5),
            themeClassifier: TextClassifier.Configuration = TextClassifier.Configuration(
                features: TextFeatures(charNGrams: 3...5), wordWeight: 2, model: .naiveBayes(smoothing: 0.01)),
            expectedBoost: Float = 0.4, rejectBelow: Double = 0.2, confirmMargin: Double = 0.15
        ) {
            self.classifier = classifier
            self.themeClassifier = themeClassifier
            self.expectedBoost = expectedBoost
            self.rejectBelow = rejectBelow
            self.confirmMargin = confirmMargin
        }
    }

    public let configuration: Configuration
    let intents: TextClassifier
    let themes: TextClassifier
    /// Column of each intent in `intents.labels`, indexed like `Intent.allCases`; -1 for an intent without examples.
    private let intentColumn: [Int]
    private let intentOfColumn: [Intent]

    /// Trains the matcher on `examples` with the default configuration.
    public convenience init(examples: IntentExamples) {
        self.init(examples: examples, configuration: Configuration())
    }

    /// Trains the matcher on `examples`.
    ///
    /// The intent classifier, the probe that calibrates it and the theme classifier are independent, so they train
    /// at the same time; each depends only on its examples, so the matcher is the same on any number of cores.
    public convenience init(examples: IntentExamples, configuration: Configuration) {
        let intentTexts = examples.intentTexts
        let themeTexts = examples.themeTexts
        let intentFeatures = configuration.classifier.features
        let themeFeatures = configuration.themeClassifier.features
        let hashed = [(intentTexts, intentFeatures), (themeTexts, themeFeatures)].concurrentMap { texts, features in
            texts.map { features.hashed($0.text) }
        }
        let intentHashed = hashed[0]
        let intentLabels = intentTexts.map(\.label)
        let split = Self.calibrationSplit(intentLabels)
        let themeLabels = themeTexts.map(\.label)
        let themeSplit = Self.calibrationSplit(themeLabels)
        let trained = [TrainingJob.intents, .probe, .themes, .themeProbe].concurrentMap { job in
            switch job {
            case .intents:
                return TextClassifier(
                    hashedTexts: intentHashed, labels: intentLabels, configuration: configuration.classifier)
            case .probe:
                return Self.calibratedProbe(
                    hashedTexts: intentHashed, labels: intentLabels, split: split,
                    configuration: configuration.classifier)
            case .themes:
                return TextClassifier(
                    hashedTexts: hashed[1], labels: themeLabels, configuration: configuration.themeClassifier)
            case .themeProbe:
                return Self.calibratedProbe(
                    hashedTexts: hashed[1], labels: themeLabels, split: themeSplit,
                    configuration: configuration.themeClassifier)
            }
        }
        var intents = trained[0]
        if !split.fitting.isEmpty && !split.heldOut.isEmpty { intents.setTemperature(trained[1].temperature) }
        var themes = trained[2]
        // The theme's probability is calibrated the same way, so "name it only when more likely right than wrong"
        // means what it says.
        if !themeSplit.fitting.isEmpty && !themeSplit.heldOut.isEmpty { themes.setTemperature(trained[3].temperature) }
        self.init(configuration: configuration, intents: intents, themes: themes)
    }

    /// A matcher from classifiers already trained with `configuration`: just trained, or read back
    /// (`init(decoding:configuration:)`).
    init(configuration: Configuration, intents: TextClassifier, themes: TextClassifier) {
        self.configuration = configuration
        self.intents = intents
        self.themes = themes
        intentOfColumn = intents.labels.map { Intent(rawValue: $0) ?? .oos }
        intentColumn = Intent.allCases.map { intent in intents.labels.firstIndex(of: intent.rawValue) ?? -1 }
    }

    /// The three classifiers trained when the matcher starts.
    private enum TrainingJob: Sendable {
        case intents, probe, themes, themeProbe
    }

    /// Every fifth example of each label is held out to calibrate the confidence; the rest train the probe.
    private static func calibrationSplit(_ labels: [String]) -> (fitting: [Int], heldOut: [Int]) {
        var seen: [String: Int] = [:]
        var fitting: [Int] = []
        var heldOut: [Int] = []
        for (index, label) in labels.enumerated() {
            let count = seen[label, default: 0]
            seen[label] = count + 1
            if count % 5 == 4 { heldOut.append(index) } else { fitting.append(index) }
        }
        return (fitting, heldOut)
    }

    /// A probe trained on the fitting examples, with its softmax temperature fitted on the held-out ones: the
    /// full classifier takes that temperature, so confidence is calibrated on answers the probe has not seen.
    private static func calibratedProbe(
        hashedTexts: [HashedText], labels: [String], split: (fitting: [Int], heldOut: [Int]),
        configuration: TextClassifier.Configuration
    ) -> TextClassifier {
        var probe = TextClassifier(
            hashedTexts: split.fitting.map { hashedTexts[$0] }, labels: split.fitting.map { labels[$0] },
            configuration: configuration)
        probe.calibrate(scored: split.heldOut.map { (probe.scores(hashed: hashedTexts[$0]), labels[$0]) })
        return probe
    }

    /// Routes one answer, given the intent the current question expects (`nil` when none).
    public func route(_ text: String, expecting: Intent?) -> Routing {
        let counted = CountedText(configuration.classifier.features.hashed(text))
        let ranked = rank(counted, expecting: expecting)
        var routing = decide(ranked, counted: counted, text: text)
        // A bare name or role answering a who-question looks like nothing else to the classifier.
        if expecting == .support, routing.intent != .support, PersonReference.isWholeAnswer(text) {
            routing = Routing(
                intent: .support, confidence: max(routing.confidence, 0.9),
                alternatives: [
                    Routing.Alternative(intent: routing.intent, confidence: 1 - max(routing.confidence, 0.9))
                ])
        }
        if routing.intent.isPlanContent {
            routing.items = items(of: text, whole: routing.intent)
        }
        return routing
    }

    /// Intents ranked by probability after the context prior.
    private func rank(_ counted: CountedText, expecting: Intent?) -> [TextClassifier.Candidate] {
        var scores = intents.scores(counted: counted)
        guard !scores.isEmpty else { return [] }
        func column(_ intent: Intent) -> Int? {
            let index = intentColumn[Intent.allCases.firstIndex(of: intent) ?? 0]
            return index >= 0 ? index : nil
        }
        if let expecting, expecting != .oos, let expected = column(expecting) {
            scores[expected] += configuration.expectedBoost
        }
        // "No" to "anything else?" means the list is done; "nothing" to a yes/no question means no.
        if let done = column(.done), let no = column(.no) {
            if let expecting, expecting.isPlanContent {
                scores[done] = max(scores[done], scores[no])
                scores[no] -= 1
            } else if expecting == .yes || expecting == .no {
                scores[no] = max(scores[no], scores[done])
                scores[done] -= 1
            }
        }
        return intents.ranked(scores: scores, count: 4)
    }

    private func decide(_ ranked: [TextClassifier.Candidate], counted: CountedText, text: String) -> Routing {
        guard let best = ranked.first else { return Routing(intent: .oos, confidence: 0) }
        let bestIntent = intentOfColumn[best.index]
        let runnerUp = ranked.dropFirst().first?.probability ?? 0
        let rejected = bestIntent != .oos && best.probability < configuration.rejectBelow
        let intent: Intent = rejected ? .oos : bestIntent
        let confidence = rejected ? 1 - best.probability : best.probability
        var alternatives: [Routing.Alternative] = []
        alternatives.reserveCapacity(3)
        for candidate in ranked where alternatives.count < 3 && intentOfColumn[candidate.index] != intent {
            alternatives.append(
                Routing.Alternative(intent: intentOfColumn[candidate.index], confidence: candidate.probability))
        }
        let reading = intent.hasTheme ? themeReading(counted, text: text) : nil
        let needsConfirm = !rejected && intent != .oos && best.probability - runnerUp < configuration.confirmMargin
        return Routing(
            intent: intent, confidence: confidence, theme: reading?.theme, alternatives: alternatives,
            needsConfirm: needsConfirm, themeOptions: reading?.options)
    }

    /// The building block the matcher would name for a barrier or idea: `nil` when it is not sure enough.
    public func namedTheme(of text: String) -> Theme? {
        let counted = CountedText(configuration.classifier.features.hashed(text))
        return themeReading(counted, text: text).theme
    }

    /// The building block a barrier or idea touches most.
    public func theme(of text: String) -> Theme? {
        themes.ranked(text, count: 1).first.flatMap { Theme(rawValue: $0.label) }
    }

    /// The theme of an answer already counted for the intents, reusing that counting when the features agree.
    private func theme(_ counted: CountedText, text: String) -> Theme? {
        themeReading(counted, text: text).theme
    }

    /// The building block named only when the calibrated theme model finds it more likely right than wrong;
    /// otherwise no block, and the two likeliest to offer.
    private func themeReading(_ counted: CountedText, text: String) -> (theme: Theme?, options: [Theme]?) {
        let ranked =
            configuration.themeClassifier.features == configuration.classifier.features
            ? themes.ranked(scores: themes.scores(counted: counted), count: 2) : themes.ranked(text, count: 2)
        let likeliest = ranked.compactMap { Theme(rawValue: $0.label) }
        guard let best = ranked.first, let theme = likeliest.first else { return (nil, nil) }
        if best.probability >= Self.themeConfidence { return (theme, nil) }
        return (nil, likeliest.count == 2 ? likeliest : nil)
    }

    /// A building block is named when its calibrated probability is at least this: more likely right than wrong.
    static let themeConfidence = 0.5

    /// The separate items of a list answer, each routed with the whole answer's intent as its prior. Clauses
    /// joined by "and" stay apart only when each is confidently of that intent; a laid-out list always splits.
    private func items(of text: String, whole: Intent) -> [Routing.Item] {
        let (pieces, kind) = AnswerSplitter.pieces(text)
        guard pieces.count >= 2 else { return [] }
        var items: [Routing.Item] = []
        for piece in pieces {
            let counted = CountedText(configuration.classifier.features.hashed(piece))
            let ranked = rank(counted, expecting: whole)
            guard let best = ranked.first else { return [] }
            let candidate = intentOfColumn[best.index]
            if kind == .clauses, candidate != whole || best.probability < Self.clauseConfidence { return [] }
            let intent = candidate.isPlanContent ? candidate : whole
            items.append(
                Routing.Item(text: piece, intent: intent, theme: intent.hasTheme ? theme(counted, text: piece) : nil))
        }
        return items
    }

    /// How sure the matcher must be of each clause before an "and" splits an answer in two.
    static let clauseConfidence = 0.6
}
