import Foundation
import Testing

@testable import SmallChangesCore
@testable import TextClassification

@Suite struct TextClassifierTests {
    static let examples: [LabeledText] = [
        ("what's the weather like today", "weather"), ("will it rain tomorrow", "weather"),
        ("is it going to be sunny this weekend", "weather"), ("how cold is it outside", "weather"),
        ("forecast for tomorrow please", "weather"), ("do I need an umbrella", "weather"),
        ("play some music", "music"), ("put on my favourite song", "music"), ("play the next track", "music"),
        ("turn the music up", "music"), ("I want to hear some jazz", "music"), ("skip this song", "music"),
        ("set an alarm for 7am", "alarm"), ("wake me up at six", "alarm"), ("cancel my alarm", "alarm"),
        ("set a wake up alarm", "alarm"), ("change my alarm to 8", "alarm"), ("alarm for tomorrow morning", "alarm"),
    ].map { LabeledText(text: $0.0, label: $0.1) }

    @Test func learnsLabelsAndToleratesTyposAndWordOrder() {
        let classifier = TextClassifier(examples: Self.examples)
        #expect(classifier.labels == ["alarm", "music", "weather"])
        #expect(classifier.ranked("will it rian tomorow").first?.label == "weather")
        #expect(classifier.ranked("song next play").first?.label == "music")
        #expect(classifier.ranked("alarm at 7 please").first?.label == "alarm")
    }

    @Test func probabilitiesSumToOneAndRankingIsByScore() {
        let classifier = TextClassifier(examples: Self.examples)
        let scores = classifier.scores("play some jazz")
        let probabilities = classifier.probabilities(scores: scores)
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-9)
        let ranked = classifier.ranked(scores: scores, count: 3)
        #expect(ranked.map(\.score) == ranked.map(\.score).sorted(by: >))
    }

    @Test func trainingIsTheSameOnOneThreadOrTwo() {
        let one = TextClassifier(examples: Self.examples, configuration: .init(threads: 1))
        let two = TextClassifier(examples: Self.examples, configuration: .init(threads: 2))
        for text in ["will it rain", "play jazz", "wake me at 9", "something else entirely"] {
            #expect(one.scores(text) == two.scores(text))
        }
    }

    @Test func calibrationFindsTheTemperatureWithTheLeastLogLoss() throws {
        var classifier = TextClassifier(examples: Self.examples)
        let heldOut = [
            LabeledText(text: "rain later?", label: "weather"), LabeledText(text: "play a song", label: "music"),
            LabeledText(text: "is it sunny", label: "weather"), LabeledText(text: "wake me up at 7", label: "alarm"),
        ]
        let rows = try heldOut.map { example in
            let label = try #require(classifier.labels.firstIndex(of: example.label))
            return (scores: classifier.scores(example.text), label: label)
        }
        func logLoss(_ temperature: Float) -> Double {
            rows.reduce(0) { total, row in
                let probability = TextClassifier.softmaxProbability(row.scores, of: row.label, temperature: temperature)
                return total - log(max(probability, 1e-12))
            }
        }
        classifier.calibrate(on: heldOut)
        // No temperature on a fine grid over the searched range (0.002 to 5) does better than the one fitted.
        let grid = (0...200).map { Float(exp(log(0.002) + Double($0) / 200 * (log(5.0) - log(0.002)))) }
        let best = grid.map(logLoss).min() ?? 0
        #expect(logLoss(classifier.temperature) <= best + 1e-4)
    }

    @Test func britishSpellingsAreFoldedOntoAmericanOnes() {
        #expect(
            TextFeatures.words("Colour-code the programme, organised by theatre") == [
                "color", "code", "the", "program", "organized", "by", "theater",
            ])
        #expect(TextFeatures.words("don't") == ["dont"])
        #expect(TextFeatures.words("Café") == ["cafe"])
    }
}
