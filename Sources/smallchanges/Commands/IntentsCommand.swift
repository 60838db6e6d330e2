import ArgumentParser
import Dispatch
import Foundation
import SmallChangesCore
import TextClassification

/// `smallchanges intents`: measure the intent matcher, on any dataset (`eval`) or on ours and CLINC150 (`bench`).
struct IntentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intents",
        abstract: "Evaluate and benchmark the intent matcher.",
        subcommands: [Eval.self, Bench.self]
    )

    /// The rejection in words, for stderr and the bench report.
    static func describe(_ rejection: IntentEvaluation.Rejection) -> String {
        switch rejection {
        case .topScore(let threshold):
            return "best raw score below \(String(format: "%.4f", threshold))"
        case .rule(let rule):
            return "\(rule.marginKind.rawValue) margin below \(String(format: "%.4f", rule.marginThreshold)) "
                + "or centroid similarity below \(String(format: "%.4f", rule.similarityThreshold)) (in-scope "
                + "quantile \(String(format: "%.4f", rule.level)))"
        }
    }

    /// The `intents eval` contract of notes/intent-eval.md.
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Train on TRAIN.tsv, pick the out-of-scope rejection on VAL.tsv, predict each line of TEST.txt.",
            discussion: """
                Prints one line per test line, INTENT<TAB>LATENCY_US, where INTENT is a training label or 'oos', \
                plus '# train_ms=' and '# load_ms=' lines. With --scores, the confidence of each prediction (higher \
                means surer it is in scope; what AUROC is measured on) goes to that file, one number per test \
                line, for scripts/score-eval.py --scores. How each rejection did on VAL.tsv goes to stderr.
                """
        )

        @Option(name: .long, help: "INTENT<TAB>TEXT per line, in-scope rows only (see --oos-class).")
        var train: String

        @Option(name: .long, help: "INTENT<TAB>TEXT per line; INTENT may be 'oos'. May be empty.")
        var val: String

        @Option(name: .long, help: "One text per line.")
        var test: String

        @Option(name: .long, help: "Write each test line's confidence to this file, one per line.")
        var scores: String?

        @Option(
            name: .long,
            help: """
                'validation': tune on every VAL row and keep the better of the raw-score threshold and the \
                out-of-scope rule; 'in-scope': the rule keeping --keep of the in-scope VAL rows, oos rows unused.
                """)
        var calibrate = IntentEvaluation.Calibration.validation.rawValue

        @Option(name: .long, help: "The share of in-scope VAL rows the in-scope rule keeps.")
        var keep = 0.95

        @Option(name: .long, help: "The rule's top-two margin: 'probability' (calibrated) or 'score' (raw).")
        var margin = TextClassifier.OutOfScopeRule.MarginKind.probability.rawValue

        @Flag(name: .long, help: "Learn TRAIN rows labelled 'oos' as a label of their own (dropped otherwise).")
        var oosClass = false

        func validate() throws {
            guard IntentEvaluation.Calibration(rawValue: calibrate) != nil else {
                throw ValidationError("--calibrate is 'validation' or 'in-scope', not '\(calibrate)'")
            }
            guard TextClassifier.OutOfScopeRule.MarginKind(rawValue: margin) != nil else {
                throw ValidationError("--margin is 'score' or 'probability', not '\(margin)'")
            }
        }

        func run() throws {
            let clock = { DispatchTime.now().uptimeNanoseconds }
            let loadStart = clock()
            let trainRows = try MatcherFiles.labelledRows(train)
            let valRows = try MatcherFiles.labelledRows(val)
            let testTexts = try MatcherFiles.lines(test)
            let loadMilliseconds = Double(clock() - loadStart) / 1e6
            let options = IntentEvaluation.Options(
                calibration: IntentEvaluation.Calibration(rawValue: calibrate) ?? .validation, keep: keep,
                margin: TextClassifier.OutOfScopeRule.MarginKind(rawValue: margin) ?? .probability,
                outOfScopeClass: oosClass)
            let report = IntentEvaluation.run(
                train: trainRows, validation: valRows, test: testTexts, options: options, nanoseconds: clock)
            var output = "# load_ms=\(String(format: "%.3f", loadMilliseconds))\n"
            output += "# train_ms=\(String(format: "%.3f", report.trainMilliseconds))\n"
            for prediction in report.predictions {
                output += "\(prediction.label)\t\(String(format: "%.2f", prediction.latencyMicroseconds))\n"
            }
            FileHandle.standardOutput.write(Data(output.utf8))
            if let scores {
                let lines = report.predictions.map { "\($0.confidence)\n" }.joined()
                guard FileManager.default.createFile(atPath: scores, contents: Data(lines.utf8)) else {
                    MatcherFiles.note("\(scores): cannot be written")
                    throw ExitCode(2)
                }
            }
            MatcherFiles.note(
                "\(trainRows.count) train, \(valRows.count) val, \(testTexts.count) test rows; temperature "
                    + "\(report.temperature); calibrated on \(calibrate)")
            for (index, trial) in report.trials.enumerated() {
                let auroc = trial.auroc.map { String(format: "%.4f", $0) } ?? "-"
                MatcherFiles.note(
                    "\(index == 0 ? "chosen" : "tried"): \(IntentsCommand.describe(trial.rejection)); on val: in-scope "
                        + "\(percent(trial.inScopeAccuracy)), oos recall \(percent(trial.outOfScopeRecall)), "
                        + "AUROC \(auroc)")
            }
        }

        private func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }
    }

    /// A report on speed and quality: the product matcher on the domain test set, and CLINC150.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Report training time, latency, memory and accuracy of the matcher.",
            discussion: "Build with -c release for meaningful times."
        )

        @Option(name: .long, help: "CLINC150 as clinc150.json (default: ../shared/data/clinc150/ beside the package).")
        var clinc: String?

        @OptionGroup var guideOptions: GuideOptions

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
            let files = try MatcherFiles.locate(prompts: guideOptions.prompts)
            let examples = try files.examples()
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
                ?? files.root.appendingPathComponent(
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
                    "  route latency: p50 \(format(percentile(latencies, 0.5))) us, p99 "
                        + "\(format(percentile(latencies, 0.99))) us (\(latencies.count) routings)")
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
                    ?? files.root.deletingLastPathComponent()
                    .appendingPathComponent("shared/data/clinc150/clinc150.json").path
                if FileManager.default.fileExists(atPath: path) {
                    try benchCLINC(path: path, clock: clock)
                } else {
                    print("CLINC150: not found at \(path) (pass --clinc PATH)")
                }
            }
            print("peak memory: \(MatcherFiles.peakMemory())")
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
                "  rejection (chosen on val): \(IntentsCommand.describe(report.rejection)), temperature "
                    + "\(String(format: "%.4f", report.temperature))")
            print("  in-scope accuracy: \(percent(Double(inScopeCorrect) / Double(max(1, inScope))))")
            print("  out-of-scope recall: \(percent(Double(rejected) / Double(max(1, outside))))")
            print(
                "  predict latency: p50 \(format(percentile(latencies, 0.5))) us, p99 "
                    + "\(format(percentile(latencies, 0.99))) us")
        }

        private func median(_ values: [Double]) -> Double { percentile(values.sorted(), 0.5) }

        private func percentile(_ sorted: [Double], _ quantile: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            return sorted[min(sorted.count - 1, Int(quantile * Double(sorted.count)))]
        }

        private func format(_ value: Double) -> String { String(format: "%.1f", value) }

        private func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }
    }
}

/// The matcher's data files for `route` and `intents`: those of `--prompts DIR`, else of the folder the rest of
/// the program uses (see ``GuideSource``).
struct MatcherFiles {
    let source: GuideSource

    static func locate(prompts: String?) throws -> MatcherFiles {
        do {
            return MatcherFiles(source: try GuideSource.choose(prompts: prompts))
        } catch let error as UsageError {
            throw ValidationError(error.description)
        }
    }

    /// The folder the developer benchmarks find their default test sets from: the data folder given, else the
    /// current folder (the package, where they are run).
    var root: URL {
        switch source {
        case .folder(let url): url
        case .builtIn: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        }
    }

    func examples() throws -> IntentExamples {
        do {
            let sources = try source.sources()
            return try IntentExamples.parse(
                intentsYAML: sources.intents.text, intentsFile: sources.intents.name,
                themesYAML: sources.themes.text, themesFile: sources.themes.name)
        } catch {
            Self.note(error.description)
            throw ExitCode(2)
        }
    }

    func matcher() throws -> IntentMatcher {
        IntentMatcher(examples: try examples())
    }

    /// Rows of `INTENT<TAB>TEXT`; blank lines are skipped.
    static func labelledRows(_ path: String) throws -> [LabeledText] {
        var rows: [LabeledText] = []
        for (number, line) in try lines(path).enumerated() where !line.isEmpty {
            guard let tab = line.firstIndex(of: "\t") else {
                note("\(path):\(number + 1): expected INTENT<TAB>TEXT")
                throw ExitCode(2)
            }
            rows.append(LabeledText(text: String(line[line.index(after: tab)...]), label: String(line[..<tab])))
        }
        return rows
    }

    /// The lines of a UTF-8 file, without the final empty line.
    static func lines(_ path: String) throws -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            note("\(path): cannot be read")
            throw ExitCode(2)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Peak resident memory (VmHWM) from /proc/self/status, or "unknown" where there is none.
    static func peakMemory() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return "unknown" }
        return line.dropFirst("VmHWM:".count).trimmingCharacters(in: .whitespaces)
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("smallchanges: \(message)\n".utf8))
    }
}
