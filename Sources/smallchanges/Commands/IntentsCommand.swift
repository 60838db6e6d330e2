import ArgumentParser
import Dispatch
import Foundation
import SmallChangesCore
import TextClassification

/// `smallchanges intents`: evaluate the intent matcher on any labelled dataset (`eval`), an organisation's own
/// answers as much as a public benchmark's. (Its speed report, `bench-intents`, is in the Benchmarks package.)
struct IntentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intents",
        abstract: "Evaluate the intent matcher on a labelled dataset.",
        subcommands: [Eval.self]
    )

    /// `intents eval`: the formats are in its discussion; the logic is `IntentEvaluation`.
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
                    "\(index == 0 ? "chosen" : "tried"): \(trial.rejection); on val: in-scope "
                        + "\(percent(trial.inScopeAccuracy)), oos recall \(percent(trial.outOfScopeRecall)), "
                        + "AUROC \(auroc)")
            }
        }

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

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("smallchanges: \(message)\n".utf8))
    }
}
