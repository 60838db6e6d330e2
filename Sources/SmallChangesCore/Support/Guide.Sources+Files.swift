import Yams

extension Guide.Sources {
    /// The example files of Prompts/ that train the matcher; every other file there is a flow.
    public static let intentsFile = "Prompts/intents.yaml"
    public static let themesFile = "Prompts/themes.yaml"

    /// Sorts the data files of a Prompts/ and Corpus/ pair, wherever they were read from (a folder, or the
    /// copies built into the program), into what a guide is built from.
    ///
    /// - Parameter files: each file's name relative to the folder holding Prompts/ and Corpus/
    ///   (`Prompts/plan.yaml`, `Corpus/barriers.yaml`), as errors should show it, and its text. Names outside
    ///   those two folders are ignored; the order does not matter.
    /// - Throws: `SourceError` when one of the matcher's two example files is missing.
    public init(files: [(name: String, text: String)]) throws(SourceError) {
        let sorted = files.sorted { $0.name < $1.name }
        func file(_ name: String) throws(SourceError) -> (name: String, text: String) {
            guard let found = sorted.first(where: { $0.name == name }) else {
                throw SourceError(file: name, line: 0, "is missing: the matcher learns from it")
            }
            return found
        }
        self.init(
            flows: sorted.filter {
                $0.name.hasPrefix("Prompts/") && $0.name != Self.intentsFile && $0.name != Self.themesFile
            },
            intents: try file(Self.intentsFile), themes: try file(Self.themesFile),
            cards: sorted.filter { $0.name.hasPrefix("Corpus/") })
    }

    /// Checks every file without training the matcher, and gives the first problem of each file that has one,
    /// then any problem between files (a card or flow id used twice), so an adapted folder can be fixed in one
    /// pass. Empty when ``Guide/build(from:)`` would succeed.
    ///
    /// The matcher's two example files are read together: a problem in the first hides one in the second.
    public func problems() -> [SourceError] {
        var problems: [SourceError] = []
        var goodCards: [(name: String, text: String)] = []
        var namedInBrokenFiles: [Card] = []
        for file in cards {
            do {
                _ = try Corpus.parse([file])
                goodCards.append(file)
            } catch {
                problems.append(error)
                namedInBrokenFiles += Self.cardIDs(file).map {
                    Card(id: $0, title: $0, kind: .barrier, text: $0, tags: [], source: file.name)
                }
            }
        }
        var corpus = Corpus(cards: [])
        do {
            corpus = try Corpus.parse(goodCards)
        } catch {
            problems.append(error)
        }
        // A flow that offers a card of a broken file is not reported too: the card is there, just broken.
        corpus = Corpus(cards: corpus.cards + namedInBrokenFiles)
        var seen: [String: String] = [:]
        for file in flows {
            do {
                let flow = try Flow.parse(file.text, file: file.name, corpus: corpus)
                if let other = seen[flow.id] {
                    problems.append(
                        SourceError(file: file.name, line: 1, "flow id \"\(flow.id)\" is used by \(other) too"))
                }
                seen[flow.id] = file.name
            } catch {
                problems.append(error)
            }
        }
        do {
            _ = try IntentExamples.parse(
                intentsYAML: intents.text, intentsFile: intents.name, themesYAML: themes.text, themesFile: themes.name)
        } catch {
            problems.append(error)
        }
        return problems
    }

    /// The ids of a card file's cards, as far as its YAML can be read, whatever else is wrong with them.
    private static func cardIDs(_ file: (name: String, text: String)) -> [String] {
        guard let source = try? YAMLSource(text: file.text, file: file.name),
            let list = source.root.mapping?["cards"]?.sequence
        else { return [] }
        return list.compactMap { $0.mapping?["id"]?.string }
    }
}
