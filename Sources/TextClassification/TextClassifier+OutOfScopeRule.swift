extension TextClassifier {
    /// Out-of-scope rejection calibrated for one trained classifier from in-scope answers alone, so it carries to
    /// any dataset: an answer is rejected when its top-two margin or its similarity to the predicted label's
    /// centroid is lower than all but a small share of in-scope answers the classifier had not seen.
    ///
    /// The two signals fail differently. The margin is low when two labels both fit (an answer between intents);
    /// the similarity is low when the answer shares little with the examples of the label it won, however clearly
    /// it won (an answer from elsewhere, where every machine votes no and the least negative wins). Each signal is
    /// turned into its in-scope quantile (the share of the fitting answers below it), and the rule rejects when
    /// the lower of the two is under `level`: one level for both, chosen so the rule keeps the asked share of the
    /// fitting answers. No out-of-scope example is needed; with some, `level` can be tuned on them instead
    /// (`withLevel(_:)`).
    public struct OutOfScopeRule: Sendable, Equatable {
        /// What the rule reads from one answer's ranking.
        public struct Evidence: Sendable, Hashable {
            /// The best candidate's margin over the second, in the rule's `MarginKind`.
            public var margin: Float
            /// The best candidate's `similarityToCentroid`.
            public var similarity: Float

            public init(margin: Float, similarity: Float) {
                self.margin = margin
                self.similarity = similarity
            }

            /// The evidence of `ranked` (best first, ranked from a text so candidates carry similarities); `nil`
            /// when there is no candidate or no similarity. A lone candidate has the largest possible margin.
            public init?(_ ranked: [Candidate], margin kind: MarginKind) {
                guard let best = ranked.first, let similarity = best.similarityToCentroid else { return nil }
                let second = ranked.dropFirst().first
                switch kind {
                case .probability:
                    margin = Float(best.probability - (second?.probability ?? 0))
                case .score:
                    margin = second.map { best.score - $0.score } ?? .greatestFiniteMagnitude
                }
                self.similarity = similarity
            }
        }

        /// Which top-two margin the rule reads.
        public enum MarginKind: String, Sendable, Hashable, CaseIterable {
            /// Between the calibrated probabilities: bounded, and flat once the best label is sure.
            case probability
            /// Between the raw scores: keeps ordering answers the softmax already calls certain.
            case score
        }

        public let marginKind: MarginKind
        /// Answers whose lower in-scope quantile is below this are rejected (0 rejects nothing).
        public let level: Double
        /// The fitting answers' margins and similarities, each sorted: the in-scope distribution of each signal.
        private let margins: [Float]
        private let similarities: [Float]

        /// A rule that keeps `keep` (0...1) of `inScope`, the evidence of in-scope answers held out from training.
        /// With no evidence the rule rejects nothing.
        public static func fit(inScope: [Evidence], keep: Double = 0.95, margin kind: MarginKind) -> OutOfScopeRule {
            let rule = OutOfScopeRule(
                marginKind: kind, level: 0, margins: inScope.map(\.margin).sorted(),
                similarities: inScope.map(\.similarity).sorted())
            let quantiles = inScope.map(rule.quantile).sorted()
            // Rows strictly below the level are rejected: the quantile at the rejected share rejects at most that.
            let rejected = Int((Double(quantiles.count) * (1 - min(max(keep, 0), 1))).rounded(.down))
            guard rejected > 0 else { return rule }
            return rule.withLevel(quantiles[min(rejected, quantiles.count - 1)])
        }

        private init(marginKind: MarginKind, level: Double, margins: [Float], similarities: [Float]) {
            self.marginKind = marginKind
            self.level = level
            self.margins = margins
            self.similarities = similarities
        }

        /// The same rule rejecting below another level, for example one tuned on out-of-scope examples.
        public func withLevel(_ level: Double) -> OutOfScopeRule {
            OutOfScopeRule(marginKind: marginKind, level: level, margins: margins, similarities: similarities)
        }

        /// The lower of the two signals' in-scope quantiles (0...1): how in-scope the answer looks, higher meaning
        /// surer, comparable across classifiers. The rule rejects below `level`.
        public func quantile(_ evidence: Evidence) -> Double {
            guard !margins.isEmpty else { return 1 }
            let below = min(
                Self.countBelow(evidence.margin, in: margins), Self.countBelow(evidence.similarity, in: similarities))
            return Double(below) / Double(margins.count)
        }

        /// Whether the answer with this evidence is out of scope.
        public func rejects(_ evidence: Evidence) -> Bool {
            quantile(evidence) < level
        }

        /// Whether the answer ranked so (best first, ranked from its text) is out of scope; an empty ranking is.
        public func rejects(_ ranked: [Candidate]) -> Bool {
            guard let evidence = Evidence(ranked, margin: marginKind) else { return ranked.isEmpty }
            return rejects(evidence)
        }

        /// The margin below which answers are rejected whatever their similarity (the level's in-scope quantile).
        public var marginThreshold: Float { Self.value(atQuantile: level, in: margins) }

        /// The similarity below which answers are rejected whatever their margin.
        public var similarityThreshold: Float { Self.value(atQuantile: level, in: similarities) }

        /// How many of `sorted` are strictly below `value`, by binary search.
        private static func countBelow(_ value: Float, in sorted: [Float]) -> Int {
            var low = 0
            var high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if sorted[middle] < value { low = middle + 1 } else { high = middle }
            }
            return low
        }

        private static func value(atQuantile quantile: Double, in sorted: [Float]) -> Float {
            guard !sorted.isEmpty else { return -.infinity }
            let index = Int((quantile * Double(sorted.count)).rounded(.up))
            return index <= 0 ? -.infinity : sorted[min(index, sorted.count) - 1].nextUp
        }
    }
}
