import Testing

@testable import SmallChangesCore
@testable import TextClassification

@Suite struct IntentExamplesTests {
    static let themes = "themes:\n" + Theme.allCases.map { "  \($0.rawValue):\n    - \"an example\"\n" }.joined()

    /// A valid intents file with one example per intent, then `extra` appended under `intents:`.
    static func intents(_ extra: String = "") -> String {
        "# comment\nintents:\n" + Intent.allCases.map { "  \"\($0.rawValue)\":\n    - \"an example\"\n" }.joined()
            + extra
    }

    func parse(intents: String, themes: String = Self.themes) throws(SourceError) -> IntentExamples {
        try IntentExamples.parse(
            intentsYAML: intents, intentsFile: "Prompts/intents.yaml", themesYAML: themes,
            themesFile: "Prompts/themes.yaml")
    }

    func error(intents: String, themes: String = Self.themes) -> SourceError? {
        do {
            _ = try parse(intents: intents, themes: themes)
            return nil
        } catch {
            return error
        }
    }

    @Test func theRealPromptsParseWithEveryIntentAndTheme() throws {
        let examples = try #require(MatcherFixtures.examples)
        for intent in Intent.allCases { #expect(!(examples.intents[intent] ?? []).isEmpty) }
        for theme in Theme.allCases { #expect(!(examples.themes[theme] ?? []).isEmpty) }
    }

    @Test func aValidFileKeepsExamplesInOrder() throws {
        let examples = try parse(intents: Self.intents())
        #expect(examples.intents[.yes] == ["an example"])
        #expect(examples.intentTexts.first == LabeledText(text: "an example", label: "principle"))
    }

    @Test func anUnknownIntentIsReportedWithItsFileAndLine() {
        // Two header lines, then two lines per intent: the unknown key is on the next line.
        let line = 2 + 2 * Intent.allCases.count + 1
        let failure = error(intents: Self.intents("  barrierz:\n    - \"typo\"\n"))
        #expect(failure?.description.hasPrefix("Prompts/intents.yaml:\(line): unknown intent \"barrierz\"") == true)
    }

    @Test func anIntentListedTwiceIsAnError() {
        let failure = error(intents: Self.intents("  idea:\n    - \"again\"\n"))
        #expect(failure?.message.contains("listed twice") == true)
    }

    @Test func anEmptyListIsAnError() {
        let text = Self.intents().replacingOccurrences(of: "  \"skip\":\n    - \"an example\"\n", with: "  skip: []\n")
        let failure = error(intents: text)
        #expect(failure?.message == "intent \"skip\" has no examples")
        #expect(failure?.line ?? 0 > 0)
    }

    @Test func anExampleThatIsNotAStringIsAnError() {
        let nested = Self.intents().replacingOccurrences(
            of: "  \"quit\":\n    - \"an example\"\n", with: "  \"quit\":\n    - [\"a\", \"b\"]\n")
        #expect(error(intents: nested)?.message.contains("must be a string") == true)
        let boolean = Self.intents().replacingOccurrences(
            of: "  \"no\":\n    - \"an example\"\n", with: "  \"no\":\n    - no\n")
        #expect(error(intents: boolean)?.message.contains("put it in quotes") == true)
    }

    @Test func aMissingIntentIsAnError() {
        let text = Self.intents().replacingOccurrences(of: "  \"help\":\n    - \"an example\"\n", with: "")
        #expect(error(intents: text)?.message == "intent \"help\" is missing; every intent needs examples")
    }

    @Test func aFileWithoutTheIntentsKeyIsAnError() {
        let failure = error(intents: "examples:\n  yes:\n    - \"y\"\n")
        #expect(
            failure?.description == "Prompts/intents.yaml:1: unknown key \"examples\"; the file holds only \"intents\"")
    }

    @Test func invalidYAMLIsReportedWithALine() {
        let failure = error(intents: "intents:\n  yes: [\"unclosed\"\n")
        #expect(failure?.file == "Prompts/intents.yaml")
        #expect(failure?.message.hasPrefix("invalid YAML") == true)
    }

    @Test func anUnknownThemeIsReportedInTheThemesFile() {
        let failure = error(intents: Self.intents(), themes: Self.themes + "  budgets:\n    - \"x\"\n")
        #expect(failure?.description.hasPrefix("Prompts/themes.yaml:") == true)
        #expect(failure?.message.hasPrefix("unknown theme \"budgets\"") == true)
    }
}
