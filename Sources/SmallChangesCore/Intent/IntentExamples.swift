public import TextClassification
import Yams

/// The matcher's training data: example answers for every intent (`Prompts/intents.yaml`) and example barriers and
/// ideas for every theme (`Prompts/themes.yaml`).
///
/// The matcher learns from these at start, so changing what it understands means editing data, not Swift.
public struct IntentExamples: Sendable, Equatable {
    /// Example answers of each intent; every intent has at least one.
    public var intents: [Intent: [String]]
    /// Example barriers and ideas of each theme; every theme has at least one.
    public var themes: [Theme: [String]]

    /// Wraps examples already in memory (tests build small ones this way).
    public init(intents: [Intent: [String]], themes: [Theme: [String]]) {
        self.intents = intents
        self.themes = themes
    }

    /// The intent examples as labelled texts, in a fixed order (intents as declared, examples as written), so
    /// training never depends on dictionary order.
    public var intentTexts: [LabeledText] {
        Intent.allCases.flatMap { intent in
            (intents[intent] ?? []).map { LabeledText(text: $0, label: intent.rawValue) }
        }
    }

    /// The theme examples as labelled texts, in a fixed order.
    public var themeTexts: [LabeledText] {
        Theme.allCases.flatMap { theme in
            (themes[theme] ?? []).map { LabeledText(text: $0, label: theme.rawValue) }
        }
    }

    /// Reads both files, already loaded as strings, and checks them against the label contract.
    ///
    /// - Parameters:
    ///   - intentsYAML: contents of the intents file: `intents:` mapping each intent to a list of example strings.
    ///   - intentsFile: the name to use for it in errors, such as `Prompts/intents.yaml`.
    ///   - themesYAML: contents of the themes file: `themes:` mapping each theme to a list of example strings.
    ///   - themesFile: the name to use for it in errors.
    /// - Throws: `SourceError` naming the file and line of the first problem: invalid YAML, a missing key, an
    ///   unknown or repeated label, a label without examples, or an example that is not a string.
    public static func parse(intentsYAML: String, intentsFile: String, themesYAML: String, themesFile: String)
        throws(SourceError) -> IntentExamples
    {
        let intents: [Intent: [String]] = try parseSection(
            yaml: intentsYAML, file: intentsFile, key: "intents", kind: "intent")
        let themes: [Theme: [String]] = try parseSection(
            yaml: themesYAML, file: themesFile, key: "themes", kind: "theme")
        return IntentExamples(intents: intents, themes: themes)
    }

    private static func parseSection<Label>(yaml: String, file: String, key: String, kind: String)
        throws(SourceError) -> [Label: [String]]
    where Label: RawRepresentable & CaseIterable & Hashable, Label.RawValue == String {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw SourceError(file: file, line: 0, "is empty; expected a mapping with the key \"\(key)\"")
            }
            root = node
        } catch let error as SourceError {
            throw error
        } catch {
            throw yamlError(error, yaml: yaml, file: file)
        }
        guard let rootMapping = root.mapping else {
            throw SourceError(file: file, line: line(of: root), "expected a mapping with the key \"\(key)\"")
        }
        var section: Node?
        for (name, value) in rootMapping {
            guard name.string == key else {
                throw SourceError(
                    file: file, line: line(of: name),
                    "unknown key \"\(name.string ?? "?")\"; the file holds only \"\(key)\"")
            }
            section = value
        }
        guard let section else {
            throw SourceError(file: file, line: line(of: root), "missing the key \"\(key)\"")
        }
        guard let mapping = section.mapping else {
            throw SourceError(
                file: file, line: line(of: section), "\"\(key)\" must map each \(kind) to a list of examples")
        }
        let known = Label.allCases.map(\.rawValue)
        var result: [Label: [String]] = [:]
        var firstLine: [Label: Int] = [:]
        for (name, value) in mapping {
            let labelName = name.string ?? ""
            guard let label = Label(rawValue: labelName) else {
                throw SourceError(
                    file: file, line: line(of: name),
                    "unknown \(kind) \"\(labelName)\"; expected one of: \(known.joined(separator: ", "))")
            }
            if let first = firstLine[label] {
                throw SourceError(
                    file: file, line: line(of: name),
                    "\(kind) \"\(labelName)\" is listed twice (first at line \(first))")
            }
            firstLine[label] = line(of: name)
            guard let items = value.sequence else {
                throw SourceError(
                    file: file, line: line(of: value), "\(kind) \"\(labelName)\" needs a list of example strings")
            }
            var examples: [String] = []
            for item in items {
                examples.append(try exampleText(item, label: labelName, file: file))
            }
            guard !examples.isEmpty else {
                throw SourceError(file: file, line: line(of: name), "\(kind) \"\(labelName)\" has no examples")
            }
            result[label] = examples
        }
        for label in Label.allCases where result[label] == nil {
            throw SourceError(
                file: file, line: line(of: section.mapping == nil ? root : name(of: key, in: rootMapping) ?? root),
                "\(kind) \"\(label.rawValue)\" is missing; every \(kind) needs examples")
        }
        return result
    }

    private static func exampleText(_ item: Node, label: String, file: String) throws(SourceError) -> String {
        guard let scalar = item.scalar else {
            throw SourceError(
                file: file, line: line(of: item), "an example of \"\(label)\" must be a string, not a list or mapping")
        }
        // A plain scalar's tag is implicit until resolved: "yes" resolves to a boolean, a sentence to a string.
        let tag = Tag.Name(rawValue: scalar.tag.rawValue)
        switch tag == .implicit ? Resolver.default.resolveTag(of: item) : tag {
        case .str:
            break
        case .null:
            throw SourceError(file: file, line: line(of: item), "an example of \"\(label)\" is empty")
        default:
            throw SourceError(
                file: file, line: line(of: item),
                "the example \(scalar.string) of \"\(label)\" is read as a number or boolean; put it in quotes")
        }
        let text = scalar.string.trimmingWhitespace
        guard !text.isEmpty else {
            throw SourceError(file: file, line: line(of: item), "an example of \"\(label)\" is empty")
        }
        return text
    }

    private static func name(of key: String, in mapping: Node.Mapping) -> Node? {
        mapping.first { $0.key.string == key }?.key
    }

    private static func line(of node: Node) -> Int {
        node.mark?.line ?? 0
    }

    private static func yamlError(_ error: any Error, yaml: String, file: String) -> SourceError {
        guard let yamlError = error as? YamlError else {
            return SourceError(file: file, line: 0, "cannot be read as YAML: \(error)")
        }
        switch yamlError {
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.sorted().first ?? "?"
            // Yams reports the mapping; point at the repeated key itself.
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated().filter { _, text in
                let trimmed = text.drop { $0 == " " }
                return ["\(key):", "\"\(key)\":", "'\(key)':"].contains { trimmed.hasPrefix($0) }
            }.map { $0.offset + 1 }
            guard lines.count >= 2 else {
                return SourceError(file: file, line: context.mark.line, "\"\(key)\" is listed twice")
            }
            return SourceError(file: file, line: lines[1], "\"\(key)\" is listed twice (first at line \(lines[0]))")
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return SourceError(file: file, line: mark.line, "invalid YAML: \(problem)")
        default:
            return SourceError(file: file, line: 0, "invalid YAML: \(yamlError)")
        }
    }
}

extension String {
    /// The string without leading and trailing whitespace and newlines (Foundation-free).
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
