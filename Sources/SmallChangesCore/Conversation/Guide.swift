/// Everything a conversation draws on, loaded once at start: the flows, the corpus and the trained matcher.
///
/// A class, though immutable: every conversation holds the guide, and a conversation is copied on every
/// turn (its history keeps snapshots); one reference is cheaper to copy than the matcher's dozens of arrays.
public final class Guide: Sendable {
    public let flows: [Flow]
    public let corpus: Corpus
    /// The trained matcher. A guide made with `init(flows:corpus:makingMatcher:)` makes it on first use, and a
    /// caller asking while another thread makes it waits for that one.
    public var matcher: IntentMatcher { deferredMatcher.value }
    private let deferredMatcher: DeferredValue<IntentMatcher>

    public init(flows: [Flow], corpus: Corpus, matcher: IntentMatcher) {
        self.flows = flows
        self.corpus = corpus
        deferredMatcher = DeferredValue(matcher)
    }

    /// A guide whose matcher `makeMatcher` makes on first use (reading megabytes of weights is not needed to
    /// show the first question): the program may ask for `matcher` on another thread ahead of the first answer.
    public init(flows: [Flow], corpus: Corpus, makingMatcher makeMatcher: @escaping @Sendable () -> IntentMatcher) {
        self.flows = flows
        self.corpus = corpus
        deferredMatcher = DeferredValue(making: makeMatcher)
    }

    public func flow(_ id: String) -> Flow? { flows.first { $0.id == id } }

    /// The text files a guide is built from, as read by the program (the core does no I/O).
    public struct Sources: Sendable {
        /// Flow files of Prompts/ (`plan.yaml`, `reflect.yaml`, …) with the names to report errors under.
        public var flows: [(name: String, text: String)]
        public var intents: (name: String, text: String)
        public var themes: (name: String, text: String)
        /// Card files of Corpus/.
        public var cards: [(name: String, text: String)]

        public init(
            flows: [(name: String, text: String)], intents: (name: String, text: String),
            themes: (name: String, text: String), cards: [(name: String, text: String)]
        ) {
            self.flows = flows
            self.intents = intents
            self.themes = themes
            self.cards = cards
        }
    }

    /// Parses and checks every file and trains the matcher; the first problem found is reported with its
    /// file and line.
    public static func build(from sources: Sources) throws(SourceError) -> Guide {
        let corpus = try Corpus.parse(sources.cards)
        var flows: [Flow] = []
        for file in sources.flows {
            let flow = try Flow.parse(file.text, file: file.name, corpus: corpus)
            if flows.contains(where: { $0.id == flow.id }) {
                throw SourceError(file: file.name, line: 1, "flow id \"\(flow.id)\" is used by another file too")
            }
            flows.append(flow)
        }
        let examples = try IntentExamples.parse(
            intentsYAML: sources.intents.text, intentsFile: sources.intents.name,
            themesYAML: sources.themes.text, themesFile: sources.themes.name)
        // Compiled now, with the rest of start-up, rather than by the first answer that names a date.
        Extraction.prepare()
        return Guide(flows: flows, corpus: corpus, matcher: IntentMatcher(examples: examples))
    }
}
