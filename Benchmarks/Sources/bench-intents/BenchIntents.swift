import ArgumentParser
import BenchmarkSupport
import Dispatch
import Foundation
import SmallChangesCore
import SmallChangesTesting
import TextClassification

/// `bench-intents`: a report on speed and quality: the product matcher on the domain test set, and CLINC150.
@main
struct BenchIntents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-intents",
        abstract: "Report training time, latency, memory and accuracy of the matcher.",
        discussion: "Build with -c release for meaningful times."
    )

    @Option(name: .long, help: "CLINC150 as clinc150.json (default: ../shared/data/clinc150/ beside the package).")
    var clinc: String?

    @Option(name: .long, help: "A folder holding Prompts/ and Corpus/ (default: the package's own).")
    var prompts: String?

    @Option(
        name: .long, help: "The domain test set (default: Tests/SmallChangesCoreTests/Fixtures/domain-test.jsonl).")
    var domain: String?

    @Option(name: .long, help: "How many times each answer is routed to measure latency.")
    var repetitions = 50

    @Flag(name: .long, help: "Skip CLINC150.")
    var noClinc = false

    @Flag(name: .long, help: "List the domain cases the matcher gets wrong.")
    var misses = false

    @Flag(
        name: .long,
        help: "Only cross-validate the theme model candidates on themes.yaml and print the table (no test set).")
    var selectThemes = false

    func run() throws {
        let clock = { DispatchTime.now().uptimeNanoseconds }
        let root = prompts.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? PackageRoot.url
        let sources = PackageGuide.sources(root: root)
        let examples = try IntentExamples.parse(
            intentsYAML: sources.intents.text, intentsFile: sources.intents.name, themesYAML: sources.themes.text,
            themesFile: sources.themes.name)
        if selectThemes {
            printThemeSelection(examples, clock: clock)
            return
        }
        var trainTimes: [Double] = []
        var matcher = IntentMatcher(examples: examples)
        for _ in 0..<5 {
            let start = clock()
            matcher = IntentMatcher(examples: examples)
            trainTimes.append(Double(clock() - start) / 1e6)
        }
        print("product matcher")
        print(
            "  train: \(format(median(trainTimes))) ms median, \(format(trainTimes.min() ?? 0)) ms best of 5 "
                + "(\(examples.intentTexts.count) intent and \(examples.themeTexts.count) theme examples)")
        let domainPath =
            domain
            ?? root.appendingPathComponent(
                "Tests/SmallChangesCoreTests/Fixtures/domain-test.jsonl"
            ).path
        if let text = try? String(contentsOfFile: domainPath, encoding: .utf8) {
            let cases = try RoutingCase.parseLines(text, file: domainPath)
            let score = DomainScore(matcher: matcher, cases: cases)
            print("  domain intent accuracy: \(percent(score.intentAccuracy)) (\(score.cases) cases)")
            print(
                "  domain theme accuracy: \(percent(score.themeAccuracy)) (\(score.themeCases) barriers and ideas)")
            let named = Double(score.themeNamed)
            print(
                "  domain building blocks named: \(percent(named / Double(max(1, score.themeCases)))) of them, "
                    + "right when named: \(percent(Double(score.themeNamedCorrect) / max(1, named)))")
            var latencies: [Double] = []
            latencies.reserveCapacity(cases.count * repetitions)
            for _ in 0..<repetitions {
                for routingCase in cases {
                    let start = clock()
                    let routing = matcher.route(routingCase.text, expecting: routingCase.expect)
                    latencies.append(Double(clock() - start) / 1e3)
                    _ = routing.confidence
                }
            }
            latencies.sort()
            print(
                "  route latency: p50 \(format(latencies.percentile(0.5))) us, p99 "
                    + "\(format(latencies.percentile(0.99))) us (\(latencies.count) routings)")
            if misses {
                for miss in score.misses {
                    let expected = "\(miss.routingCase.intent.rawValue)/\(miss.routingCase.theme?.rawValue ?? "-")"
                    let got = "\(miss.intent.rawValue)/\(miss.theme?.rawValue ?? "-")"
                    print(
                        "    miss: expect=\(miss.routingCase.expect?.rawValue ?? "nil") want=\(expected) "
                            + "got=\(got)  \(miss.routingCase.text)")
                }
            }
        } else {
            print("  domain test set: not found at \(domainPath)")
        }
        if !noClinc {
            let path =
                clinc
                ?? root.deletingLastPathComponent()
                .appendingPathComponent("shared/data/clinc150/clinc150.json").path
            if FileManager.default.fileExists(atPath: path) {
                try benchCLINC(path: path, clock: clock)
            } else {
                print("CLINC150: not found at \(path) (pass --clinc PATH)")
            }
        }
        print("peak memory: \(ProcessUsage.peakMemory())")
    }

    /// The cross-validation table of `ThemeModelSelection`, best first, with the winner marked.
    private func printThemeSelection(_ examples: IntentExamples, clock: () -> UInt64) {
        let start = clock()
        let results = ThemeModelSelection.crossValidate(examples)
        let seconds = Double(clock() - start) / 1e9
        let best = CrossValidation.best(results)
        let folds = results.first?.foldAccuracies.count ?? 0
        print(
            "theme model selection: 5-fold cross-validation x 2 repeats on \(examples.themeTexts.count) theme "
                + "examples (\(folds) held-out folds per candidate, \(String(format: "%.1f", seconds)) s)")
        print("  accuracy   +-se   candidate")
        let ranked = results.enumerated().sorted {
            $0.element.correct != $1.element.correct
                ? $0.element.correct > $1.element.correct : $0.offset < $1.offset
        }
        for (offset, result) in ranked {
            let marks = (result == best ? "*" : " ") + (offset == 0 ? "d" : " ")
            print(
                "\(marks) \(percent(result.accuracy))  \(String(format: "%.2f", result.standardError * 100))  "
                    + result.candidate.name)
        }
        print("  * chosen (highest accuracy, ties to the earlier candidate); d = the previous default")
    }

    private func benchCLINC(path: String, clock: @escaping () -> UInt64) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let object = try JSONSerialization.jsonObject(with: data)
        guard let splits = object as? [String: Any] else { throw ValidationError("\(path): not a JSON object") }
        func rows(_ name: String) -> [LabeledText] {
            (splits[name] as? [[Any]] ?? []).compactMap { pair in
                guard pair.count == 2, let text = pair[0] as? String, let label = pair[1] as? String else {
                    return nil
                }
                return LabeledText(text: text, label: label)
            }
        }
        let train = rows("train").filter { $0.label != IntentEvaluation.outOfScope }
        let validation = rows("val")
        let test = rows("test")
        let singleStart = clock()
        let single = TextClassifier(examples: train)
        let singleMilliseconds = Double(clock() - singleStart) / 1e6
        let report = IntentEvaluation.run(
            train: train, validation: validation, test: test.map(\.text), nanoseconds: clock)
        var inScope = 0
        var inScopeCorrect = 0
        var outside = 0
        var rejected = 0
        for (row, prediction) in zip(test, report.predictions) {
            if row.label == IntentEvaluation.outOfScope {
                outside += 1
                if prediction.label == IntentEvaluation.outOfScope { rejected += 1 }
            } else {
                inScope += 1
                if prediction.label == row.label { inScopeCorrect += 1 }
            }
        }
        let latencies = report.predictions.map(\.latencyMicroseconds).sorted()
        print("CLINC150 (\(train.count) train, \(validation.count) val, \(test.count) test rows)")
        print(
            "  one training on the \(train.count) train rows (\(single.labels.count) labels): "
                + "\(format(singleMilliseconds)) ms")
        print(
            "  eval train_ms: \(format(report.trainMilliseconds)) ms (probe on train, threshold on val, final "
                + "model on train + val)")
        print(
            "  rejection (chosen on val): \(report.rejection), temperature "
                + "\(String(format: "%.4f", report.temperature))")
        print("  in-scope accuracy: \(percent(Double(inScopeCorrect) / Double(max(1, inScope))))")
        print("  out-of-scope recall: \(percent(Double(rejected) / Double(max(1, outside))))")
        print(
            "  predict latency: p50 \(format(latencies.percentile(0.5))) us, p99 "
                + "\(format(latencies.percentile(0.99))) us")
    }

    private func median(_ values: [Double]) -> Double { values.sorted().percentile(0.5) }

    private func format(_ value: Double) -> String { String(format: "%.1f", value) }

    private func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }
}
