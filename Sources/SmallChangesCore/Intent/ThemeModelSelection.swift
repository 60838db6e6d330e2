public import TextClassification

/// How the theme classifier's model was chosen: cross-validation on the theme examples (`Prompts/themes.yaml`)
/// alone, never on the domain test set, over a fixed grid of models, feature recipes and block weights.
///
/// The rule is fixed in advance: the candidate with the highest cross-validated accuracy wins, and a tie goes to the
/// earlier candidate (the one the matcher used before comes first). `smallchanges intents bench --select-themes`
/// prints the table; the winner is then written into `IntentMatcher.Configuration`'s default by hand.
public enum ThemeModelSelection {
    /// The configurations tried, the previous default first.
    public static var candidates: [CrossValidation.Candidate] {
        let recipes: [(name: String, features: TextFeatures)] = [
            ("theme c2-5", TextFeatures(skipBigrams: false, boundaryWords: false, lengthFeature: false)),
            (
                "theme c3-5",
                TextFeatures(charNGrams: 3...5, skipBigrams: false, boundaryWords: false, lengthFeature: false)
            ),
            ("intent", IntentMatcher.Configuration().classifier.features),
        ]
        let weights: [(word: Float, char: Float)] = [(1, 1), (2, 1), (0.5, 1), (1, 0)]
        let models: [TextClassifier.Model] =
            [0.1, 0.01, 0.03, 0.3, 1].map { .naiveBayes(smoothing: $0) }
            + Array(
                repeating: .supportVectorMachine, count: 4)
        let costs: [Float] = [1, 1, 1, 1, 1, 0.25, 0.5, 1, 2]
        var candidates: [CrossValidation.Candidate] = []
        for recipe in recipes {
            for weight in weights {
                for (model, cost) in zip(models, costs) {
                    let modelName =
                        switch model {
                        case .naiveBayes(let smoothing): "NB alpha=\(smoothing)"
                        case .supportVectorMachine: "SVM C=\(cost)"
                        }
                    candidates.append(
                        CrossValidation.Candidate(
                            name: "\(modelName), \(recipe.name), word \(weight.word) char \(weight.char)",
                            configuration: TextClassifier.Configuration(
                                features: recipe.features, wordWeight: weight.word, charWeight: weight.char,
                                cost: cost, model: model)))
                }
            }
        }
        return candidates
    }

    /// Cross-validates every candidate on the theme examples; results are in the order of `candidates`.
    public static func crossValidate(
        _ examples: IntentExamples, candidates: [CrossValidation.Candidate] = candidates, folds: Int = 5,
        repeats: Int = 2
    ) -> [CrossValidation.Result] {
        CrossValidation.evaluate(
            examples: examples.themeTexts, candidates: candidates, folds: folds, repeats: repeats)
    }
}
