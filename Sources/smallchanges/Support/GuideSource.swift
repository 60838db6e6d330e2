import Dispatch
import Foundation
import Logging
import SmallChangesCore
import TextClassification

/// Where the flows and cards come from: the Prompts/ and Corpus/ built into the program, or a folder an
/// organisation adapted from them.
enum GuideSource: Equatable {
    case builtIn
    /// A folder holding Prompts/ and Corpus/.
    case folder(URL)

    /// The environment variable that names an adapted folder when `--prompts` is not given.
    static let rootVariable = "SMALLCHANGES_ROOT"

    /// `--prompts DIR`, else `$SMALLCHANGES_ROOT`, else the files built in. DIR holds Prompts/ and Corpus/;
    /// DIR may also be a Prompts/ folder itself (it holds intents.yaml), with Corpus/ beside it.
    static func choose(
        prompts: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> GuideSource {
        let (given, origin): (String, String)
        if let prompts, !prompts.isEmpty {
            (given, origin) = (prompts, "--prompts \(prompts)")
        } else if let root = environment[rootVariable], !root.isEmpty {
            (given, origin) = (root, "\(rootVariable)=\(root)")
        } else {
            return .builtIn
        }
        let folder = URL(fileURLWithPath: given, isDirectory: true).standardizedFileURL
        if isFolder(folder.appendingPathComponent("Prompts")) && isFolder(folder.appendingPathComponent("Corpus")) {
            return .folder(folder)
        }
        let intents = folder.appendingPathComponent("intents.yaml").path
        let parent = folder.deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: intents), folder.lastPathComponent == "Prompts",
            isFolder(parent.appendingPathComponent("Corpus"))
        {
            return .folder(parent)
        }
        throw UsageError("\(origin): no Prompts/ and Corpus/ folders there")
    }

    private static func isFolder(_ url: URL) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &folder) && folder.boolValue
    }

    /// Every data file, named as errors show it (`Prompts/plan.yaml`), with its text.
    func files() throws(SourceError) -> [(name: String, text: String)] {
        switch self {
        case .builtIn:
            return BuiltInData.files
        case .folder(let root):
            var files: [(name: String, text: String)] = []
            for folder in ["Prompts", "Corpus"] {
                let url = root.appendingPathComponent(folder, isDirectory: true)
                let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
                for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                    files.append(try Self.read(url.appendingPathComponent(name), shownAs: "\(folder)/\(name)"))
                }
            }
            return files
        }
    }

    private static func read(_ url: URL, shownAs name: String) throws(SourceError) -> (name: String, text: String) {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SourceError(file: name, line: 0, "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SourceError(file: name, line: 0, "is not UTF-8 text")
        }
        return (name, text)
    }

    /// The files sorted into what a guide is built from.
    func sources() throws(SourceError) -> Guide.Sources {
        try Guide.Sources(files: files())
    }

    /// Reads and checks everything, and trains the matcher; or reads it all back from `cache` when the cache keeps
    /// a guide built from these files by this build (and keeps it there when it does not). How long each part
    /// took goes to `logger` at debug level (`--verbose`).
    ///
    /// - Parameter hearsAnswers: whether the command will route answers: a kept matcher is then read on a
    ///   background thread at once, rather than on first use (never, for a command that only reads plans).
    func loadGuide(cache: GuideCache? = nil, logger: Logger? = nil, hearsAnswers: Bool = true) throws(SourceError)
        -> Guide
    {
        var timings = StartupTimings()
        let sources = try sources()
        timings.lap("files")
        let key = cache?.key(for: sources)
        timings.lap("key")
        if let key, let cache, let kept = cache.guide(for: key, otherwise: Self.retrain(sources, cache, key, logger)) {
            timings.lap("kept guide read back")
            logger?.debug("start-up: \(timings)")
            // The matcher is read, and the date patterns compiled, while the first question is shown; a first
            // answer that comes sooner waits for the matcher.
            if hearsAnswers {
                DispatchQueue.global().async {
                    _ = kept.matcher
                    Extraction.prepare()
                }
            }
            return kept
        }
        let guide = try Guide.build(from: sources)
        timings.lap("parsing and training")
        if let cache, let key {
            cache.keep(guide, for: key)
            timings.lap("guide kept")
        }
        logger?.debug("start-up: \(timings)")
        return guide
    }

    /// What makes the matcher when a kept guide's matcher does not read back: the files are parsed and trained
    /// again, and the new guide kept in place of the damaged one.
    private static func retrain(_ sources: Guide.Sources, _ cache: GuideCache, _ key: UInt64, _ logger: Logger?)
        -> @Sendable (ModelDecodingError) -> IntentMatcher
    {
        { error in
            logger?.debug("ignoring the kept guide's matcher: \(error); parsing and training")
            do {
                let guide = try Guide.build(from: sources)
                cache.keep(guide, for: key)
                return guide.matcher
            } catch {
                // The files read before, under the same key; a matcher that knows nothing sends every answer to
                // "not sure where this goes".
                logger?.warning("cannot train the matcher: \(error)")
                return IntentMatcher(examples: IntentExamples(intents: [:], themes: [:]))
            }
        }
    }
}
